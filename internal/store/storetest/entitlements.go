package storetest

import (
	"testing"

	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// userAccounts walks every page of the user's accounts.
func (h *harness) userAccounts(t *testing.T, userID string, limit int) []ic.Account {
	t.Helper()
	all, _ := walk(t, limit, func(p store.Page) ([]ic.Account, string, error) {
		return h.s.UserAccounts(h.ctx, userID, p)
	})
	return all
}

// userRoles walks every page of the user's entitlements on an account and
// returns their permission set names.
func (h *harness) userRoles(t *testing.T, userID, accountID string, limit int) []string {
	t.Helper()
	all, _ := walk(t, limit, func(p store.Page) ([]ic.Entitlement, string, error) {
		return h.s.UserRoles(h.ctx, userID, accountID, p)
	})
	var names []string
	for _, e := range all {
		names = append(names, e.PermissionSet.Name)
	}
	return names
}

var entitlementTests = []test{
	{"a direct assignment gives the user the account and its role", func(t *testing.T, h *harness) {
		u, ps, acct := h.createUser(t), h.createPermissionSet(t), h.createAccount(t)
		h.assign(t, acct.ID, ps, ic.PrincipalUser, u.ID)
		equal(t, "accounts", []ic.Account{acct}, h.userAccounts(t, u.ID, 10))
		got, err := h.s.UserRole(h.ctx, u.ID, acct.ID, ps.Name)
		ok(t, err)
		want := ic.Entitlement{Account: acct, PermissionSet: ps, Role: h.roles(t, store.RoleFilter{})[0]}
		equal(t, "entitlement", want, got)
		roles, next, err := h.s.UserRoles(h.ctx, u.ID, acct.ID, store.Page{Limit: 10})
		ok(t, err)
		equal(t, "roles", []ic.Entitlement{want}, roles)
		equal(t, "token", "", next)
	}},
	{"a group assignment gives every member the account", func(t *testing.T, h *harness) {
		g, a, b, outsider := h.createGroup(t), h.createUser(t), h.createUser(t), h.createUser(t)
		h.addMember(t, g, a)
		h.addMember(t, g, b)
		ps, acct := h.createPermissionSet(t), h.createAccount(t)
		h.assign(t, acct.ID, ps, ic.PrincipalGroup, g.ID)
		for _, u := range []ic.User{a, b} {
			equal(t, "accounts", []ic.Account{acct}, h.userAccounts(t, u.ID, 10))
			_, err := h.s.UserRole(h.ctx, u.ID, acct.ID, ps.Name)
			ok(t, err)
		}
		equal(t, "outsider's accounts", 0, len(h.userAccounts(t, outsider.ID, 10)))
		_, err := h.s.UserRole(h.ctx, outsider.ID, acct.ID, ps.Name)
		notFound(t, err, "")
	}},
	{"an account reached directly and through several groups is listed once", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		g1, g2 := h.createGroup(t), h.createGroup(t)
		h.addMember(t, g1, u)
		h.addMember(t, g2, u)
		ps1, ps2, acct := h.createPermissionSet(t), h.createPermissionSet(t), h.createAccount(t)
		h.assign(t, acct.ID, ps1, ic.PrincipalUser, u.ID)
		h.assign(t, acct.ID, ps1, ic.PrincipalGroup, g1.ID)
		h.assign(t, acct.ID, ps2, ic.PrincipalGroup, g2.ID)
		want := []string{ps1.Name, ps2.Name}
		sortBy(want, func(s string) string { return s })
		for _, limit := range []int{1, 10} {
			equal(t, "accounts", []ic.Account{acct}, h.userAccounts(t, u.ID, limit))
			equal(t, "roles", want, h.userRoles(t, u.ID, acct.ID, limit))
		}
	}},
	{"a user's accounts are paged in account id order", func(t *testing.T, h *harness) {
		u, g := h.createUser(t), h.createGroup(t)
		h.addMember(t, g, u)
		ps := h.createPermissionSet(t)
		var want []ic.Account
		for i := range 7 {
			acct := h.createAccount(t)
			want = append(want, acct)
			if i%3 == 0 {
				h.assign(t, acct.ID, ps, ic.PrincipalUser, u.ID)
			} else {
				h.assign(t, acct.ID, ps, ic.PrincipalGroup, g.ID)
			}
		}
		h.createAccount(t) // not assigned
		sortBy(want, func(a ic.Account) string { return a.ID })
		equal(t, "accounts", want, h.userAccounts(t, u.ID, 2))
	}},
	{"a user's roles on an account are paged in permission set name order", func(t *testing.T, h *harness) {
		u, g, acct := h.createUser(t), h.createGroup(t), h.createAccount(t)
		h.addMember(t, g, u)
		var want []string
		for i, name := range []string{"Zeta", "alpha", "Beta", "Gamma", "delta"} {
			ps := h.newPermissionSet(name)
			ok(t, h.s.CreatePermissionSet(h.ctx, ps))
			want = append(want, name)
			principal, id := ic.PrincipalUser, u.ID
			if i%2 == 1 {
				principal, id = ic.PrincipalGroup, g.ID
			}
			h.assign(t, acct.ID, ps, principal, id)
		}
		h.assign(t, h.createAccount(t).ID, h.createPermissionSet(t), ic.PrincipalUser, u.ID) // elsewhere
		sortBy(want, func(s string) string { return s })
		equal(t, "roles", want, h.userRoles(t, u.ID, acct.ID, 2))
	}},
	{"removing the membership removes the access it gave", func(t *testing.T, h *harness) {
		u, g := h.createUser(t), h.createGroup(t)
		m := h.addMember(t, g, u)
		ps, acct := h.createPermissionSet(t), h.createAccount(t)
		h.assign(t, acct.ID, ps, ic.PrincipalGroup, g.ID)
		ok(t, h.s.DeleteMembership(h.ctx, m.ID))
		equal(t, "accounts", 0, len(h.userAccounts(t, u.ID, 10)))
		equal(t, "roles", 0, len(h.userRoles(t, u.ID, acct.ID, 10)))
		_, err := h.s.UserRole(h.ctx, u.ID, acct.ID, ps.Name)
		notFound(t, err, "")
	}},
	{"removing the assignment removes the access it gave", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		ps, acct, other := h.createPermissionSet(t), h.createAccount(t), h.createAccount(t)
		a := h.assign(t, acct.ID, ps, ic.PrincipalUser, u.ID)
		h.assign(t, other.ID, ps, ic.PrincipalUser, u.ID)
		h.unassign(t, a)
		equal(t, "accounts", []ic.Account{other}, h.userAccounts(t, u.ID, 10))
		_, err := h.s.UserRole(h.ctx, u.ID, acct.ID, ps.Name)
		notFound(t, err, "")
	}},
	{"a user role is not found for an unknown permission set name or account", func(t *testing.T, h *harness) {
		u, ps, acct := h.createUser(t), h.createPermissionSet(t), h.createAccount(t)
		h.assign(t, acct.ID, ps, ic.PrincipalUser, u.ID)
		_, err := h.s.UserRole(h.ctx, u.ID, acct.ID, "NoSuchSet")
		notFound(t, err, "")
		_, err = h.s.UserRole(h.ctx, u.ID, h.createAccount(t).ID, ps.Name)
		notFound(t, err, "")
		_, err = h.s.UserRole(h.ctx, h.createUser(t).ID, acct.ID, ps.Name)
		notFound(t, err, "")
	}},
	{"a user without assignments has no accounts and no roles", func(t *testing.T, h *harness) {
		u, acct := h.createUser(t), h.createAccount(t)
		h.assign(t, acct.ID, h.createPermissionSet(t), ic.PrincipalUser, h.createUser(t).ID)
		accts, next, err := h.s.UserAccounts(h.ctx, u.ID, store.Page{Limit: 10})
		ok(t, err)
		equal(t, "accounts", 0, len(accts))
		equal(t, "token", "", next)
		equal(t, "roles", 0, len(h.userRoles(t, u.ID, acct.ID, 10)))
	}},
}
