package storetest

import (
	"testing"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// newCode is a code userID allowed in the portal session sessionHash.
func (h *harness) newCode(userID, sessionHash string) ic.AuthorizationCode {
	now := h.clk.Now()
	return ic.AuthorizationCode{CodeHash: clock.Hex(clock.Random, 32), FamilyID: clock.Hex(clock.Random, 16),
		ClientID: "client-1", UserID: userID, SessionHash: sessionHash,
		RedirectURI: "http://127.0.0.1:51234/oauth/callback", Scopes: []string{"sso:account:access"},
		CodeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute)}
}

// tokenFor is the token a redemption of c stores.
func (h *harness) tokenFor(c ic.AuthorizationCode) ic.Token {
	t := h.newToken(c.UserID)
	t.SessionHash, t.ClientID = c.SessionHash, c.ClientID
	return t
}

// redeem redeems codeHash with a fn that makes the token made.
func (h *harness) redeem(codeHash string, made ic.Token) (ic.Token, error) {
	return h.s.RedeemAuthorizationCode(h.ctx, codeHash, func(ic.AuthorizationCode) (ic.Token, error) { return made, nil })
}

// codeLive reports whether the code can still be redeemed, without
// spending it: fn fails internally, which rolls the redemption back.
func (h *harness) codeLive(t *testing.T, codeHash string) bool {
	t.Helper()
	_, err := h.s.RedeemAuthorizationCode(h.ctx, codeHash, func(ic.AuthorizationCode) (ic.Token, error) { return ic.Token{}, errFn })
	if errs.Is(err, errs.NotFound) {
		return false
	}
	fnFailed(t, err)
	return true
}

