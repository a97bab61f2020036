package oktaapi

import (
	"net/http"
	"strings"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// authServerOperations are the routes of /api/v1/authorizationServers:
// the custom authorization servers with their scopes, claims, access
// policies and rules. Reading them takes a read role; changing them an
// organization administrator's (keyward has no API Access Management
// administrator role).
func (a *API) authServerOperations() map[string]handler {
	const base = "/api/v1/authorizationServers"
	const one = base + "/{authServerId}"
	ops := map[string]handler{
		"GET " + base:                           a.listServers,
		"POST " + base:                          a.createServer,
		"GET " + one:                            a.getServer,
		"PUT " + one:                            a.replaceServer,
		"DELETE " + one:                         a.deleteServer,
		"POST " + one + "/lifecycle/activate":   a.serverLifecycle(true),
		"POST " + one + "/lifecycle/deactivate": a.serverLifecycle(false),
	}
	setPolicy := func(p *directory.AuthPolicy, s directory.AppStatus) { p.Status = s }
	setRule := func(r *directory.AuthRule, s directory.AppStatus) { r.Status = s }
	for verb, activate := range map[string]bool{"activate": true, "deactivate": false} {
		ops["POST "+one+"/policies/{policyId}/lifecycle/"+verb] = policyPart.lifecycle(a, activate, setPolicy)
		ops["POST "+one+"/policies/{policyId}/rules/{ruleId}/lifecycle/"+verb] = rulePart.lifecycle(a, activate, setRule)
	}
	for path, h := range map[string]partHandlers{
		one + "/scopes":                    scopePart.handlers(a),
		one + "/claims":                    claimPart.handlers(a),
		one + "/policies":                  policyPart.handlers(a),
		one + "/policies/{policyId}/rules": rulePart.handlers(a),
	} {
		ops["GET "+path], ops["POST "+path] = h.list, h.create
		item := path + "/{" + h.param + "}"
		ops["GET "+item], ops["PUT "+item], ops["DELETE "+item] = h.get, h.replace, h.remove
	}
	return ops
}

// partHandlers are one part's five operations.
type partHandlers struct {
	param                              string
	list, create, get, replace, remove handler
}

func (p part[T, B]) handlers(a *API) partHandlers {
	return partHandlers{p.param, p.list(a), p.create(a), p.get(a), p.replace(a), p.remove(a)}
}

// server finds the server {authServerId} names.
func (a *API) server(r *http.Request) (directory.AuthServer, error) {
	id := r.PathValue("authServerId")
	if !directory.ValidID(id) {
		return directory.AuthServer{}, notFound(store.ResourceAuthServer, id)
	}
	return a.cfg.Store.AuthServer(r.Context(), id)
}

// readServer is server for a caller allowed to read.
func (a *API) readServer(r *http.Request, c *caller) (directory.AuthServer, error) {
	if err := a.allow(r, c, directory.ReadDirectory, directory.Scope{}); err != nil {
		return directory.AuthServer{}, err
	}
	return a.server(r)
}

// listServers is GET /api/v1/authorizationServers?q= (a name prefix).
func (a *API) listServers(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := a.allow(r, c, directory.ReadDirectory, directory.Scope{}); err != nil {
		return err
	}
	q := r.URL.Query().Get("q")
	if !validText(q) || len(q) > maxServerName {
		return errs.E(errs.Invalid, "q: must be valid text of at most 100 characters")
	}
	q = strings.ToLower(q)
	all, err := a.cfg.Store.ListAuthServers(r.Context())
	if err != nil {
		return err
	}
	out := []any{}
	for _, s := range all {
		if strings.HasPrefix(strings.ToLower(s.Name), q) {
			out = append(out, a.serverJSON(s))
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// getServer is GET /api/v1/authorizationServers/{authServerId}.
func (a *API) getServer(w http.ResponseWriter, r *http.Request, c *caller) error {
	s, err := a.readServer(r, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.serverJSON(s))
	return nil
}

// createServer is POST /api/v1/authorizationServers: an active server with
// the OpenID Connect scopes, 201.
func (a *API) createServer(w http.ResponseWriter, r *http.Request, c *caller) error {
	var b serverBody
	if err := decodeBody(r, &b, true); err != nil {
		return err
	}
	if err := a.allow(r, c, directory.ManageOrg, directory.Scope{OrgWide: true}); err != nil {
		return err
	}
	s, err := b.server()
	if err != nil {
		return err
	}
	now := a.now()
	s.ID, s.Status, s.Created, s.LastUpdated = directory.NewAuthServerID(a.cfg.Random), directory.AppActive, now, now
	s.Scopes = SystemScopes(a.cfg.Random)
	if s, err = a.cfg.Store.CreateAuthServer(r.Context(), s); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a.serverJSON(s))
	return nil
}

// replaceServer is PUT /api/v1/authorizationServers/{authServerId}: name,
// description and audiences.
func (a *API) replaceServer(w http.ResponseWriter, r *http.Request, c *caller) error {
	if _, err := a.server(r); err != nil {
		return err
	}
	var b serverBody
	if err := decodeBody(r, &b, true); err != nil {
		return err
	}
	if err := a.allow(r, c, directory.ManageOrg, directory.Scope{OrgWide: true}); err != nil {
		return err
	}
	next, err := b.server()
	if err != nil {
		return err
	}
	s, err := a.cfg.Store.UpdateAuthServer(r.Context(), r.PathValue("authServerId"), "oauth2.as.updated",
		func(s directory.AuthServer) (directory.AuthServer, error) {
			s.Name, s.Description, s.Audiences = next.Name, next.Description, next.Audiences
			return s, nil
		})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.serverJSON(s))
	return nil
}

// deleteServer is DELETE /api/v1/authorizationServers/{authServerId}; an
// active server must be deactivated first.
func (a *API) deleteServer(w http.ResponseWriter, r *http.Request, c *caller) error {
	s, err := a.server(r)
	if err != nil {
		return err
	}
	if err := a.allow(r, c, directory.ManageOrg, directory.Scope{OrgWide: true}); err != nil {
		return err
	}
	if err := a.cfg.Store.DeleteAuthServer(r.Context(), s.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// serverLifecycle is POST .../lifecycle/activate and .../deactivate: 204;
// asking for the status the server has changes nothing.
func (a *API) serverLifecycle(activate bool) handler {
	return func(w http.ResponseWriter, r *http.Request, c *caller) error {
		s, err := a.server(r)
		if err != nil {
			return err
		}
		if err := a.allow(r, c, directory.ManageOrg, directory.Scope{OrgWide: true}); err != nil {
			return err
		}
		status, event := directory.AppInactive, "oauth2.as.deactivated"
		if activate {
			status, event = directory.AppActive, "oauth2.as.activated"
		}
		if s.Status != status {
			_, err = a.cfg.Store.UpdateAuthServer(r.Context(), s.ID, event, func(s directory.AuthServer) (directory.AuthServer, error) {
				s.Status = status
				return s, nil
			})
			if err != nil {
				return err
			}
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}
