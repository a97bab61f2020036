package storetest

import (
	"testing"
	"time"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

var idpAPITokenTests = []idpTest{
	{"an API token is created and found by hash and by id", func(t *testing.T, h *idpHarness) {
		u := h.createUser(t)
		ok(t, h.s.CreateAPIToken(h.ctx, directory.APIToken{Name: "ci", UserID: u.ID, ClientName: "curl"}, "hash-1"))
		tok, err := h.s.APITokenByHash(h.ctx, "hash-1")
		ok(t, err)
		if !directory.ValidID(tok.ID) {
			t.Errorf("id %q is not one the directory makes", tok.ID)
		}
		want := directory.APIToken{ID: tok.ID, Name: "ci", UserID: u.ID, ClientName: "curl", Created: start,
			ExpiresAt: start.Add(directory.TokenWindow)}
		equal(t, "by hash", want, tok)
		byID, err := h.s.APIToken(h.ctx, tok.ID)
		ok(t, err)
		equal(t, "by id", want, byID)
		e := h.lastEvent(t)
		equal(t, "event", [3]string{"system.api_token.create", "ApiToken", tok.ID}, [3]string{e.Action, e.TargetType, e.TargetID})
		h.nothingWritten(t, func() {
			err := h.s.CreateAPIToken(h.ctx, directory.APIToken{Name: "again", UserID: u.ID}, "hash-1")
			taken(t, err, store.ResourceAPIToken, store.FieldSecret)
			err = h.s.CreateAPIToken(h.ctx, directory.APIToken{Name: "nobody's", UserID: "00uMissing"}, "hash-2")
			notFound(t, err, store.ResourceUser)
		})
		_, err = h.s.APITokenByHash(h.ctx, "hash-2")
		notFound(t, err, store.ResourceAPIToken)
	}},
	{"touching a token moves its idle expiry; an expired one is not found and purged", func(t *testing.T, h *idpHarness) {
		u := h.createUser(t)
		ok(t, h.s.CreateAPIToken(h.ctx, directory.APIToken{Name: "ci", UserID: u.ID}, "hash-1"))
		tok, err := h.s.APITokenByHash(h.ctx, "hash-1")
		ok(t, err)
		used := h.clk.Now().Add(time.Hour)
		h.clk.Advance(time.Hour)
		h.nothingWritten(t, func() { ok(t, h.s.TouchAPIToken(h.ctx, tok.ID, used)) })
		got, err := h.s.APIToken(h.ctx, tok.ID)
		ok(t, err)
		equalTime(t, "LastUsed", used, got.LastUsed)
		equalTime(t, "ExpiresAt", used.Add(directory.TokenWindow), got.ExpiresAt)
		h.clk.Advance(directory.TokenWindow - time.Second)
		_, err = h.s.APITokenByHash(h.ctx, "hash-1")
		ok(t, err) // the touch kept it alive past its first expiry
		h.clk.Advance(time.Second)
		_, err = h.s.APITokenByHash(h.ctx, "hash-1")
		notFound(t, err, store.ResourceAPIToken)
		notFound(t, h.s.TouchAPIToken(h.ctx, tok.ID, h.clk.Now()), store.ResourceAPIToken)
		n, err := h.s.Purge(h.ctx)
		ok(t, err)
		if n < 1 {
			t.Errorf("purge removed %d rows, want the expired token", n)
		}
		_, err = h.s.APIToken(h.ctx, tok.ID)
		notFound(t, err, store.ResourceAPIToken)
	}},
	{"revoking a token deletes it; a missing one is not found", func(t *testing.T, h *idpHarness) {
		u := h.createUser(t)
		ok(t, h.s.CreateAPIToken(h.ctx, directory.APIToken{Name: "ci", UserID: u.ID}, "hash-1"))
		tok, err := h.s.APITokenByHash(h.ctx, "hash-1")
		ok(t, err)
		ok(t, h.s.RevokeAPIToken(h.ctx, tok.ID))
		_, err = h.s.APITokenByHash(h.ctx, "hash-1")
		notFound(t, err, store.ResourceAPIToken)
		e := h.lastEvent(t)
		equal(t, "event", [2]string{"system.api_token.revoke", tok.ID}, [2]string{e.Action, e.TargetID})
		h.nothingWritten(t, func() { notFound(t, h.s.RevokeAPIToken(h.ctx, tok.ID), store.ResourceAPIToken) })
	}},
	{"tokens page in id order", func(t *testing.T, h *idpHarness) {
		u := h.createUser(t)
		var want []directory.APIToken
		for i := range 7 {
			hash := "hash-" + string(rune('a'+i))
			ok(t, h.s.CreateAPIToken(h.ctx, directory.APIToken{Name: "t", UserID: u.ID}, hash))
			tok, err := h.s.APITokenByHash(h.ctx, hash)
			ok(t, err)
			want = append(want, tok)
		}
		sortBy(want, func(t directory.APIToken) string { return t.ID })
		got, pages := walk(t, 3, func(p store.Page) ([]directory.APIToken, string, error) { return h.s.ListAPITokens(h.ctx, p) })
		equal(t, "tokens", want, got)
		equal(t, "pages", 3, pages)
	}},
}

var idpLinkTests = []idpTest{
	{"a new link replaces the user's link of the same purpose and writes no event", func(t *testing.T, h *idpHarness) {
		u := h.createUser(t)
		before := len(h.events(t))
		ok(t, h.s.CreateUserToken(h.ctx, h.link(u.ID, "activate-1", directory.ActivationToken)))
		ok(t, h.s.CreateUserToken(h.ctx, h.link(u.ID, "reset-1", directory.ResetToken)))
		ok(t, h.s.CreateUserToken(h.ctx, h.link(u.ID, "activate-2", directory.ActivationToken)))
		equal(t, "events", before, len(h.events(t)))
		_, err := h.s.UserToken(h.ctx, "activate-1", directory.ActivationToken)
		notFound(t, err, store.ResourceLink)
		got, err := h.s.UserToken(h.ctx, "activate-2", directory.ActivationToken)
		ok(t, err)
		equal(t, "link", directory.UserToken{Hash: "activate-2", UserID: u.ID, Purpose: directory.ActivationToken,
			Created: start, ExpiresAt: start.Add(7 * 24 * time.Hour)}, got)
		_, err = h.s.UserToken(h.ctx, "reset-1", directory.ResetToken)
		ok(t, err)
		_, err = h.s.UserToken(h.ctx, "reset-1", directory.ActivationToken)
		notFound(t, err, store.ResourceLink) // the wrong purpose
		notFound(t, h.s.CreateUserToken(h.ctx, h.link("00uMissing", "x", directory.ResetToken)), store.ResourceUser)
	}},
	{"spending a link applies fn once; a second spend is not found", func(t *testing.T, h *idpHarness) {
		in := h.newUser()
		in.Status = directory.Provisioned
		u, err := h.s.CreateUser(h.ctx, in, nil)
		ok(t, err)
		ok(t, h.s.CreateUserToken(h.ctx, h.link(u.ID, "activate", directory.ActivationToken)))
		now := h.newer()
		set := func(old directory.User) (directory.User, error) {
			old.Password = directory.Password{Hash: "$argon2id$set", Changed: now}
			return directory.Transition(old, directory.OpSetPassword, now)
		}
		got, err := h.s.SpendUserToken(h.ctx, "activate", directory.ActivationToken, "user.account.reset_password", set)
		ok(t, err)
		equal(t, "status", directory.Active, got.Status)
		equalTime(t, "LastUpdated", now, got.LastUpdated)
		read, err := h.s.User(h.ctx, u.ID)
		ok(t, err)
		equal(t, "stored", got, read)
		e := h.lastEvent(t)
		equal(t, "event", [2]string{"user.account.reset_password", u.ID}, [2]string{e.Action, e.TargetID})
		h.nothingWritten(t, func() {
			_, err := h.s.SpendUserToken(h.ctx, "activate", directory.ActivationToken, "user.account.reset_password", set)
			notFound(t, err, store.ResourceLink)
		})
		_, err = h.s.UserToken(h.ctx, "activate", directory.ActivationToken)
		notFound(t, err, store.ResourceLink)
	}},
	{"a link whose fn fails stays unspent", func(t *testing.T, h *idpHarness) {
		u := h.createUser(t)
		ok(t, h.s.CreateUserToken(h.ctx, h.link(u.ID, "reset", directory.ResetToken)))
		h.nothingWritten(t, func() {
			_, err := h.s.SpendUserToken(h.ctx, "reset", directory.ResetToken, "user.account.reset_password",
				func(old directory.User) (directory.User, error) { return old, errFn })
			fnFailed(t, err)
		})
		_, err := h.s.UserToken(h.ctx, "reset", directory.ResetToken)
		ok(t, err)
		_, err = h.s.SpendUserToken(h.ctx, "reset", directory.ResetToken, "user.account.reset_password",
			func(old directory.User) (directory.User, error) { return old, nil })
		ok(t, err)
	}},
	{"an expired link is not found, cannot be spent and is purged", func(t *testing.T, h *idpHarness) {
		u := h.createUser(t)
		ok(t, h.s.CreateUserToken(h.ctx, h.link(u.ID, "reset", directory.ResetToken)))
		h.clk.Advance(7 * 24 * time.Hour)
		_, err := h.s.UserToken(h.ctx, "reset", directory.ResetToken)
		notFound(t, err, store.ResourceLink)
		h.nothingWritten(t, func() {
			_, err := h.s.SpendUserToken(h.ctx, "reset", directory.ResetToken, "user.account.reset_password",
				func(old directory.User) (directory.User, error) { return old, nil })
			notFound(t, err, store.ResourceLink)
		})
		n, err := h.s.Purge(h.ctx)
		ok(t, err)
		equal(t, "purged", int64(1), n)
	}},
}
