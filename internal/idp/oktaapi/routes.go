package oktaapi

import "net/http"

// routes is the API's operation table.
func (a *API) routes() {
	for pattern, h := range map[string]handler{
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
		"GET /api/v1/logs":                                                  a.listLogs,
		"GET /api/v1/api-tokens/{apiTokenId}":                               a.getToken,
		"DELETE /api/v1/api-tokens/{apiTokenId}":                            a.revokeToken,
	} {
		a.handle(pattern, h)
	}
	a.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, problem{http.StatusNotFound, codeNotFound,
			"Not found: Resource not found: " + r.URL.Path + " (UnknownResource)", nil})
	})
}
