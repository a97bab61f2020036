package storetest

import (
	"testing"
	"time"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

func totp(userID string) directory.Factor {
	return directory.Factor{UserID: userID, Type: directory.FactorTOTP, Provider: "OKTA",
		Status: directory.FactorPending, Name: "phone", Secret: []byte{0, 1, 2, 0xff}}
}

func webauthn(userID, credentialID string) directory.Factor {
	return directory.Factor{UserID: userID, Type: directory.FactorWebAuthn, Provider: "FIDO",
		Status: directory.FactorActive, Name: "YubiKey 5", Credential: []byte(`{"id":"x"}`), CredentialID: credentialID}
}

var idpFactorTests = []idpTest{
	{"factors are enrolled, listed, read and found by credential id", func(t *testing.T, h *idpHarness) {
		u, other := h.createUser(t), h.createUser(t)
		phone, err := h.s.CreateFactor(h.ctx, totp(u.ID))
		ok(t, err)
		equal(t, "pending event", "user.mfa.factor.update", h.lastEvent(t).Action)
		h.clk.Advance(time.Second)
		key, err := h.s.CreateFactor(h.ctx, webauthn(u.ID, "cred-1"))
		ok(t, err)
		e := h.lastEvent(t)
		equal(t, "active event", [3]string{"user.mfa.factor.activate", "Factor", key.ID}, [3]string{e.Action, e.TargetType, e.TargetID})
		if !directory.ValidID(phone.ID) || phone.ID == key.ID {
			t.Errorf("ids %q and %q: want two fresh directory ids", phone.ID, key.ID)
		}
		all, err := h.s.Factors(h.ctx, u.ID)
		ok(t, err)
		equal(t, "factors", []directory.Factor{phone, key}, all)
		got, err := h.s.Factor(h.ctx, u.ID, phone.ID)
		ok(t, err)
		equal(t, "Factor", phone, got)
		got, err = h.s.FactorByCredentialID(h.ctx, "cred-1")
		ok(t, err)
		equal(t, "by credential id", key, got)
		_, err = h.s.Factor(h.ctx, other.ID, phone.ID)
		notFound(t, err, store.ResourceFactor)
		_, err = h.s.FactorByCredentialID(h.ctx, "")
		notFound(t, err, store.ResourceFactor)
		none, err := h.s.Factors(h.ctx, other.ID)
		ok(t, err)
		equal(t, "none", 0, len(none))
		_, err = h.s.Factors(h.ctx, "00uMissing")
		notFound(t, err, store.ResourceUser)
	}},
	{"a credential id enrolled twice is a conflict; factors without one are not", func(t *testing.T, h *idpHarness) {
		u, other := h.createUser(t), h.createUser(t)
		_, err := h.s.CreateFactor(h.ctx, webauthn(u.ID, "cred-1"))
		ok(t, err)
		h.nothingWritten(t, func() {
			_, err := h.s.CreateFactor(h.ctx, webauthn(other.ID, "cred-1"))
			conflict(t, err)
			_, err = h.s.CreateFactor(h.ctx, totp("00uMissing"))
			notFound(t, err, store.ResourceUser)
		})
		for range 2 {
			_, err := h.s.CreateFactor(h.ctx, totp(u.ID))
			ok(t, err)
		}
	}},
	{"updating a factor is compare-and-swap; an empty event type writes no event", func(t *testing.T, h *idpHarness) {
		u := h.createUser(t)
		f, err := h.s.CreateFactor(h.ctx, totp(u.ID))
		ok(t, err)
		now := h.newer()
		var got directory.Factor
		h.nothingWritten(t, func() {
			got, err = h.s.UpdateFactor(h.ctx, u.ID, f.ID, "", func(old directory.Factor) (directory.Factor, error) {
				equal(t, "fn's input", f, old)
				old.LastStep = 42
				return old, nil
			})
			ok(t, err)
		})
		equal(t, "last step", int64(42), got.LastStep)
		equalTime(t, "LastUpdated", now, got.LastUpdated)
		got, err = h.s.UpdateFactor(h.ctx, u.ID, f.ID, "user.mfa.factor.activate", func(old directory.Factor) (directory.Factor, error) {
			old.Status, old.ID, old.UserID = directory.FactorActive, "facOther", "00uOther"
			return old, nil
		})
		ok(t, err)
		read, err := h.s.Factor(h.ctx, u.ID, f.ID)
		ok(t, err)
		equal(t, "stored", got, read)
		equal(t, "event", "user.mfa.factor.activate", h.lastEvent(t).Action)
		h.nothingWritten(t, func() {
			_, err := h.s.UpdateFactor(h.ctx, u.ID, f.ID, "user.mfa.factor.update", func(old directory.Factor) (directory.Factor, error) {
				return old, errFn
			})
			fnFailed(t, err)
		})
	}},
	{"deleting one factor or all of a user's factors", func(t *testing.T, h *idpHarness) {
		u := h.createUser(t)
		phone, err := h.s.CreateFactor(h.ctx, totp(u.ID))
		ok(t, err)
		_, err = h.s.CreateFactor(h.ctx, webauthn(u.ID, "cred-1"))
		ok(t, err)
		_, err = h.s.CreateFactor(h.ctx, webauthn(u.ID, "cred-2"))
		ok(t, err)
		ok(t, h.s.DeleteFactor(h.ctx, u.ID, phone.ID))
		_, err = h.s.Factor(h.ctx, u.ID, phone.ID)
		notFound(t, err, store.ResourceFactor)
		equal(t, "event", "user.mfa.factor.deactivate", h.lastEvent(t).Action)
		h.nothingWritten(t, func() { notFound(t, h.s.DeleteFactor(h.ctx, u.ID, phone.ID), store.ResourceFactor) })
		ok(t, h.s.DeleteFactors(h.ctx, u.ID))
		all, err := h.s.Factors(h.ctx, u.ID)
		ok(t, err)
		equal(t, "left", 0, len(all))
		e := h.lastEvent(t)
		equal(t, "event", [2]string{"user.mfa.factor.reset_all", u.ID}, [2]string{e.Action, e.TargetID})
	}},
}

var idpSessionTests = []idpTest{
	{"a session is created, read back and touched without an event", func(t *testing.T, h *idpHarness) {
		u := h.createUser(t)
		in := h.session(u.ID, "session-1")
		ok(t, h.s.CreateIdPSession(h.ctx, in))
		e := h.lastEvent(t)
		equal(t, "event", [3]string{"user.session.start", "User", u.ID}, [3]string{e.Action, e.TargetType, e.TargetID})
		got, err := h.s.IdPSession(h.ctx, "session-1")
		ok(t, err)
		in.Created, in.LastActive = start, start
		equal(t, "session", in, got)
		signedIn, err := h.s.User(h.ctx, u.ID)
		ok(t, err)
		equalTime(t, "the user's LastLogin", start, signedIn.LastLogin)
		equal(t, "the user's LastUpdated stays", u.LastUpdated, signedIn.LastUpdated)
		active := h.newer()
		idle := active.Add(2 * time.Hour)
		h.nothingWritten(t, func() { ok(t, h.s.TouchIdPSession(h.ctx, "session-1", active, idle)) })
		got, err = h.s.IdPSession(h.ctx, "session-1")
		ok(t, err)
		equalTime(t, "LastActive", active, got.LastActive)
		equalTime(t, "IdleExpiresAt", idle, got.IdleExpiresAt)
		equalTime(t, "ExpiresAt", in.ExpiresAt, got.ExpiresAt)
		notFound(t, h.s.CreateIdPSession(h.ctx, h.session("00uMissing", "session-2")), store.ResourceUser)
		taken(t, h.s.CreateIdPSession(h.ctx, h.session(u.ID, "session-1")), store.ResourceSession, store.FieldSecret)
	}},
	{"an idle or expired session is not found, cannot be touched and is purged", func(t *testing.T, h *idpHarness) {
		u := h.createUser(t)
		idle := h.session(u.ID, "idle")
		idle.IdleExpiresAt = start.Add(time.Hour)
		old := h.session(u.ID, "old")
		old.ExpiresAt = start.Add(time.Hour)
		ok(t, h.s.CreateIdPSession(h.ctx, idle))
		ok(t, h.s.CreateIdPSession(h.ctx, old))
		ok(t, h.s.CreateIdPSession(h.ctx, h.session(u.ID, "live")))
		h.clk.Advance(time.Hour)
		for _, hash := range []string{"idle", "old"} {
			_, err := h.s.IdPSession(h.ctx, hash)
			notFound(t, err, store.ResourceSession)
			notFound(t, h.s.TouchIdPSession(h.ctx, hash, h.clk.Now(), h.clk.Now().Add(time.Hour)), store.ResourceSession)
		}
		live, err := h.s.ListIdPSessions(h.ctx, u.ID)
		ok(t, err)
		equal(t, "live sessions", 1, len(live))
		n, err := h.s.Purge(h.ctx)
		ok(t, err)
		equal(t, "purged", int64(2), n)
		_, err = h.s.IdPSession(h.ctx, "live")
		ok(t, err)
	}},
	{"sessions are listed newest first and ended one by one or all at once", func(t *testing.T, h *idpHarness) {
		u, other := h.createUser(t), h.createUser(t)
		for _, hash := range []string{"s1", "s2", "s3"} {
			ok(t, h.s.CreateIdPSession(h.ctx, h.session(u.ID, hash)))
			h.clk.Advance(time.Second)
		}
		ok(t, h.s.CreateIdPSession(h.ctx, h.session(other.ID, "theirs")))
		list, err := h.s.ListIdPSessions(h.ctx, u.ID)
		ok(t, err)
		var hashes []string
		for _, s := range list {
			hashes = append(hashes, s.IDHash)
		}
		equal(t, "newest first", []string{"s3", "s2", "s1"}, hashes)
		ok(t, h.s.EndIdPSession(h.ctx, "s2"))
		e := h.lastEvent(t)
		equal(t, "event", [2]string{"user.session.end", u.ID}, [2]string{e.Action, e.TargetID})
		_, err = h.s.IdPSession(h.ctx, "s2")
		notFound(t, err, store.ResourceSession)
		h.nothingWritten(t, func() { ok(t, h.s.EndIdPSession(h.ctx, "s2")) })
		n, err := h.s.EndUserSessions(h.ctx, u.ID)
		ok(t, err)
		equal(t, "ended", 2, n)
		equal(t, "event", "user.session.clear", h.lastEvent(t).Action)
		list, err = h.s.ListIdPSessions(h.ctx, u.ID)
		ok(t, err)
		equal(t, "left", 0, len(list))
		_, err = h.s.IdPSession(h.ctx, "theirs")
		ok(t, err)
		_, err = h.s.EndUserSessions(h.ctx, "00uMissing")
		notFound(t, err, store.ResourceUser)
	}},
}
