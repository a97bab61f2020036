package oktaapi

import (
	"maps"
	"net/http"
	"slices"
	"strings"
)

// operations is the API's operation table: "METHOD path" to handler.
func (a *API) operations() map[string]handler {
	ops := map[string]handler{
		"POST /api/v1/users":                                                a.createUser,
		"GET /api/v1/users":                                                 a.listUsers,
		"GET /api/v1/users/{id}":                                            a.getUser,
		"POST /api/v1/users/{id}":                                           a.updateUser(false),
		"PUT /api/v1/users/{id}":                                            a.updateUser(true),
		"DELETE /api/v1/users/{id}":                                         a.deleteUser,
		"GET /api/v1/users/{id}/groups":                                     a.userGroups,
		"POST /api/v1/users/{id}/lifecycle/{op}":                            a.lifecycle,
		"POST /api/v1/users/{id}/lifecycle/reset_factors":                   a.resetFactors,
		"DELETE /api/v1/users/{id}/sessions":                                a.endSessions,
		"GET /api/v1/users/{id}/factors":                                    a.listFactors,
		"GET /api/v1/users/{id}/factors/{factorId}":                         a.getFactor,
		"DELETE /api/v1/users/{id}/factors/{factorId}":                      a.deleteFactor,
		"POST /api/v1/users/{id}/roles":                                     a.assignRole,
		"GET /api/v1/users/{id}/roles":                                      a.listRoles,
		"GET /api/v1/users/{id}/roles/{roleId}":                             a.getRole,
		"DELETE /api/v1/users/{id}/roles/{roleId}":                          a.removeRole,
		"GET /api/v1/users/{id}/roles/{roleId}/targets/groups":              a.listTargets,
		"PUT /api/v1/users/{id}/roles/{roleId}/targets/groups/{groupId}":    a.target(true),
		"DELETE /api/v1/users/{id}/roles/{roleId}/targets/groups/{groupId}": a.target(false),
		"POST /api/v1/groups":                                               a.createGroup,
		"GET /api/v1/groups":                                                a.listGroups,
		"GET /api/v1/groups/{groupId}":                                      a.getGroup,
		"PUT /api/v1/groups/{groupId}":                                      a.replaceGroup,
		"DELETE /api/v1/groups/{groupId}":                                   a.deleteGroup,
		"GET /api/v1/groups/{groupId}/users":                                a.listMembers,
		"PUT /api/v1/groups/{groupId}/users/{userId}":                       a.membership(true),
		"DELETE /api/v1/groups/{groupId}/users/{userId}":                    a.membership(false),
		"GET /api/v1/api-tokens":                                            a.listTokens,
		"GET /api/v1/api-tokens/{apiTokenId}":                               a.getToken,
		"DELETE /api/v1/api-tokens/{apiTokenId}":                            a.revokeToken,
		"GET /api/v1/logs":                                                  a.listLogs,
		"GET /api/v1/meta/schemas/user/{schemaId}":                          a.getSchema,
		"POST /api/v1/meta/schemas/user/{schemaId}":                         a.updateSchema,
		"GET /api/v1/users/{id}/appLinks":                                   a.appLinks,
		"POST /api/v1/apps":                                                 a.createApp,
		"GET /api/v1/apps":                                                  a.listApps,
		"GET /api/v1/apps/{appId}":                                          a.getApp,
		"PUT /api/v1/apps/{appId}":                                          a.replaceApp,
		"DELETE /api/v1/apps/{appId}":                                       a.deleteApp,
		"POST /api/v1/apps/{appId}/lifecycle/activate":                      a.appLifecycle(true),
		"POST /api/v1/apps/{appId}/lifecycle/deactivate":                    a.appLifecycle(false),
		"GET /api/v1/apps/{appId}/users":                                    a.listAppUsers,
		"POST /api/v1/apps/{appId}/users":                                   a.assignAppUser,
		"GET /api/v1/apps/{appId}/users/{userId}":                           a.getAppUser,
		"POST /api/v1/apps/{appId}/users/{userId}":                          a.updateAppUser,
		"DELETE /api/v1/apps/{appId}/users/{userId}":                        a.unassignAppUser,
		"GET /api/v1/apps/{appId}/groups":                                   a.listAppGroups,
		"GET /api/v1/apps/{appId}/groups/{groupId}":                         a.getAppGroup,
		"PUT /api/v1/apps/{appId}/groups/{groupId}":                         a.assignAppGroup,
		"DELETE /api/v1/apps/{appId}/groups/{groupId}":                      a.unassignAppGroup,
		"GET /api/v1/apps/{appId}/provisioning":                             a.getProvisioning, // keyward's extension
	}
	maps.Copy(ops, a.authServerOperations())
	maps.Copy(ops, a.clientSecretOperations())
	maps.Copy(ops, a.authServerKeyOperations())
	return ops
}

// Routes lists the operation table's "METHOD path" patterns, sorted.
func Routes() []string {
	var out []string
	for pattern := range (&API{}).operations() {
		out = append(out, pattern)
	}
	slices.Sort(out)
	return out
}

// routes registers each path once, dispatching on the method, so a known
// path with a method it does not take answers Okta's 405 (with Allow)
// rather than the catch-all's 404.
func (a *API) routes() {
	byPath := map[string]map[string]http.Handler{}
	for pattern, h := range a.operations() {
		method, path, _ := strings.Cut(pattern, " ")
		if byPath[path] == nil {
			byPath[path] = map[string]http.Handler{}
		}
		byPath[path][method] = a.wrap(h)
	}
	for path, methods := range byPath {
		a.mux.Handle(path, byMethod(methods))
	}
	a.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, problem{http.StatusNotFound, codeNotFound,
			"Not found: Resource not found: " + r.URL.Path + " (UnknownResource)", nil})
	})
}

// byMethod serves a path's operations by method; HEAD is served as GET.
func byMethod(methods map[string]http.Handler) http.Handler {
	allow := make([]string, 0, len(methods)+1)
	for m := range methods {
		allow = append(allow, m)
	}
	if methods[http.MethodGet] != nil {
		allow = append(allow, http.MethodHead)
	}
	slices.Sort(allow)
	allowed := strings.Join(allow, ", ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method := r.Method
		if method == http.MethodHead {
			method = http.MethodGet
		}
		if h := methods[method]; h != nil {
			h.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Allow", allowed)
		writeProblem(w, problem{http.StatusMethodNotAllowed, codeMethod,
			"The endpoint does not support the provided HTTP method", nil})
	})
}
