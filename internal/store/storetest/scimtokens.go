package storetest

import (
	"testing"
	"time"

	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// newSCIMToken is a token created now, living AWS's year.
func (h *harness) newSCIMToken(hash string) ic.SCIMToken {
	now := h.clk.Now()
	return ic.SCIMToken{ID: h.name("scim"), Hash: hash, CreatedAt: now, ExpiresAt: now.Add(ic.SCIMTokenLifetime)}
}

var scimTokenTests = []test{
	{"a SCIM token is created, found by hash and listed with its event", func(t *testing.T, h *harness) {
		tok := h.newSCIMToken("hash-1")
		ok(t, h.s.CreateSCIMToken(h.ctx, tok))
		e := h.lastEvent(t)
		equal(t, "event", [3]string{"identitycenter.scim.token.create", "SCIM_TOKEN", tok.ID},
			[3]string{e.Action, e.TargetType, e.TargetID})
		got, err := h.s.SCIMTokenByHash(h.ctx, "hash-1")
		ok(t, err)
		equal(t, "by hash", tok, got)
		all, err := h.s.SCIMTokens(h.ctx)
		ok(t, err)
		equal(t, "list", []ic.SCIMToken{tok}, all)
		_, err = h.s.SCIMTokenByHash(h.ctx, "hash-2")
		notFound(t, err, store.ResourceSCIMToken)
		h.unchangedLog(t, func() {
			taken(t, h.s.CreateSCIMToken(h.ctx, h.newSCIMToken("hash-1")), store.ResourceSCIMToken, store.FieldSecret)
		})
	}},
	{"a third live token is refused, but an expired one does not count", func(t *testing.T, h *harness) {
		first := h.newSCIMToken("hash-1")
		ok(t, h.s.CreateSCIMToken(h.ctx, first))
		h.clk.Advance(time.Hour)
		ok(t, h.s.CreateSCIMToken(h.ctx, h.newSCIMToken("hash-2")))
		h.unchangedLog(t, func() { conflict(t, h.s.CreateSCIMToken(h.ctx, h.newSCIMToken("hash-3"))) })
		h.clk.Advance(ic.SCIMTokenLifetime - time.Hour) // the first has just expired
		_, err := h.s.SCIMTokenByHash(h.ctx, "hash-1")
		notFound(t, err, store.ResourceSCIMToken)
		ok(t, h.s.CreateSCIMToken(h.ctx, h.newSCIMToken("hash-3")))
		all, err := h.s.SCIMTokens(h.ctx)
		ok(t, err)
		if len(all) != 3 || all[0].ID != first.ID {
			t.Errorf("list = %+v, want all three, the expired first", all)
		}
	}},
	{"touching a token records its last use, never moving it back, with no event", func(t *testing.T, h *harness) {
		tok := h.newSCIMToken("hash-1")
		ok(t, h.s.CreateSCIMToken(h.ctx, tok))
		used := h.clk.Now().Add(time.Minute)
		h.unchangedLog(t, func() {
			ok(t, h.s.TouchSCIMToken(h.ctx, tok.ID, used))
			ok(t, h.s.TouchSCIMToken(h.ctx, tok.ID, used.Add(-time.Second)))
		})
		got, err := h.s.SCIMTokenByHash(h.ctx, "hash-1")
		ok(t, err)
		equal(t, "LastUsed", used, got.LastUsed)
		notFound(t, h.s.TouchSCIMToken(h.ctx, "missing", used), store.ResourceSCIMToken)
	}},
	{"deleting a token ends it; a missing one is not found", func(t *testing.T, h *harness) {
		tok := h.newSCIMToken("hash-1")
		ok(t, h.s.CreateSCIMToken(h.ctx, tok))
		ok(t, h.s.DeleteSCIMToken(h.ctx, tok.ID))
		e := h.lastEvent(t)
		equal(t, "event", [2]string{"identitycenter.scim.token.delete", tok.ID}, [2]string{e.Action, e.TargetID})
		_, err := h.s.SCIMTokenByHash(h.ctx, "hash-1")
		notFound(t, err, store.ResourceSCIMToken)
		h.unchangedLog(t, func() { notFound(t, h.s.DeleteSCIMToken(h.ctx, tok.ID), store.ResourceSCIMToken) })
	}},
	{"deleting all tokens ends each with its own event", func(t *testing.T, h *harness) {
		a, b := h.newSCIMToken("hash-1"), h.newSCIMToken("hash-2")
		ok(t, h.s.CreateSCIMToken(h.ctx, a))
		ok(t, h.s.CreateSCIMToken(h.ctx, b))
		ok(t, h.s.DeleteSCIMTokens(h.ctx))
		all, err := h.s.SCIMTokens(h.ctx)
		ok(t, err)
		equal(t, "list", nil, all)
		acts := h.actions(t)
		equal(t, "last actions", []string{"identitycenter.scim.token.delete", "identitycenter.scim.token.delete"}, acts[len(acts)-2:])
		ok(t, h.s.CreateSCIMToken(h.ctx, h.newSCIMToken("hash-3")))
	}},
	{"a user's enterprise attributes round-trip beside the profile", func(t *testing.T, h *harness) {
		u := h.newUser(h.name("ent"))
		u.Enterprise = ic.Enterprise{EmployeeNumber: "701984", CostCenter: "4130", Organization: "Example",
			Division: "Ops", Department: "Eng", ManagerID: "9067729b3d-ee533c18"}
		ok(t, h.s.CreateUser(h.ctx, u))
		got, err := h.s.User(h.ctx, u.ID)
		ok(t, err)
		equal(t, "user", u, got)
		got, err = h.s.UpdateUser(h.ctx, u.ID, func(old ic.User) (ic.User, error) {
			old.Enterprise = ic.Enterprise{}
			return old, nil
		})
		ok(t, err)
		again, err := h.s.User(h.ctx, u.ID)
		ok(t, err)
		equal(t, "cleared", got, again)
		equal(t, "cleared enterprise", ic.Enterprise{}, again.Enterprise)
	}},
}
