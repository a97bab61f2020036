package storetest

import (
	"testing"
	"time"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

var idpPolicyTests = []idpTest{
	{"a group's sign-on policy is put, replaced, listed and deleted, each with its event", func(t *testing.T, h *idpHarness) {
		g := h.createGroup(t)
		p := directory.SignOnPolicy{GroupID: g.ID, RequireMFA: true, IdleLifetime: time.Hour, MaxLifetime: 8 * time.Hour}
		ok(t, h.s.PutSignOnPolicy(h.ctx, p))
		equal(t, "event", "policy.lifecycle.update", h.lastEvent(t).Action)
		p.IdleLifetime = 30 * time.Minute
		ok(t, h.s.PutSignOnPolicy(h.ctx, p))
		got, err := h.s.SignOnPolicies(h.ctx)
		ok(t, err)
		equal(t, "policies", []directory.SignOnPolicy{p}, got)
		ok(t, h.s.DeleteSignOnPolicy(h.ctx, g.ID))
		equal(t, "event", "policy.lifecycle.delete", h.lastEvent(t).Action)
		got, err = h.s.SignOnPolicies(h.ctx)
		ok(t, err)
		equal(t, "after delete", 0, len(got))
	}},
	{"a policy for a missing group is not found and writes nothing", func(t *testing.T, h *idpHarness) {
		h.nothingWritten(t, func() {
			err := h.s.PutSignOnPolicy(h.ctx, directory.SignOnPolicy{GroupID: "00gMissing", IdleLifetime: time.Hour, MaxLifetime: time.Hour})
			notFound(t, err, store.ResourceGroup)
		})
	}},
	{"deleting a group removes its policy", func(t *testing.T, h *idpHarness) {
		g := h.createGroup(t)
		ok(t, h.s.PutSignOnPolicy(h.ctx, directory.SignOnPolicy{GroupID: g.ID, IdleLifetime: time.Hour, MaxLifetime: time.Hour}))
		ok(t, h.s.DeleteGroup(h.ctx, g.ID))
		got, err := h.s.SignOnPolicies(h.ctx)
		ok(t, err)
		equal(t, "policies", 0, len(got))
	}},
}
