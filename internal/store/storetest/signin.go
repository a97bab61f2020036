package storetest

import (
	"testing"
	"time"

	"github.com/keyward/keyward/internal/audit"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

const hash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA"

// setPassword runs UpdatePasswordState with fn and checks the event it wrote.
func (h *harness) setPassword(t *testing.T, userID string, fn func(*ic.PasswordState), action, outcome string) ic.PasswordState {
	t.Helper()
	got, err := h.s.UpdatePasswordState(h.ctx, userID, func(p ic.PasswordState) (ic.PasswordState, error) {
		fn(&p)
		p.UpdatedAt = h.clk.Now()
		return p, nil
	})
	ok(t, err)
	e := h.lastEvent(t)
	equal(t, "event", []string{action, outcome, "USER", userID}, []string{e.Action, e.Outcome, e.TargetType, e.TargetID})
	stored, err := h.s.PasswordState(h.ctx, userID)
	ok(t, err)
	equal(t, "stored", got, stored)
	return got
}

var passwordTests = []test{
	{"a user without a password has a zero state", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		got, err := h.s.PasswordState(h.ctx, u.ID)
		ok(t, err)
		equal(t, "state", ic.PasswordState{UserID: u.ID}, got)
	}},
	{"a missing user's password state is not found", func(t *testing.T, h *harness) {
		id := h.newUser("ghost").ID
		_, err := h.s.PasswordState(h.ctx, id)
		notFound(t, err, store.ResourceUser)
		_, err = h.s.UpdatePasswordState(h.ctx, id, func(p ic.PasswordState) (ic.PasswordState, error) { return p, nil })
		notFound(t, err, store.ResourceUser)
	}},
	{"a new hash is logged as a password update, sign-ins by their outcome", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		h.setPassword(t, u.ID, func(p *ic.PasswordState) { p.Hash = hash }, "user.password.update", audit.Success)
		h.setPassword(t, u.ID, func(p *ic.PasswordState) { p.FailedAttempts++ }, "user.signin", audit.Failure)
		lock := h.clk.Now().Add(15 * time.Minute)
		got := h.setPassword(t, u.ID, func(p *ic.PasswordState) { p.FailedAttempts++; p.LockedUntil = lock },
			"user.signin", audit.Failure)
		equal(t, "state", ic.PasswordState{UserID: u.ID, Hash: hash, FailedAttempts: 2, LockedUntil: lock,
			UpdatedAt: h.clk.Now()}, got)
		h.setPassword(t, u.ID, func(p *ic.PasswordState) { p.FailedAttempts = 0; p.LockedUntil = time.Time{} },
			"user.signin", audit.Success)
	}},
	{"a password update whose fn fails returns its error and writes nothing", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		h.unchangedLog(t, func() {
			_, err := h.s.UpdatePasswordState(h.ctx, u.ID, func(p ic.PasswordState) (ic.PasswordState, error) {
				p.Hash = hash
				return p, errFn
			})
			fnFailed(t, err)
		})
		got, err := h.s.PasswordState(h.ctx, u.ID)
		ok(t, err)
		equal(t, "hash", "", got.Hash)
	}},
}

var sessionTests = []test{
	{"a portal session is stored, read and deleted", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		s := h.newSession(u.ID)
		ok(t, h.s.CreatePortalSession(h.ctx, s))
		equal(t, "event", "portal.session.create", h.lastEvent(t).Action)
		got, err := h.s.PortalSession(h.ctx, s.IDHash)
		ok(t, err)
		equal(t, "session", s, got)
		ok(t, h.s.DeletePortalSession(h.ctx, s.IDHash))
		equal(t, "event", "portal.session.delete", h.lastEvent(t).Action)
		_, err = h.s.PortalSession(h.ctx, s.IDHash)
		notFound(t, err, "")
	}},
	{"deleting a portal session ends the tokens of device sign-ins approved in it", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		s, other := h.newSession(u.ID), h.newSession(u.ID)
		ok(t, h.s.CreatePortalSession(h.ctx, s))
		ok(t, h.s.CreatePortalSession(h.ctx, other))
		mine, alsoMine, theirs, none := h.newToken(u.ID), h.newToken(u.ID), h.newToken(u.ID), h.newToken(u.ID)
		mine.SessionHash, alsoMine.SessionHash, theirs.SessionHash = s.IDHash, s.IDHash, other.IDHash
		for _, tok := range []ic.Token{mine, alsoMine, theirs, none} {
			ok(t, h.s.CreateToken(h.ctx, tok))
		}
		ok(t, h.s.DeletePortalSession(h.ctx, s.IDHash))
		h.tokenGone(t, mine)
		h.tokenGone(t, alsoMine)
		for _, tok := range []ic.Token{theirs, none} {
			_, err := h.s.TokenByAccess(h.ctx, tok.AccessHash)
			ok(t, err)
		}
	}},
	{"a new password ends the user's sessions and tokens; a failed sign-in does not", func(t *testing.T, h *harness) {
		u, other := h.createUser(t), h.createUser(t)
		s, theirs := h.newSession(u.ID), h.newSession(other.ID)
		tok, theirTok := h.newToken(u.ID), h.newToken(other.ID)
		ok(t, h.s.CreatePortalSession(h.ctx, s))
		ok(t, h.s.CreatePortalSession(h.ctx, theirs))
		ok(t, h.s.CreateToken(h.ctx, tok))
		ok(t, h.s.CreateToken(h.ctx, theirTok))
		setState := func(f func(*ic.PasswordState)) {
			t.Helper()
			_, err := h.s.UpdatePasswordState(h.ctx, u.ID, func(p ic.PasswordState) (ic.PasswordState, error) {
				f(&p)
				return p, nil
			})
			ok(t, err)
		}
		setState(func(p *ic.PasswordState) { p.FailedAttempts++ })
		_, err := h.s.PortalSession(h.ctx, s.IDHash)
		ok(t, err)
		setState(func(p *ic.PasswordState) { p.Hash = "$argon2id$v=19$m=65536,t=3,p=1$bmV3$bmV3" })
		_, err = h.s.PortalSession(h.ctx, s.IDHash)
		notFound(t, err, "")
		h.tokenGone(t, tok)
		_, err = h.s.PortalSession(h.ctx, theirs.IDHash)
		ok(t, err)
		_, err = h.s.TokenByAccess(h.ctx, theirTok.AccessHash)
		ok(t, err)
	}},
	{"deleting a missing portal session is not an error", func(t *testing.T, h *harness) {
		ok(t, h.s.DeletePortalSession(h.ctx, "no-such-session"))
	}},
	{"a portal session of a missing user is not found", func(t *testing.T, h *harness) {
		h.unchangedLog(t, func() {
			notFound(t, h.s.CreatePortalSession(h.ctx, h.newSession(h.newUser("ghost").ID)), store.ResourceUser)
		})
	}},
	{"a duplicate portal session is a conflict", func(t *testing.T, h *harness) {
		s := h.newSession(h.createUser(t).ID)
		ok(t, h.s.CreatePortalSession(h.ctx, s))
		conflict(t, h.s.CreatePortalSession(h.ctx, s))
	}},
}
