package storetest

import (
	"testing"

	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

var permissionSetTests = []test{
	{"a permission set is read back with its policies and tags", func(t *testing.T, h *harness) {
		ps := h.createPermissionSet(t)
		got, err := h.s.PermissionSet(h.ctx, ps.ID)
		ok(t, err)
		equal(t, "permission set", ps, got)
		equal(t, "event", "ssoadmin.permissionset.create", h.lastEvent(t).Action)
	}},
	{"a missing permission set is not found", func(t *testing.T, h *harness) {
		id := h.newPermissionSet("ghost").ID
		_, err := h.s.PermissionSet(h.ctx, id)
		notFound(t, err, store.ResourcePermissionSet)
		_, err = h.s.UpdatePermissionSet(h.ctx, id, func(p ic.PermissionSet) (ic.PermissionSet, error) { return p, nil })
		notFound(t, err, store.ResourcePermissionSet)
		notFound(t, h.s.DeletePermissionSet(h.ctx, id), store.ResourcePermissionSet)
	}},
	{"a duplicate permission set name is a conflict within an instance only", func(t *testing.T, h *harness) {
		ps := h.createPermissionSet(t)
		dup := h.newPermissionSet(ps.Name)
		h.unchangedLog(t, func() { conflict(t, h.s.CreatePermissionSet(h.ctx, dup)) })
		dup.InstanceID = "ssoins-ffffffffffffffff"
		ok(t, h.s.CreatePermissionSet(h.ctx, dup))
	}},
	{"permission sets are listed in id order across pages", func(t *testing.T, h *harness) {
		var want []ic.PermissionSet
		for range 5 {
			want = append(want, h.createPermissionSet(t))
		}
		sortBy(want, func(p ic.PermissionSet) string { return p.ID })
		got, pages := walk(t, 5, func(p store.Page) ([]ic.PermissionSet, string, error) {
			return h.s.ListPermissionSets(h.ctx, p)
		})
		equal(t, "permission sets", want, got)
		equal(t, "pages", 1, pages)
	}},
	{"updating a permission set replaces it", func(t *testing.T, h *harness) {
		ps := h.createPermissionSet(t)
		got, err := h.s.UpdatePermissionSet(h.ctx, ps.ID, func(old ic.PermissionSet) (ic.PermissionSet, error) {
			equal(t, "fn's input", ps, old)
			old.Description, old.InlinePolicy = "changed", ""
			old.ManagedPolicies = append(old.ManagedPolicies, "arn:aws:iam::aws:policy/AdministratorAccess")
			old.Version++
			return old, nil
		})
		ok(t, err)
		stored, err := h.s.PermissionSet(h.ctx, ps.ID)
		ok(t, err)
		equal(t, "stored", got, stored)
		equal(t, "version", 2, stored.Version)
		equal(t, "event", "ssoadmin.permissionset.update", h.lastEvent(t).Action)
	}},
	{"renaming a permission set onto a taken name is a conflict", func(t *testing.T, h *harness) {
		a, b := h.createPermissionSet(t), h.createPermissionSet(t)
		_, err := h.s.UpdatePermissionSet(h.ctx, b.ID, func(old ic.PermissionSet) (ic.PermissionSet, error) {
			old.Name = a.Name
			return old, nil
		})
		conflict(t, err)
	}},
	{"a permission set update whose fn fails returns its error and writes nothing", func(t *testing.T, h *harness) {
		ps := h.createPermissionSet(t)
		h.unchangedLog(t, func() {
			_, err := h.s.UpdatePermissionSet(h.ctx, ps.ID, func(old ic.PermissionSet) (ic.PermissionSet, error) {
				old.Version = 99
				return old, errFn
			})
			fnFailed(t, err)
		})
		got, err := h.s.PermissionSet(h.ctx, ps.ID)
		ok(t, err)
		equal(t, "permission set", ps, got)
	}},
	{"a permission set with assignments cannot be deleted", func(t *testing.T, h *harness) {
		ps, acct, u := h.createPermissionSet(t), h.createAccount(t), h.createUser(t)
		a := h.assign(t, acct.ID, ps, ic.PrincipalUser, u.ID)
		h.unchangedLog(t, func() { conflict(t, h.s.DeletePermissionSet(h.ctx, ps.ID)) })
		_, err := h.s.PermissionSet(h.ctx, ps.ID)
		ok(t, err)
		h.unassign(t, a)
		ok(t, h.s.DeletePermissionSet(h.ctx, ps.ID))
		_, err = h.s.PermissionSet(h.ctx, ps.ID)
		notFound(t, err, store.ResourcePermissionSet)
		equal(t, "event", "ssoadmin.permissionset.delete", h.lastEvent(t).Action)
	}},
	{"deleting a permission set removes its provisioned roles", func(t *testing.T, h *harness) {
		ps, acct := h.createPermissionSet(t), h.createAccount(t)
		ok(t, h.s.Provision(h.ctx, ps.ID, acct.ID, h.role(ps, ""), h.request(ic.RequestProvision, ic.Assignment{})))
		equal(t, "roles before", 1, len(h.roles(t, store.RoleFilter{PermissionSetID: ps.ID})))
		ok(t, h.s.DeletePermissionSet(h.ctx, ps.ID))
		equal(t, "roles after", 0, len(h.roles(t, store.RoleFilter{})))
	}},
}

// roles lists every role matching f.
func (h *harness) roles(t *testing.T, f store.RoleFilter) []ic.Role {
	t.Helper()
	all, _ := walk(t, 50, func(p store.Page) ([]ic.Role, string, error) { return h.s.ListRoles(h.ctx, f, p) })
	return all
}