var codeTests = []test{
	{"a client keeps its grant types, redirect URIs and issuer", func(t *testing.T, h *harness) {
		c := h.newClient()
		c.GrantTypes = []string{ic.GrantAuthorizationCode, ic.GrantRefreshToken}
		c.RedirectURIs = []string{"http://127.0.0.1/oauth/callback", "http://[::1]/oauth/callback"}
		c.IssuerURL = "https://keyward.example/start"
		ok(t, h.s.CreateClient(h.ctx, c))
		got, err := h.s.Client(h.ctx, c.ID)
		ok(t, err)
		equal(t, "client", c, got)
	}},
	{"a code is redeemed once into a token of its family", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		c := h.newCode(u.ID, "session-1")
		ok(t, h.s.CreateAuthorizationCode(h.ctx, c))
		e := h.lastEvent(t)
		equal(t, "issue event", []string{"ssooidc.code.issue", "TOKEN_FAMILY", c.FamilyID, audit.Success},
			[]string{e.Action, e.TargetType, e.TargetID, e.Outcome})
		made := h.tokenFor(c)
		got, err := h.s.RedeemAuthorizationCode(h.ctx, c.CodeHash, func(seen ic.AuthorizationCode) (ic.Token, error) {
			equal(t, "fn's code", c, seen)
			return made, nil
		})
		ok(t, err)
		made.FamilyID = c.FamilyID
		equal(t, "token", made, got)
		stored, err := h.s.TokenByAccess(h.ctx, made.AccessHash)
		ok(t, err)
		equal(t, "stored token", made, stored)
		e = h.lastEvent(t)
		equal(t, "redeem event", []string{"ssooidc.token.create", c.FamilyID}, []string{e.Action, e.TargetID})
	}},
	{"a code redeemed again is not found and revokes the tokens it gave", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		c := h.newCode(u.ID, "session-1")
		ok(t, h.s.CreateAuthorizationCode(h.ctx, c))
		first := h.tokenFor(c)
		_, err := h.redeem(c.CodeHash, first)
		ok(t, err)
		other := h.newToken(u.ID) // another sign-in of the same person stays
		ok(t, h.s.CreateToken(h.ctx, other))
		_, err = h.redeem(c.CodeHash, h.tokenFor(c))
		notFound(t, err, store.ResourceCode)
		h.tokenGone(t, first)
		_, err = h.s.TokenByAccess(h.ctx, other.AccessHash)
		ok(t, err)
		e := h.lastEvent(t)
		equal(t, "replay event", []string{"ssooidc.code.replay", audit.Deny, c.FamilyID},
			[]string{e.Action, e.Outcome, e.TargetID})
	}},
	{"a refused redemption spends the code and is logged", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		c := h.newCode(u.ID, "session-1")
		ok(t, h.s.CreateAuthorizationCode(h.ctx, c))
		refusal := errs.E(errs.Invalid, "the code verifier does not match")
		_, err := h.s.RedeemAuthorizationCode(h.ctx, c.CodeHash, func(ic.AuthorizationCode) (ic.Token, error) {
			return h.tokenFor(c), refusal
		})
		if err != refusal { //nolint:errorlint // the contract returns fn's error unchanged
			t.Fatalf("error = %v, want fn's refusal returned unchanged", err)
		}
		e := h.lastEvent(t)
		equal(t, "refuse event", []string{"ssooidc.code.refuse", audit.Failure}, []string{e.Action, e.Outcome})
		if h.codeLive(t, c.CodeHash) {
			t.Error("a refused code can be redeemed again")
		}
	}},
	{"a redemption whose fn fails internally writes nothing and leaves the code", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		c := h.newCode(u.ID, "session-1")
		ok(t, h.s.CreateAuthorizationCode(h.ctx, c))
		h.unchangedLog(t, func() {
			if !h.codeLive(t, c.CodeHash) {
				t.Fatal("a fresh code is not live")
			}
		})
		_, err := h.redeem(c.CodeHash, h.tokenFor(c))
		ok(t, err)
	}},
	{"an expired or unknown code is not found and changes nothing", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		c := h.newCode(u.ID, "session-1")
		ok(t, h.s.CreateAuthorizationCode(h.ctx, c))
		h.clk.Advance(10 * time.Minute)
		h.unchangedLog(t, func() {
			_, err := h.redeem(c.CodeHash, h.tokenFor(c))
			notFound(t, err, store.ResourceCode)
			_, err = h.redeem("no-such-code", h.tokenFor(c))
			notFound(t, err, store.ResourceCode)
		})
	}},
	{"a code without a hash or family is refused", func(t *testing.T, h *harness) {
		c := h.newCode("u-1", "session-1")
		c.FamilyID = ""
		h.unchangedLog(t, func() { isKind(t, h.s.CreateAuthorizationCode(h.ctx, c), errs.Invalid) })
	}},
	{"ending a portal session deletes the codes allowed in it", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		s, other := h.newSession(u.ID), h.newSession(u.ID)
		ok(t, h.s.CreatePortalSession(h.ctx, s))
		ok(t, h.s.CreatePortalSession(h.ctx, other))
		mine, theirs := h.newCode(u.ID, s.IDHash), h.newCode(u.ID, other.IDHash)
		ok(t, h.s.CreateAuthorizationCode(h.ctx, mine))
		ok(t, h.s.CreateAuthorizationCode(h.ctx, theirs))
		ok(t, h.s.DeletePortalSession(h.ctx, s.IDHash))
		equal(t, "the ended session's code is live", false, h.codeLive(t, mine.CodeHash))
		equal(t, "the other session's code is live", true, h.codeLive(t, theirs.CodeHash))
	}},
	{"a new password and a deleted user delete the user's codes", func(t *testing.T, h *harness) {
		u, other := h.createUser(t), h.createUser(t)
		mine, theirs := h.newCode(u.ID, "s-1"), h.newCode(other.ID, "s-2")
		ok(t, h.s.CreateAuthorizationCode(h.ctx, mine))
		ok(t, h.s.CreateAuthorizationCode(h.ctx, theirs))
		_, err := h.s.UpdatePasswordState(h.ctx, u.ID, func(p ic.PasswordState) (ic.PasswordState, error) {
			p.Hash = hash
			return p, nil
		})
		ok(t, err)
		equal(t, "code after a new password", false, h.codeLive(t, mine.CodeHash))
		equal(t, "another user's code", true, h.codeLive(t, theirs.CodeHash))
		ok(t, h.s.DeleteUser(h.ctx, other.ID))
		equal(t, "code of a deleted user", false, h.codeLive(t, theirs.CodeHash))
	}},
	{"purge removes expired codes only", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		old := h.newCode(u.ID, "s-1")
		ok(t, h.s.CreateAuthorizationCode(h.ctx, old))
		h.clk.Advance(5 * time.Minute)
		fresh := h.newCode(u.ID, "s-1")
		ok(t, h.s.CreateAuthorizationCode(h.ctx, fresh))
		h.clk.Advance(6 * time.Minute)
		n, err := h.s.Purge(h.ctx)
		ok(t, err)
		if n < 1 {
			t.Errorf("purge removed %d rows, want the expired code", n)
		}
		equal(t, "fresh code", true, h.codeLive(t, fresh.CodeHash))
	}},
}
