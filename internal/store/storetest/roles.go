package storetest

import (
	"testing"

	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// bump raises the permission set's version, as an edit that needs
// provisioning does, and returns the new value.
func (h *harness) bump(t *testing.T, ps ic.PermissionSet) ic.PermissionSet {
	t.Helper()
	got, err := h.s.UpdatePermissionSet(h.ctx, ps.ID, func(p ic.PermissionSet) (ic.PermissionSet, error) {
		p.Version++
		return p, nil
	})
	ok(t, err)
	return got
}

func (h *harness) provision(t *testing.T, ps ic.PermissionSet, account string) {
	t.Helper()
	req := h.request(ic.RequestProvision, ic.Assignment{AccountID: account, PermissionSetID: ps.ID})
	ok(t, h.s.Provision(h.ctx, ps.ID, account, h.role(ps, ""), req))
	got, err := h.s.Request(h.ctx, req.ID)
	ok(t, err)
	equal(t, "provision request", req, got)
}

func versions(roles []ic.Role) map[string]int {
	out := map[string]int{}
	for _, r := range roles {
		out[r.AccountID+"/"+r.PermissionSetID] = r.Version
	}
	return out
}

var (
	yes = true
	no  = false
)

var roleTests = []test{
	{"roles fall behind their permission set's version and the outdated filter finds them", func(t *testing.T, h *harness) {
		ps, a1, a2 := h.createPermissionSet(t), h.createAccount(t), h.createAccount(t)
		h.assign(t, a1.ID, ps, ic.PrincipalUser, h.createUser(t).ID)
		h.assign(t, a2.ID, ps, ic.PrincipalUser, h.createUser(t).ID)
		equal(t, "outdated before", 0, len(h.roles(t, store.RoleFilter{Outdated: &yes})))
		ps = h.bump(t, ps)
		equal(t, "outdated", 2, len(h.roles(t, store.RoleFilter{Outdated: &yes})))
		equal(t, "current", 0, len(h.roles(t, store.RoleFilter{Outdated: &no})))
		h.provision(t, ps, a1.ID)
		equal(t, "outdated after one account", []string{a2.ID}, accountsOf(h.roles(t, store.RoleFilter{Outdated: &yes})))
		equal(t, "current after one account", []string{a1.ID}, accountsOf(h.roles(t, store.RoleFilter{Outdated: &no})))
		h.provision(t, ps, "")
		equal(t, "outdated after all", 0, len(h.roles(t, store.RoleFilter{Outdated: &yes})))
		equal(t, "versions", map[string]int{a1.ID + "/" + ps.ID: 2, a2.ID + "/" + ps.ID: 2},
			versions(h.roles(t, store.RoleFilter{})))
		equal(t, "event", "ssoadmin.permissionset.provision", h.lastEvent(t).Action)
	}},
	{"provisioning an account without a role creates one from the template", func(t *testing.T, h *harness) {
		ps, acct := h.bump(t, h.createPermissionSet(t)), h.createAccount(t)
		tmpl := h.role(ps, "")
		tmpl.Version = 0
		ok(t, h.s.Provision(h.ctx, ps.ID, acct.ID, tmpl, h.request(ic.RequestProvision, ic.Assignment{})))
		tmpl.AccountID, tmpl.Version = acct.ID, ps.Version
		equal(t, "roles", []ic.Role{tmpl}, h.roles(t, store.RoleFilter{}))
	}},
	{"provisioning every account creates no role", func(t *testing.T, h *harness) {
		ps := h.createPermissionSet(t)
		h.createAccount(t)
		h.provision(t, ps, "")
		equal(t, "roles", 0, len(h.roles(t, store.RoleFilter{})))
	}},
	{"provisioning a missing permission set or account is not found", func(t *testing.T, h *harness) {
		ps, acct := h.createPermissionSet(t), h.createAccount(t)
		ghost := h.newPermissionSet("ghost")
		req := h.request(ic.RequestProvision, ic.Assignment{})
		notFound(t, h.s.Provision(h.ctx, ghost.ID, acct.ID, h.role(ghost, ""), req), store.ResourcePermissionSet)
		notFound(t, h.s.Provision(h.ctx, ps.ID, h.newAccount().ID, h.role(ps, ""), req), store.ResourceAccount)
		_, err := h.s.Request(h.ctx, req.ID)
		notFound(t, err, "")
	}},
	{"roles are listed by account then permission set and filtered", func(t *testing.T, h *harness) {
		var accounts []string
		var sets []ic.PermissionSet
		for range 3 {
			accounts = append(accounts, h.createAccount(t).ID)
			sets = append(sets, h.createPermissionSet(t))
		}
		for _, a := range accounts {
			for _, ps := range sets {
				h.provision(t, ps, a)
			}
		}
		all := h.roles(t, store.RoleFilter{})
		equal(t, "count", 9, len(all))
		want := append([]ic.Role(nil), all...)
		sortBy(want, func(r ic.Role) string { return r.AccountID + "/" + r.PermissionSetID })
		equal(t, "order", want, all)
		paged, _ := walk(t, 2, func(p store.Page) ([]ic.Role, string, error) {
			return h.s.ListRoles(h.ctx, store.RoleFilter{}, p)
		})
		equal(t, "paged", all, paged)
		byAccount := h.roles(t, store.RoleFilter{AccountID: accounts[1]})
		equal(t, "by account", []string{accounts[1], accounts[1], accounts[1]}, accountsOf(byAccount))
		both := h.roles(t, store.RoleFilter{AccountID: accounts[2], PermissionSetID: sets[0].ID})
		equal(t, "by both", 1, len(both))
	}},
}

func accountsOf(roles []ic.Role) []string {
	var out []string
	for _, r := range roles {
		out = append(out, r.AccountID)
	}
	return out
}
