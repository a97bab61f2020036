package storetest

import (
	"testing"
	"time"

	"github.com/keyward/keyward/internal/audit"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// rotate replaces the token holding old's refresh token with a new one and
// returns it (with old's family, as the store keeps it).
func (h *harness) rotate(t *testing.T, old ic.Token) ic.Token {
	t.Helper()
	got, err := h.s.RotateToken(h.ctx, old.RefreshHash, func(ic.Token) (ic.Token, error) {
		return h.newToken(old.UserID), nil
	})
	ok(t, err)
	equal(t, "family", old.FamilyID, got.FamilyID)
	return got
}

// replay presents refreshHash for rotation and expects errs.NotFound
// without fn being called.
func (h *harness) replay(t *testing.T, refreshHash string) {
	t.Helper()
	_, err := h.s.RotateToken(h.ctx, refreshHash, func(old ic.Token) (ic.Token, error) {
		t.Errorf("fn called for refresh hash %q", refreshHash)
		return old, nil
	})
	notFound(t, err, "")
}

func (h *harness) tokenGone(t *testing.T, tok ic.Token) {
	t.Helper()
	_, err := h.s.TokenByAccess(h.ctx, tok.AccessHash)
	notFound(t, err, "")
}

var tokenTests = []test{
	{"a token is stored and found by its access hash", func(t *testing.T, h *harness) {
		tok := h.newToken(h.createUser(t).ID)
		ok(t, h.s.CreateToken(h.ctx, tok))
		equal(t, "event", "ssooidc.token.create", h.lastEvent(t).Action)
		got, err := h.s.TokenByAccess(h.ctx, tok.AccessHash)
		ok(t, err)
		equal(t, "token", tok, got)
		h.tokenGone(t, h.newToken(""))
	}},
	{"a duplicate access or refresh hash is a conflict", func(t *testing.T, h *harness) {
		tok := h.newToken(h.createUser(t).ID)
		ok(t, h.s.CreateToken(h.ctx, tok))
		sameAccess, sameRefresh := h.newToken(tok.UserID), h.newToken(tok.UserID)
		sameAccess.AccessHash, sameRefresh.RefreshHash = tok.AccessHash, tok.RefreshHash
		conflict(t, h.s.CreateToken(h.ctx, sameAccess))
		conflict(t, h.s.CreateToken(h.ctx, sameRefresh))
	}},
	{"tokens without a refresh token do not collide", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		for range 2 {
			tok := h.newToken(u.ID)
			tok.RefreshHash, tok.RefreshExpiresAt = "", time.Time{}
			ok(t, h.s.CreateToken(h.ctx, tok))
			got, err := h.s.TokenByAccess(h.ctx, tok.AccessHash)
			ok(t, err)
			equal(t, "token", tok, got)
		}
	}},
	{"revoking a token deletes it; revoking a missing one is not found", func(t *testing.T, h *harness) {
		tok := h.newToken(h.createUser(t).ID)
		ok(t, h.s.CreateToken(h.ctx, tok))
		ok(t, h.s.RevokeToken(h.ctx, tok.AccessHash))
		equal(t, "event", "ssooidc.token.revoke", h.lastEvent(t).Action)
		h.tokenGone(t, tok)
		notFound(t, h.s.RevokeToken(h.ctx, tok.AccessHash), "")
	}},
	{"revoking a token ends its whole sign-in, including access tokens from before a refresh", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		first, other := h.newToken(u.ID), h.newToken(u.ID)
		ok(t, h.s.CreateToken(h.ctx, first))
		ok(t, h.s.CreateToken(h.ctx, other))
		second := h.rotate(t, first)
		ok(t, h.s.RevokeToken(h.ctx, second.AccessHash))
		h.tokenGone(t, first)
		h.tokenGone(t, second)
		h.replay(t, second.RefreshHash)
		_, err := h.s.TokenByAccess(h.ctx, other.AccessHash)
		ok(t, err) // another sign-in of the same user lives on
	}},
	{"rotating a refresh token adds a token to its family and spends the old refresh token only", func(t *testing.T, h *harness) {
		first := h.newToken(h.createUser(t).ID)
		ok(t, h.s.CreateToken(h.ctx, first))
		next := h.newToken(first.UserID)
		next.FamilyID = "a-family-the-store-must-not-use"
		got, err := h.s.RotateToken(h.ctx, first.RefreshHash, func(old ic.Token) (ic.Token, error) {
			equal(t, "fn's input", first, old)
			return next, nil
		})
		ok(t, err)
		next.FamilyID = first.FamilyID
		equal(t, "returned token", next, got)
		equal(t, "event", "ssooidc.token.refresh", h.lastEvent(t).Action)
		stored, err := h.s.TokenByAccess(h.ctx, next.AccessHash)
		ok(t, err)
		equal(t, "stored token", next, stored)
		old, err := h.s.TokenByAccess(h.ctx, first.AccessHash)
		ok(t, err) // the old access token lives until it expires
		equal(t, "old token's refresh hash", "", old.RefreshHash)
		h.replay(t, first.RefreshHash) // but its refresh token is spent
	}},
	{"a rotation whose fn refuses returns its error and writes nothing", func(t *testing.T, h *harness) {
		tok := h.newToken(h.createUser(t).ID)
		ok(t, h.s.CreateToken(h.ctx, tok))
		h.unchangedLog(t, func() {
			_, err := h.s.RotateToken(h.ctx, tok.RefreshHash, func(ic.Token) (ic.Token, error) {
				return h.newToken(tok.UserID), errFn
			})
			fnFailed(t, err)
		})
		got, err := h.s.TokenByAccess(h.ctx, tok.AccessHash)
		ok(t, err)
		equal(t, "token", tok, got)
		h.rotate(t, tok) // the refresh token was not used up
	}},
	{"an unknown refresh token is not found", func(t *testing.T, h *harness) {
		h.replay(t, "unknown")
		h.replay(t, "")
	}},
	{"replaying a rotated refresh token revokes its whole family and no other", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		first, bystander := h.newToken(u.ID), h.newToken(u.ID)
		ok(t, h.s.CreateToken(h.ctx, first))
		ok(t, h.s.CreateToken(h.ctx, bystander))
		second := h.rotate(t, first)
		third := h.rotate(t, second)
		h.replay(t, first.RefreshHash)
		h.tokenGone(t, first)
		h.tokenGone(t, second)
		h.tokenGone(t, third)
		e := h.lastEvent(t)
		equal(t, "event", "ssooidc.token.refresh", e.Action)
		if e.Outcome == audit.Success {
			t.Error("a refresh-token replay was logged as a success")
		}
		h.replay(t, third.RefreshHash)
		_, err := h.s.TokenByAccess(h.ctx, bystander.AccessHash)
		ok(t, err)
		h.rotate(t, bystander)
	}},
}
