package oktaapi

import (
	"net/http"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// listMembers is GET /api/v1/groups/{groupId}/users.
func (a *API) listMembers(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := a.allow(r, c, directory.ReadDirectory, directory.Scope{}); err != nil {
		return err
	}
	p, err := page(r, 1000, 1000)
	if err != nil {
		return err
	}
	g, err := a.group(r)
	if err != nil {
		return err
	}
	users, next, err := a.cfg.Store.ListMembers(r.Context(), g.ID, store.UserQuery{}, p)
	if err != nil {
		return storePage(err)
	}
	a.writeList(w, r, a.usersJSON(users), next)
	return nil
}

// membership is PUT (add) and DELETE (remove)
// /api/v1/groups/{groupId}/users/{userId}. Both are idempotent.
func (a *API) membership(add bool) handler {
	return func(w http.ResponseWriter, r *http.Request, c *caller) error {
		g, err := a.group(r)
		if err != nil {
			return err
		}
		u, err := a.findUser(r.Context(), c, r.PathValue("userId"))
		if err != nil {
			return err
		}
		scope, err := a.userScope(r.Context(), u.ID)
		if err != nil {
			return err
		}
		scope.Groups = []string{g.ID}
		if err := a.allow(r, c, directory.ManageMembers, scope); err != nil {
			return err
		}
		if g.Type != directory.OktaGroup {
			return errBuiltIn()
		}
		if add {
			_, err = a.cfg.Store.AddMember(r.Context(), g.ID, u.ID)
		} else {
			_, err = a.cfg.Store.RemoveMember(r.Context(), g.ID, u.ID)
		}
		if err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}
