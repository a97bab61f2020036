package storetest

import (
	"testing"
	"time"

	"github.com/keyward/keyward/internal/clock"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

var assignmentTests = []test{
	{"an assignment provisions a role at the permission set's version and records the request", func(t *testing.T, h *harness) {
		ps, acct, u := h.createPermissionSet(t), h.createAccount(t), h.createUser(t)
		a := assignment(acct.ID, ps, ic.PrincipalUser, u.ID, h.clk.Now())
		role, req := h.role(ps, "template-account-is-replaced"), h.request(ic.RequestAssignmentCreate, a)
		role.Version = 0
		ok(t, h.s.CreateAssignment(h.ctx, a, role, req))
		role.AccountID, role.Version = acct.ID, ps.Version
		equal(t, "roles", []ic.Role{role}, h.roles(t, store.RoleFilter{}))
		got, err := h.s.Request(h.ctx, req.ID)
		ok(t, err)
		equal(t, "request", req, got)
		list, _, err := h.s.ListAssignments(h.ctx, acct.ID, ps.ID, store.Page{Limit: 10})
		ok(t, err)
		equal(t, "assignments", []ic.Assignment{a}, list)
		equal(t, "event", "ssoadmin.assignment.create", h.lastEvent(t).Action)
	}},
	{"creating an existing assignment again keeps it and its role", func(t *testing.T, h *harness) {
		ps, acct, u := h.createPermissionSet(t), h.createAccount(t), h.createUser(t)
		a := h.assign(t, acct.ID, ps, ic.PrincipalUser, u.ID)
		before := h.roles(t, store.RoleFilter{})
		h.clk.Advance(time.Second)
		again := assignment(acct.ID, ps, ic.PrincipalUser, u.ID, h.clk.Now())
		req := h.request(ic.RequestAssignmentCreate, again)
		ok(t, h.s.CreateAssignment(h.ctx, again, h.role(ps, acct.ID), req))
		list, _, err := h.s.ListAssignments(h.ctx, acct.ID, ps.ID, store.Page{Limit: 10})
		ok(t, err)
		equal(t, "assignments", []ic.Assignment{a}, list)
		equal(t, "roles", before, h.roles(t, store.RoleFilter{}))
		_, err = h.s.Request(h.ctx, req.ID)
		ok(t, err)
	}},
	{"a second principal on the same permission set and account shares the first role", func(t *testing.T, h *harness) {
		ps, acct := h.createPermissionSet(t), h.createAccount(t)
		h.assign(t, acct.ID, ps, ic.PrincipalUser, h.createUser(t).ID)
		before := h.roles(t, store.RoleFilter{})
		h.assign(t, acct.ID, ps, ic.PrincipalGroup, h.createGroup(t).ID)
		equal(t, "roles", before, h.roles(t, store.RoleFilter{}))
	}},
	{"an assignment of a missing permission set, account or principal is not found", func(t *testing.T, h *harness) {
		ps, acct, u, g := h.createPermissionSet(t), h.createAccount(t), h.createUser(t), h.createGroup(t)
		ghostPS := h.newPermissionSet("ghost")
		cases := []struct {
			a    ic.Assignment
			want string
		}{
			{assignment(acct.ID, ghostPS, ic.PrincipalUser, u.ID, h.clk.Now()), store.ResourcePermissionSet},
			{assignment(h.newAccount().ID, ps, ic.PrincipalUser, u.ID, h.clk.Now()), store.ResourceAccount},
			{assignment(acct.ID, ps, ic.PrincipalUser, g.ID, h.clk.Now()), store.ResourceUser},
			{assignment(acct.ID, ps, ic.PrincipalGroup, u.ID, h.clk.Now()), store.ResourceGroup},
		}
		h.unchangedLog(t, func() {
			for _, c := range cases {
				err := h.s.CreateAssignment(h.ctx, c.a, h.role(ps, acct.ID), h.request(ic.RequestAssignmentCreate, c.a))
				notFound(t, err, c.want)
			}
		})
		equal(t, "roles", 0, len(h.roles(t, store.RoleFilter{})))
	}},
	{"deleting the last assignment of a permission set on an account removes its role", func(t *testing.T, h *harness) {
		ps, acct := h.createPermissionSet(t), h.createAccount(t)
		byUser := h.assign(t, acct.ID, ps, ic.PrincipalUser, h.createUser(t).ID)
		byGroup := h.assign(t, acct.ID, ps, ic.PrincipalGroup, h.createGroup(t).ID)
		req := h.request(ic.RequestAssignmentDelete, byUser)
		ok(t, h.s.DeleteAssignment(h.ctx, byUser, req))
		equal(t, "event", "ssoadmin.assignment.delete", h.lastEvent(t).Action)
		_, err := h.s.Request(h.ctx, req.ID)
		ok(t, err)
		equal(t, "roles after the first", 1, len(h.roles(t, store.RoleFilter{})))
		h.unassign(t, byGroup)
		equal(t, "roles after the last", 0, len(h.roles(t, store.RoleFilter{})))
	}},
	{"deleting a missing assignment is not found", func(t *testing.T, h *harness) {
		ps, acct, u := h.createPermissionSet(t), h.createAccount(t), h.createUser(t)
		a := assignment(acct.ID, ps, ic.PrincipalUser, u.ID, h.clk.Now())
		req := h.request(ic.RequestAssignmentDelete, a)
		notFound(t, h.s.DeleteAssignment(h.ctx, a, req), "")
		_, err := h.s.Request(h.ctx, req.ID)
		notFound(t, err, "")
	}},
	{"assignments are listed by principal type and id across pages", func(t *testing.T, h *harness) {
		ps, acct := h.createPermissionSet(t), h.createAccount(t)
		var want []ic.Assignment
		for range 3 {
			want = append(want, h.assign(t, acct.ID, ps, ic.PrincipalUser, h.createUser(t).ID))
			want = append(want, h.assign(t, acct.ID, ps, ic.PrincipalGroup, h.createGroup(t).ID))
		}
		h.assign(t, acct.ID, h.createPermissionSet(t), ic.PrincipalUser, h.createUser(t).ID)
		h.assign(t, h.createAccount(t).ID, ps, ic.PrincipalUser, h.createUser(t).ID)
		sortBy(want, func(a ic.Assignment) string { return a.PrincipalType + "/" + a.PrincipalID })
		got, _ := walk(t, 4, func(p store.Page) ([]ic.Assignment, string, error) {
			return h.s.ListAssignments(h.ctx, acct.ID, ps.ID, p)
		})
		equal(t, "assignments", want, got)
	}},
	{"a missing request is not found", func(t *testing.T, h *harness) {
		_, err := h.s.Request(h.ctx, ic.NewUUID(clock.Random))
		notFound(t, err, "")
	}},
}
