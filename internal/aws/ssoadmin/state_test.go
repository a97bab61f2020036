package ssoadmin_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/audit"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// state is everything SSO Admin can change, read straight from the store.
type state struct {
	PermissionSets []ic.PermissionSet
	Assignments    []ic.Assignment
	Roles          []ic.Role
	Events         []audit.Event
}

func (s *server) state(t *testing.T) state {
	t.Helper()
	var st state
	st.PermissionSets = all(t, func(p store.Page) ([]ic.PermissionSet, string, error) { return s.db.ListPermissionSets(s.ctx, p) })
	st.Roles = all(t, func(p store.Page) ([]ic.Role, string, error) { return s.db.ListRoles(s.ctx, store.RoleFilter{}, p) })
	st.Events = all(t, func(p store.Page) ([]audit.Event, string, error) { return s.db.ListEvents(s.ctx, p) })
	for _, acct := range []string{s.boot.Organization.ManagementAccountID, s.account} {
		for _, ps := range st.PermissionSets {
			st.Assignments = append(st.Assignments, all(t, func(p store.Page) ([]ic.Assignment, string, error) {
				return s.db.ListAssignments(s.ctx, acct, ps.ID, p)
			})...)
		}
	}
	return st
}

// unchanged fails t if the store no longer holds before.
func (s *server) unchanged(t *testing.T, before state) {
	t.Helper()
	if diff := cmp.Diff(before, s.state(t)); diff != "" {
		t.Errorf("a refused call changed the store (-before +after):\n%s", diff)
	}
}

// all walks every page of a store list.
func all[T any](t *testing.T, list func(store.Page) ([]T, string, error)) []T {
	t.Helper()
	var out []T
	for p := (store.Page{Limit: 100}); ; {
		items, next, err := list(p)
		must(t, err)
		out = append(out, items...)
		if next == "" {
			return out
		}
		p.Token = next
	}
}
