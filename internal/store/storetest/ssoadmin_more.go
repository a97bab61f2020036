package storetest

import (
	"testing"

	"github.com/keyward/keyward/internal/audit"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

var ssoAdminTests = []test{
	{"a permission set keeps its customer managed policy references and boundary", func(t *testing.T, h *harness) {
		ps := h.newPermissionSet(h.name("ps"))
		ps.CustomerPolicies = []ic.PolicyRef{{Name: "Billing"}, {Name: "Deploy", Path: "/ci/"}}
		ps.Boundary = &ic.PermissionsBoundary{CustomerPolicy: &ic.PolicyRef{Name: "Guard", Path: "/"}}
		ok(t, h.s.CreatePermissionSet(h.ctx, ps))
		got, err := h.s.PermissionSet(h.ctx, ps.ID)
		ok(t, err)
		equal(t, "permission set", ps, got)
		got, err = h.s.UpdatePermissionSet(h.ctx, ps.ID, func(old ic.PermissionSet) (ic.PermissionSet, error) {
			old.CustomerPolicies, old.Boundary = nil, &ic.PermissionsBoundary{ManagedPolicyARN: "arn:aws:iam::aws:policy/ReadOnlyAccess"}
			return old, nil
		})
		ok(t, err)
		stored, err := h.s.PermissionSet(h.ctx, ps.ID)
		ok(t, err)
		equal(t, "updated", got, stored)
	}},
	{"the instance's name, tags and access control configuration change in place", func(t *testing.T, h *harness) {
		b := h.newBootstrap()
		_, _, err := h.s.Bootstrap(h.ctx, b)
		ok(t, err)
		got, err := h.s.UpdateInstance(h.ctx, func(i ic.Instance) (ic.Instance, error) {
			equal(t, "fn's input", b.Instance, i)
			i.Name, i.ID = "corp", "ssoins-ffffffffffffffff"
			i.Tags = []ic.Tag{{Key: "env", Value: "prod"}}
			i.AccessControl = &ic.AccessControlConfig{Attributes: []ic.AccessControlAttribute{{Key: "dept", Source: "${path:enterprise.department}"}}}
			return i, nil
		})
		ok(t, err)
		equal(t, "id", b.Instance.ID, got.ID)
		stored, err := h.s.Instance(h.ctx)
		ok(t, err)
		equal(t, "stored", got, stored)
		equal(t, "event", "ssoadmin.instance.update", h.lastEvent(t).Action)
	}},
	{"an instance update whose fn fails writes nothing", func(t *testing.T, h *harness) {
		b := h.newBootstrap()
		_, _, err := h.s.Bootstrap(h.ctx, b)
		ok(t, err)
		h.unchangedLog(t, func() {
			_, err := h.s.UpdateInstance(h.ctx, func(i ic.Instance) (ic.Instance, error) { i.Name = "x"; return i, errFn })
			fnFailed(t, err)
		})
		stored, err := h.s.Instance(h.ctx)
		ok(t, err)
		equal(t, "instance", b.Instance, stored)
	}},
	{"a failed request is recorded with a failure event and listed by kind and status", func(t *testing.T, h *harness) {
		ps, acct, u := h.createPermissionSet(t), h.createAccount(t), h.createUser(t)
		a := h.assign(t, acct.ID, ps, ic.PrincipalUser, u.ID)
		failed := h.request(ic.RequestAssignmentCreate, a)
		failed.Status, failed.FailureReason = ic.StateFailed, "Received a 404 status error"
		ok(t, h.s.RecordRequest(h.ctx, failed))
		e := h.lastEvent(t)
		equal(t, "event", []string{"ssoadmin.assignment.create", audit.Failure}, []string{e.Action, e.Outcome})
		got, err := h.s.Request(h.ctx, failed.ID)
		ok(t, err)
		equal(t, "request", failed, got)
		list, _, err := h.s.ListRequests(h.ctx, store.RequestFilter{Kind: ic.RequestAssignmentCreate, Status: ic.StateFailed}, store.Page{Limit: 10})
		ok(t, err)
		equal(t, "failed creations", []ic.Request{failed}, list)
		all, pages := walk(t, 1, func(p store.Page) ([]ic.Request, string, error) {
			return h.s.ListRequests(h.ctx, store.RequestFilter{Kind: ic.RequestAssignmentCreate}, p)
		})
		equal(t, "creations", 2, len(all))
		equal(t, "pages", 2, pages)
		none, _, err := h.s.ListRequests(h.ctx, store.RequestFilter{Kind: ic.RequestProvision}, store.Page{Limit: 10})
		ok(t, err)
		equal(t, "provisionings", 0, len(none))
	}},
	{"a user's assignments, its groups' included, are listed by account, optionally on one account", func(t *testing.T, h *harness) {
		ps1, ps2, a1, a2 := h.createPermissionSet(t), h.createPermissionSet(t), h.createAccount(t), h.createAccount(t)
		u, other, g, otherGroup := h.createUser(t), h.createUser(t), h.createGroup(t), h.createGroup(t)
		h.addMember(t, g, u)
		var want []ic.Assignment
		for _, acct := range []ic.Account{a1, a2} {
			for _, ps := range []ic.PermissionSet{ps1, ps2} {
				want = append(want, h.assign(t, acct.ID, ps, ic.PrincipalUser, u.ID))
			}
		}
		want = append(want, h.assign(t, a1.ID, ps1, ic.PrincipalGroup, g.ID))
		h.assign(t, a1.ID, ps1, ic.PrincipalUser, other.ID)
		h.assign(t, a1.ID, ps1, ic.PrincipalGroup, otherGroup.ID)
		sortBy(want, func(a ic.Assignment) string {
			return a.AccountID + "/" + a.PermissionSetID + "/" + a.PrincipalType + "/" + a.PrincipalID
		})
		got, pages := walk(t, 3, func(p store.Page) ([]ic.Assignment, string, error) {
			return h.s.ListPrincipalAssignments(h.ctx, ic.PrincipalUser, u.ID, "", p)
		})
		equal(t, "assignments", want, got)
		equal(t, "pages", 2, pages)
		one, _, err := h.s.ListPrincipalAssignments(h.ctx, ic.PrincipalUser, u.ID, a2.ID, store.Page{Limit: 10})
		ok(t, err)
		equal(t, "on one account", 2, len(one))
		group, _, err := h.s.ListPrincipalAssignments(h.ctx, ic.PrincipalGroup, g.ID, "", store.Page{Limit: 10})
		ok(t, err)
		equal(t, "the group's", 1, len(group))
	}},
}
