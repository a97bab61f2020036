package oktaapi

import (
	"context"
	"io"
	"net/http"
	"slices"

	"github.com/keyward/keyward/internal/directory"
)

// part is one kind of an authorization server's parts (scopes, claims,
// policies, a policy's rules), kept in the server aggregate: each change
// is one compare-and-swap of the server, logged as oauth2.<kind>.<verb>.
type part[T, B any] struct {
	kind    string // "scope", "claim", "policy", "policy.rule"
	param   string // the path parameter holding its id
	missing string // its name in Okta's not-found summary
	newID   func(io.Reader) string
	// items finds the list the part lives in (a policy's rules need the
	// request's policyId).
	items func(r *http.Request, s *directory.AuthServer) (*[]T, error)
	id    func(T) string
	// read turns a body into a part of s among siblings (the list it goes
	// in), checking it; old is the part a replace replaces (nil on create).
	// It may look other things up.
	read func(ctx context.Context, a *API, s directory.AuthServer, siblings []T, b B, old *T) (T, error)
	// setID gives a new part its id.
	setID func(*T, string)
	wire  func(a *API, s directory.AuthServer, t T) any
	// fixed, when set, refuses deleting a part that must stay.
	fixed func(T) error
	// order, when set, is the order lists show (policies and rules by
	// priority, as Okta evaluates them).
	order func(x, y T) int
}

// find returns the index of the part the request names in items.
func (p part[T, B]) find(r *http.Request, items []T) (int, error) {
	id := r.PathValue(p.param)
	i := slices.IndexFunc(items, func(t T) bool { return p.id(t) == id })
	if i < 0 || !directory.ValidID(id) {
		return -1, notFound(p.missing, id)
	}
	return i, nil
}

// list is GET .../<parts>.
func (p part[T, B]) list(a *API) handler {
	return p.reader(a, func(w http.ResponseWriter, _ *http.Request, s directory.AuthServer, items []T) error {
		if p.order != nil {
			items = slices.SortedStableFunc(slices.Values(items), p.order)
		}
		writeJSON(w, http.StatusOK, each(items, func(t T) any { return p.wire(a, s, t) }))
		return nil
	})
}

// get is GET .../<parts>/{id}.
func (p part[T, B]) get(a *API) handler {
	return p.reader(a, func(w http.ResponseWriter, r *http.Request, s directory.AuthServer, items []T) error {
		i, err := p.find(r, items)
		if err == nil {
			writeJSON(w, http.StatusOK, p.wire(a, s, items[i]))
		}
		return err
	})
}

// reader is a reading handler: it finds the server and the list the path
// names for a caller allowed to read, and hands them to answer.
func (p part[T, B]) reader(a *API, answer func(http.ResponseWriter, *http.Request, directory.AuthServer, []T) error) handler {
	return func(w http.ResponseWriter, r *http.Request, c *caller) error {
		s, err := a.readServer(r, c)
		if err != nil {
			return err
		}
		items, err := p.items(r, &s)
		if err != nil {
			return err
		}
		return answer(w, r, s, *items)
	}
}

// create is POST .../<parts>: 201 with the new part.
func (p part[T, B]) create(a *API) handler {
	return func(w http.ResponseWriter, r *http.Request, c *caller) error {
		var b B
		id := p.newID(a.cfg.Random)
		return p.change(a, w, r, c, &b, "created", http.StatusCreated, id, func(s directory.AuthServer, items *[]T) error {
			t, err := p.read(r.Context(), a, s, *items, b, nil)
			if err != nil {
				return err
			}
			p.setID(&t, id)
			*items = append(*items, t)
			return nil
		})
	}
}

// replace is PUT .../<parts>/{id}.
func (p part[T, B]) replace(a *API) handler {
	return func(w http.ResponseWriter, r *http.Request, c *caller) error {
		var b B
		id := r.PathValue(p.param)
		return p.change(a, w, r, c, &b, "updated", http.StatusOK, id, func(s directory.AuthServer, items *[]T) error {
			i, err := p.find(r, *items)
			if err != nil {
				return err
			}
			t, err := p.read(r.Context(), a, s, *items, b, &(*items)[i])
			if err != nil {
				return err
			}
			p.setID(&t, id)
			(*items)[i] = t
			return nil
		})
	}
}

// remove is DELETE .../<parts>/{id}: 204.
func (p part[T, B]) remove(a *API) handler {
	return func(w http.ResponseWriter, r *http.Request, c *caller) error {
		return p.change(a, w, r, c, nil, "deleted", http.StatusNoContent, "", func(_ directory.AuthServer, items *[]T) error {
			i, err := p.find(r, *items)
			if err == nil && p.fixed != nil {
				err = p.fixed((*items)[i])
			}
			if err != nil {
				return err
			}
			*items = slices.Delete(*items, i, i+1)
			return nil
		})
	}
}

// lifecycle is POST .../<parts>/{id}/lifecycle/activate or .../deactivate
// for a part with a status: 204.
func (p part[T, B]) lifecycle(a *API, activate bool, set func(*T, directory.AppStatus)) handler {
	status, verb := directory.AppInactive, "deactivated"
	if activate {
		status, verb = directory.AppActive, "activated"
	}
	return func(w http.ResponseWriter, r *http.Request, c *caller) error {
		return p.change(a, w, r, c, nil, verb, http.StatusNoContent, "", func(_ directory.AuthServer, items *[]T) error {
			i, err := p.find(r, *items)
			if err == nil {
				set(&(*items)[i], status)
			}
			return err
		})
	}
}

// exists finds what the path names (server, policy, part) before the
// body is read, so a wrong path is a 404 whatever the body.
func (p part[T, B]) exists(a *API, r *http.Request) error {
	s, err := a.server(r)
	if err != nil {
		return err
	}
	items, err := p.items(r, &s)
	if err != nil || r.PathValue(p.param) == "" {
		return err
	}
	_, err = p.find(r, *items)
	return err
}

// change reads the body into b (unless nil), checks the caller may manage
// servers, applies edit to the server's parts in one compare-and-swap and
// answers status with the part id names (no body for 204).
func (p part[T, B]) change(a *API, w http.ResponseWriter, r *http.Request, c *caller, b *B, verb string, status int,
	id string, edit func(s directory.AuthServer, items *[]T) error) error {
	if err := p.exists(a, r); err != nil {
		return err
	}
	if b != nil {
		if err := decodeBody(r, b, true); err != nil {
			return err
		}
	}
	if err := a.allow(r, c, directory.ManageOrg, directory.Scope{OrgWide: true}); err != nil {
		return err
	}
	s, err := a.cfg.Store.UpdateAuthServer(r.Context(), r.PathValue("authServerId"), "oauth2."+p.kind+"."+verb,
		func(s directory.AuthServer) (directory.AuthServer, error) {
			items, err := p.items(r, &s)
			if err == nil {
				err = edit(s, items)
			}
			return s, err
		})
	if err != nil {
		return err
	}
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return nil
	}
	items, err := p.items(r, &s)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(*items, func(t T) bool { return p.id(t) == id })
	if i < 0 {
		return notFound(p.missing, id)
	}
	writeJSON(w, status, p.wire(a, s, (*items)[i]))
	return nil
}
