package storetest

import (
	"testing"
	"time"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

var idpRoleTests = []idpTest{
	{"a role is assigned with a fresh id, read back and counted", func(t *testing.T, h *idpHarness) {
		u, g := h.createUser(t), h.createGroup(t)
		r, err := h.s.AssignRole(h.ctx, directory.Role{UserID: u.ID, Type: directory.UserAdmin, Targets: []string{g.ID}})
		ok(t, err)
		if !directory.ValidID(r.ID) {
			t.Errorf("id %q is not one the directory makes", r.ID)
		}
		equalTime(t, "Created", start, r.Created)
		got, err := h.s.Role(h.ctx, u.ID, r.ID)
		ok(t, err)
		equal(t, "Role", r, got)
		all, err := h.s.Roles(h.ctx, u.ID)
		ok(t, err)
		equal(t, "Roles", []directory.Role{r}, all)
		n, err := h.s.CountRoles(h.ctx, directory.UserAdmin)
		ok(t, err)
		equal(t, "count", 1, n)
		e := h.lastEvent(t)
		equal(t, "event", [3]string{"user.account.privilege.grant", "Role", r.ID}, [3]string{e.Action, e.TargetType, e.TargetID})
		other := h.createUser(t)
		none, err := h.s.Roles(h.ctx, other.ID)
		ok(t, err)
		equal(t, "no roles", 0, len(none))
		_, err = h.s.Role(h.ctx, other.ID, r.ID)
		notFound(t, err, store.ResourceRole)
		_, err = h.s.Roles(h.ctx, "00uMissing")
		notFound(t, err, store.ResourceUser)
	}},
	{"a second role of one type is a conflict naming the role type and writes nothing", func(t *testing.T, h *idpHarness) {
		u, other := h.createUser(t), h.createUser(t)
		_, err := h.s.AssignRole(h.ctx, directory.Role{UserID: u.ID, Type: directory.OrgAdmin})
		ok(t, err)
		h.nothingWritten(t, func() {
			_, err := h.s.AssignRole(h.ctx, directory.Role{UserID: u.ID, Type: directory.OrgAdmin})
			taken(t, err, store.ResourceRole, store.FieldRoleType)
		})
		_, err = h.s.AssignRole(h.ctx, directory.Role{UserID: other.ID, Type: directory.OrgAdmin})
		ok(t, err)
		n, err := h.s.CountRoles(h.ctx, directory.OrgAdmin)
		ok(t, err)
		equal(t, "org admins", 2, n)
	}},
	{"assigning a role to a missing user or targeting a missing group is not found", func(t *testing.T, h *idpHarness) {
		u := h.createUser(t)
		h.nothingWritten(t, func() {
			_, err := h.s.AssignRole(h.ctx, directory.Role{UserID: "00uMissing", Type: directory.OrgAdmin})
			notFound(t, err, store.ResourceUser)
			_, err = h.s.AssignRole(h.ctx, directory.Role{UserID: u.ID, Type: directory.UserAdmin, Targets: []string{"00gMissing"}})
			notFound(t, err, store.ResourceGroup)
		})
	}},
	{"updating a role's targets is compare-and-swap; a failing fn writes nothing", func(t *testing.T, h *idpHarness) {
		u, g1, g2 := h.createUser(t), h.createGroup(t), h.createGroup(t)
		r, err := h.s.AssignRole(h.ctx, directory.Role{UserID: u.ID, Type: directory.GroupMembershipAdmin, Targets: []string{g1.ID}})
		ok(t, err)
		now := h.newer()
		got, err := h.s.UpdateRole(h.ctx, u.ID, r.ID, func(old directory.Role) (directory.Role, error) {
			equal(t, "fn's input", r, old)
			old.Targets = append(old.Targets, g2.ID)
			old.ID, old.UserID = "raOther", "00uOther"
			return old, nil
		})
		ok(t, err)
		equal(t, "targets", []string{g1.ID, g2.ID}, got.Targets)
		equal(t, "id and holder", [2]string{r.ID, u.ID}, [2]string{got.ID, got.UserID})
		equalTime(t, "LastUpdated", now, got.LastUpdated)
		read, err := h.s.Role(h.ctx, u.ID, r.ID)
		ok(t, err)
		equal(t, "stored", got, read)
		h.nothingWritten(t, func() {
			_, err := h.s.UpdateRole(h.ctx, u.ID, r.ID, func(old directory.Role) (directory.Role, error) { return old, errFn })
			fnFailed(t, err)
			_, err = h.s.UpdateRole(h.ctx, u.ID, r.ID, func(old directory.Role) (directory.Role, error) {
				old.Targets = []string{"00gMissing"}
				return old, nil
			})
			notFound(t, err, store.ResourceGroup)
		})
	}},
	{"removing a role revokes it; a missing one is not found", func(t *testing.T, h *idpHarness) {
		u := h.createUser(t)
		r, err := h.s.AssignRole(h.ctx, directory.Role{UserID: u.ID, Type: directory.ReadOnlyAdmin})
		ok(t, err)
		ok(t, h.s.RemoveRole(h.ctx, u.ID, r.ID))
		_, err = h.s.Role(h.ctx, u.ID, r.ID)
		notFound(t, err, store.ResourceRole)
		e := h.lastEvent(t)
		equal(t, "event", [2]string{"user.account.privilege.revoke", r.ID}, [2]string{e.Action, e.TargetID})
		h.nothingWritten(t, func() { notFound(t, h.s.RemoveRole(h.ctx, u.ID, r.ID), store.ResourceRole) })
	}},
	{"the last super administrator role cannot be removed, and writes nothing", func(t *testing.T, h *idpHarness) {
		u, v := h.createUser(t), h.createUser(t)
		first, err := h.s.AssignRole(h.ctx, directory.Role{UserID: u.ID, Type: directory.SuperAdmin})
		ok(t, err)
		second, err := h.s.AssignRole(h.ctx, directory.Role{UserID: v.ID, Type: directory.SuperAdmin})
		ok(t, err)
		ok(t, h.s.RemoveRole(h.ctx, v.ID, second.ID))
		h.nothingWritten(t, func() { isKind(t, h.s.RemoveRole(h.ctx, u.ID, first.ID), errs.Invalid) })
		n, err := h.s.CountRoles(h.ctx, directory.SuperAdmin)
		ok(t, err)
		equal(t, "super admins", 1, n)
	}},
	{"a super administrator role stays unless another holder can sign in", func(t *testing.T, h *idpHarness) {
		u, v := h.createUser(t), h.createUser(t)
		first, err := h.s.AssignRole(h.ctx, directory.Role{UserID: u.ID, Type: directory.SuperAdmin})
		ok(t, err)
		second, err := h.s.AssignRole(h.ctx, directory.Role{UserID: v.ID, Type: directory.SuperAdmin})
		ok(t, err)
		_, err = h.s.UpdateUser(h.ctx, v.ID, "user.lifecycle.deactivate", func(old directory.User) (directory.User, error) {
			old.Status = directory.Deprovisioned
			return old, nil
		})
		ok(t, err)
		h.nothingWritten(t, func() { isKind(t, h.s.RemoveRole(h.ctx, u.ID, first.ID), errs.Invalid) })
		ok(t, h.s.RemoveRole(h.ctx, v.ID, second.ID))
	}},
	{"deleting a group removes it from role targets and revokes a role it was the only target of", func(t *testing.T, h *idpHarness) {
		u, v := h.createUser(t), h.createUser(t)
		g1, g2 := h.createGroup(t), h.createGroup(t)
		wide, err := h.s.AssignRole(h.ctx, directory.Role{UserID: u.ID, Type: directory.UserAdmin, Targets: []string{g1.ID, g2.ID}})
		ok(t, err)
		narrow, err := h.s.AssignRole(h.ctx, directory.Role{UserID: v.ID, Type: directory.HelpDeskAdmin, Targets: []string{g1.ID}})
		ok(t, err)
		untargeted, err := h.s.AssignRole(h.ctx, directory.Role{UserID: v.ID, Type: directory.UserAdmin})
		ok(t, err)
		h.clk.Advance(time.Minute)
		ok(t, h.s.DeleteGroup(h.ctx, g1.ID))
		got, err := h.s.Role(h.ctx, u.ID, wide.ID)
		ok(t, err)
		equal(t, "targets left", []string{g2.ID}, got.Targets)
		_, err = h.s.Role(h.ctx, v.ID, narrow.ID)
		notFound(t, err, store.ResourceRole) // not widened to every group
		kept, err := h.s.Role(h.ctx, v.ID, untargeted.ID)
		ok(t, err)
		equal(t, "untouched", untargeted, kept)
		acts := h.actions(t)
		equal(t, "events", []string{"user.account.privilege.revoke", "group.lifecycle.delete"}, acts[len(acts)-2:])
	}},
}

var idpBootstrapTests = []idpTest{
	{"bootstrap stores the super administrator, their role and token once", func(t *testing.T, h *idpHarness) {
		b := store.IdPBootstrap{Admin: h.newUser(), Role: directory.Role{Type: directory.SuperAdmin},
			Token: directory.APIToken{Name: "bootstrap"}, TokenHash: "bootstrap-hash"}
		created, err := h.s.BootstrapIdP(h.ctx, b)
		ok(t, err)
		equal(t, "created", true, created)
		admin, err := h.s.UserByLogin(h.ctx, b.Admin.Login())
		ok(t, err)
		roles, err := h.s.Roles(h.ctx, admin.ID)
		ok(t, err)
		if len(roles) != 1 || roles[0].Type != directory.SuperAdmin {
			t.Errorf("roles = %+v, want one SUPER_ADMIN", roles)
		}
		tok, err := h.s.APITokenByHash(h.ctx, "bootstrap-hash")
		ok(t, err)
		equal(t, "token holder", admin.ID, tok.UserID)
		acts := h.actions(t)
		equal(t, "bootstrap event", "keyward.idp.bootstrap", acts[len(acts)-1])
		again := store.IdPBootstrap{Admin: h.newUser(), Role: directory.Role{Type: directory.SuperAdmin},
			Token: directory.APIToken{Name: "again"}, TokenHash: "again-hash"}
		h.nothingWritten(t, func() {
			created, err := h.s.BootstrapIdP(h.ctx, again)
			ok(t, err)
			equal(t, "created again", false, created)
		})
		_, err = h.s.UserByLogin(h.ctx, again.Admin.Login())
		notFound(t, err, store.ResourceUser)
		_, err = h.s.APITokenByHash(h.ctx, "again-hash")
		notFound(t, err, store.ResourceAPIToken)
	}},
	{"bootstrap stores nothing when a super administrator exists", func(t *testing.T, h *idpHarness) {
		u := h.createUser(t)
		_, err := h.s.AssignRole(h.ctx, directory.Role{UserID: u.ID, Type: directory.SuperAdmin})
		ok(t, err)
		b := store.IdPBootstrap{Admin: h.newUser(), Token: directory.APIToken{Name: "bootstrap"}, TokenHash: "h"}
		h.nothingWritten(t, func() {
			created, err := h.s.BootstrapIdP(h.ctx, b)
			ok(t, err)
			equal(t, "created", false, created)
		})
	}},
	{"a bootstrap that fails stores nothing", func(t *testing.T, h *idpHarness) {
		u := h.createUser(t)
		admin := h.newUser()
		admin.Profile["login"] = flipCase(u.Login())
		b := store.IdPBootstrap{Admin: admin, Token: directory.APIToken{Name: "bootstrap"}, TokenHash: "h"}
		h.nothingWritten(t, func() {
			_, err := h.s.BootstrapIdP(h.ctx, b)
			taken(t, err, store.ResourceUser, store.FieldLogin)
		})
		n, err := h.s.CountRoles(h.ctx, directory.SuperAdmin)
		ok(t, err)
		equal(t, "super admins", 0, n)
		_, err = h.s.APITokenByHash(h.ctx, "h")
		notFound(t, err, store.ResourceAPIToken)
	}},
}
