package storetest

import (
	"testing"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// lister calls one list method with a page and reports only its error and
// next token.
type lister func(h *harness, p store.Page) (string, error)

// listers covers every paginated method of the contract.
var listers = map[string]lister{
	"ListAccounts": func(h *harness, p store.Page) (string, error) {
		_, next, err := h.s.ListAccounts(h.ctx, p)
		return next, err
	},
	"ListUsers": func(h *harness, p store.Page) (string, error) {
		_, next, err := h.s.ListUsers(h.ctx, store.UserFilter{}, p)
		return next, err
	},
	"ListGroups": func(h *harness, p store.Page) (string, error) {
		_, next, err := h.s.ListGroups(h.ctx, store.GroupFilter{}, p)
		return next, err
	},
	"ListMemberships": func(h *harness, p store.Page) (string, error) {
		_, next, err := h.s.ListMemberships(h.ctx, h.fixture.group.ID, p)
		return next, err
	},
	"ListMembershipsForUser": func(h *harness, p store.Page) (string, error) {
		_, next, err := h.s.ListMembershipsForUser(h.ctx, h.fixture.user.ID, p)
		return next, err
	},
	"ListPermissionSets": func(h *harness, p store.Page) (string, error) {
		_, next, err := h.s.ListPermissionSets(h.ctx, p)
		return next, err
	},
	"ListAssignments": func(h *harness, p store.Page) (string, error) {
		_, next, err := h.s.ListAssignments(h.ctx, h.fixture.account, h.fixture.ps.ID, p)
		return next, err
	},
	"ListRoles": func(h *harness, p store.Page) (string, error) {
		_, next, err := h.s.ListRoles(h.ctx, store.RoleFilter{}, p)
		return next, err
	},
	"UserAccounts": func(h *harness, p store.Page) (string, error) {
		_, next, err := h.s.UserAccounts(h.ctx, h.fixture.user.ID, p)
		return next, err
	},
	"UserRoles": func(h *harness, p store.Page) (string, error) {
		_, next, err := h.s.UserRoles(h.ctx, h.fixture.user.ID, h.fixture.account, p)
		return next, err
	},
	"ListEvents": func(h *harness, p store.Page) (string, error) {
		_, next, err := h.s.ListEvents(h.ctx, p)
		return next, err
	},
}

// seedLists gives every list above at least two items.
func (h *harness) seedLists(t *testing.T) {
	t.Helper()
	f := &h.fixture
	f.user, f.group = h.createUser(t), h.createGroup(t)
	other, otherGroup := h.createUser(t), h.createGroup(t)
	h.addMember(t, f.group, f.user)
	h.addMember(t, f.group, other)
	h.addMember(t, otherGroup, f.user)
	f.ps = h.createPermissionSet(t)
	ps2 := h.createPermissionSet(t)
	f.account = h.createAccount(t).ID
	second := h.createAccount(t).ID
	h.assign(t, f.account, f.ps, "USER", f.user.ID)
	h.assign(t, f.account, f.ps, "GROUP", f.group.ID)
	h.assign(t, f.account, ps2, "USER", f.user.ID)
	h.assign(t, second, f.ps, "USER", f.user.ID)
}

var paginationTests = []test{
	{"every list pages with a token and ends without one", func(t *testing.T, h *harness) {
		h.seedLists(t)
		for name, list := range listers {
			next, err := list(h, store.Page{Limit: 1})
			if err != nil || next == "" {
				t.Errorf("%s first page of 1: token %q, error %v; want a token", name, next, err)
				continue
			}
			for range 100 {
				if next, err = list(h, store.Page{Limit: 1, Token: next}); err != nil || next == "" {
					break
				}
			}
			if err != nil || next != "" {
				t.Errorf("%s: walking pages ended with token %q, error %v", name, next, err)
			}
		}
	}},
	{"a token that does not decode is invalid on every list", func(t *testing.T, h *harness) {
		h.seedLists(t)
		for name, list := range listers {
			for _, tok := range []string{"not a token!", "%%%", "\x00"} {
				if _, err := list(h, store.Page{Limit: 1, Token: tok}); errs.KindOf(err) != errs.Invalid {
					t.Errorf("%s with token %q: error %v, want errs.Invalid", name, tok, err)
				}
			}
		}
	}},
}
