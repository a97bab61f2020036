package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// rotateTo returns a rotation fn giving the token new access and refresh
// hashes, trying to move it to another family too, with its grant's event.
func (h *idpHarness) rotateTo(access, refresh string) func(directory.OAuthToken) (directory.OAuthToken, audit.Event, error) {
	return func(old directory.OAuthToken) (directory.OAuthToken, audit.Event, error) {
		next := h.newToken(old.ClientID, old.UserID, "another-family", access, refresh)
		return next, h.grantEvent(next), nil
	}
}

var idpOAuthTokenTests = []idpTest{
	{"a token is found by its access and refresh hashes and is written with its grant's event", func(t *testing.T, h *idpHarness) {
		app, u := h.createOIDCApp(t), h.createUser(t)
		tok := h.newToken(app.ID, u.ID, "fam-1", "access-1", "refresh-1")
		m2m := h.newToken(app.ID, "", "fam-2", "access-2", "")
		before := len(h.events(t))
		h.createToken(t, tok)
		h.lastGrant(t, "access-1")
		h.createToken(t, m2m)
		h.lastGrant(t, "access-2")
		equal(t, "events written", 2, len(h.events(t))-before)
		got, err := h.s.OAuthTokenByAccess(h.ctx, "access-1")
		ok(t, err)
		equal(t, "by access", tok, got)
		got, err = h.s.OAuthTokenByRefresh(h.ctx, "refresh-1")
		ok(t, err)
		equal(t, "by refresh", tok, got)
		got, err = h.s.OAuthTokenByAccess(h.ctx, "access-2")
		ok(t, err)
		equal(t, "client credentials", m2m, got)
		_, err = h.s.OAuthTokenByRefresh(h.ctx, "")
		notFound(t, err, store.ResourceOAuthToken)
		h.clk.Advance(time.Hour)
		_, err = h.s.OAuthTokenByAccess(h.ctx, "access-2")
		notFound(t, err, store.ResourceOAuthToken) // no refresh token, access expired
		_, err = h.s.OAuthTokenByAccess(h.ctx, "access-1")
		ok(t, err) // its refresh token lives on
		h.clk.Advance(90 * 24 * time.Hour)
		_, err = h.s.OAuthTokenByRefresh(h.ctx, "refresh-1")
		notFound(t, err, store.ResourceOAuthToken)
	}},
	{"a token's refresh scopes are kept apart from its access token's, through a rotation", func(t *testing.T, h *idpHarness) {
		app, u := h.createOIDCApp(t), h.createUser(t)
		full := []string{"openid", "profile", "offline_access"}
		tok := h.newToken(app.ID, u.ID, "fam-1", "access-1", "refresh-1")
		tok.Scopes, tok.RefreshScopes = []string{"openid"}, full
		h.createToken(t, tok)
		got, err := h.s.OAuthTokenByAccess(h.ctx, "access-1")
		ok(t, err)
		equal(t, "by access", tok, got)
		got, err = h.s.OAuthTokenByRefresh(h.ctx, "refresh-1")
		ok(t, err)
		equal(t, "by refresh", tok, got)
		next, err := h.s.RotateOAuthToken(h.ctx, "refresh-1", func(old directory.OAuthToken) (directory.OAuthToken, audit.Event, error) {
			equal(t, "the rotated token's refresh scopes", full, old.RefreshScopes)
			n := h.newToken(old.ClientID, old.UserID, old.FamilyID, "access-2", "refresh-2")
			n.Scopes, n.RefreshScopes = []string{"profile"}, old.RefreshScopes
			return n, h.grantEvent(n), nil
		})
		ok(t, err)
		got, err = h.s.OAuthTokenByRefresh(h.ctx, "refresh-2")
		ok(t, err)
		equal(t, "after the rotation", next, got)
		equal(t, "access and refresh scopes", [2][]string{{"profile"}, full}, [2][]string{got.Scopes, got.RefreshScopes})
		plain := h.newToken(app.ID, u.ID, "fam-2", "access-3", "refresh-3")
		h.createToken(t, plain)
		got, err = h.s.OAuthTokenByRefresh(h.ctx, "refresh-3")
		ok(t, err)
		equal(t, "no refresh scopes: the access token's", plain.Scopes, got.GrantedScopes())
	}},
	{"a token of a missing client or user, a taken hash or no grant event is refused and writes nothing", func(t *testing.T, h *idpHarness) {
		app, u := h.createOIDCApp(t), h.createUser(t)
		h.createToken(t, h.newToken(app.ID, u.ID, "fam-1", "access-1", "refresh-1"))
		create := func(tok directory.OAuthToken) error { return h.s.CreateOAuthToken(h.ctx, tok, h.grantEvent(tok)) }
		h.nothingWritten(t, func() {
			notFound(t, create(h.newToken("0oaMissing", u.ID, "f", "a2", "")), store.ResourceApp)
			notFound(t, create(h.newToken(app.ID, "00uMissing", "f", "a3", "")), store.ResourceUser)
			isKind(t, create(h.newToken(app.ID, u.ID, "", "a4", "")), errs.Invalid)
			taken(t, create(h.newToken(app.ID, u.ID, "f", "access-1", "")), store.ResourceOAuthToken, store.FieldSecret)
			taken(t, create(h.newToken(app.ID, u.ID, "f", "a5", "refresh-1")), store.ResourceOAuthToken, store.FieldSecret)
			isKind(t, h.s.CreateOAuthToken(h.ctx, h.newToken(app.ID, u.ID, "f", "a6", ""), audit.Event{}), errs.Invalid)
		})
		h.hasToken(t, "a6", false)
	}},
	{"rotation spends the refresh token, keeps the family, writes the grant's event and leaves the old access token to expire", func(t *testing.T, h *idpHarness) {
		app, u := h.createOIDCApp(t), h.createUser(t)
		h.createToken(t, h.newToken(app.ID, u.ID, "fam-1", "access-1", "refresh-1"))
		h.newer()
		before := len(h.events(t))
		next, err := h.s.RotateOAuthToken(h.ctx, "refresh-1", h.rotateTo("access-2", "refresh-2"))
		ok(t, err)
		h.lastGrant(t, "access-2")
		equal(t, "events written", 1, len(h.events(t))-before)
		want := h.newToken(app.ID, u.ID, "fam-1", "access-2", "refresh-2")
		equal(t, "rotated", want, next)
		got, err := h.s.OAuthTokenByRefresh(h.ctx, "refresh-2")
		ok(t, err)
		equal(t, "stored", want, got)
		_, err = h.s.OAuthTokenByRefresh(h.ctx, "refresh-1")
		notFound(t, err, store.ResourceOAuthToken)
		old, err := h.s.OAuthTokenByAccess(h.ctx, "access-1")
		ok(t, err)
		equal(t, "old token's refresh", "", old.RefreshHash)
		h.clk.Advance(time.Hour)
		h.hasToken(t, "access-1", false)
		h.hasToken(t, "access-2", true)
	}},
	{"a rotation refused by fn or the store writes nothing and an unknown refresh token is not found", func(t *testing.T, h *idpHarness) {
		app, u := h.createOIDCApp(t), h.createUser(t)
		h.createToken(t, h.newToken(app.ID, u.ID, "fam-1", "access-1", "refresh-1"))
		h.createToken(t, h.newToken(app.ID, u.ID, "fam-2", "access-2", "refresh-2"))
		h.nothingWritten(t, func() {
			_, err := h.s.RotateOAuthToken(h.ctx, "refresh-1", func(old directory.OAuthToken) (directory.OAuthToken, audit.Event, error) {
				return old, h.grantEvent(old), errFn
			})
			fnFailed(t, err)
			_, err = h.s.RotateOAuthToken(h.ctx, "refresh-1", h.rotateTo("access-2", "refresh-3"))
			taken(t, err, store.ResourceOAuthToken, store.FieldSecret)
			_, err = h.s.RotateOAuthToken(h.ctx, "refresh-1", func(old directory.OAuthToken) (directory.OAuthToken, audit.Event, error) {
				next := h.newToken("0oaMissing", old.UserID, "", "access-3", "refresh-3")
				return next, h.grantEvent(next), nil
			})
			notFound(t, err, store.ResourceApp)
			_, err = h.s.RotateOAuthToken(h.ctx, "refresh-1", func(old directory.OAuthToken) (directory.OAuthToken, audit.Event, error) {
				return h.newToken(old.ClientID, old.UserID, "", "access-3", "refresh-3"), audit.Event{}, nil
			})
			isKind(t, err, errs.Invalid)
			_, err = h.s.RotateOAuthToken(h.ctx, "never-issued", h.rotateTo("a", "r"))
			notFound(t, err, store.ResourceOAuthToken)
		})
		h.hasToken(t, "access-3", false)
		_, err := h.s.OAuthTokenByRefresh(h.ctx, "refresh-1")
		ok(t, err)
	}},
	{"a replayed refresh token revokes its whole family and logs the denial", func(t *testing.T, h *idpHarness) {
		app, u := h.createOIDCApp(t), h.createUser(t)
		h.createToken(t, h.newToken(app.ID, u.ID, "fam-1", "access-1", "refresh-1"))
		h.createToken(t, h.newToken(app.ID, u.ID, "fam-2", "access-9", "refresh-9"))
		_, err := h.s.RotateOAuthToken(h.ctx, "refresh-1", h.rotateTo("access-2", "refresh-2"))
		ok(t, err)
		_, err = h.s.RotateOAuthToken(h.ctx, "refresh-1", h.rotateTo("access-3", "refresh-3"))
		notFound(t, err, store.ResourceOAuthToken)
		for _, access := range []string{"access-1", "access-2", "access-3"} {
			h.hasToken(t, access, false)
		}
		h.hasToken(t, "access-9", true)
		e := h.lastEvent(t)
		equal(t, "event", [3]string{"oauth2.token.revoke", "fam-1", audit.Deny}, [3]string{e.Action, e.TargetID, e.Outcome})
	}},
	{"revoking by access or refresh hash removes the family once", func(t *testing.T, h *idpHarness) {
		app, u := h.createOIDCApp(t), h.createUser(t)
		h.createToken(t, h.newToken(app.ID, u.ID, "fam-1", "access-1", "refresh-1"))
		h.createToken(t, h.newToken(app.ID, u.ID, "fam-2", "access-2", "refresh-2"))
		_, err := h.s.RotateOAuthToken(h.ctx, "refresh-1", h.rotateTo("access-3", "refresh-3"))
		ok(t, err)
		for _, hash := range []string{"access-1", "refresh-2"} {
			found, err := h.s.RevokeOAuthFamily(h.ctx, hash)
			ok(t, err)
			equal(t, "found "+hash, true, found)
			e := h.lastEvent(t)
			equal(t, "event", [2]string{"oauth2.token.revoke", audit.Success}, [2]string{e.Action, e.Outcome})
		}
		for _, access := range []string{"access-1", "access-2", "access-3"} {
			h.hasToken(t, access, false)
		}
		h.nothingWritten(t, func() {
			found, err := h.s.RevokeOAuthFamily(h.ctx, "refresh-3")
			ok(t, err)
			equal(t, "found again", false, found)
		})
	}},
	{"revoking all a user's tokens counts their families and spares everyone else's", func(t *testing.T, h *idpHarness) {
		app, u, other := h.createOIDCApp(t), h.createUser(t), h.createUser(t)
		h.createToken(t, h.newToken(app.ID, u.ID, "fam-1", "access-1", "refresh-1"))
		_, err := h.s.RotateOAuthToken(h.ctx, "refresh-1", h.rotateTo("access-2", "refresh-2"))
		ok(t, err)
		h.createToken(t, h.newToken(app.ID, u.ID, "fam-2", "access-3", ""))
		h.createToken(t, h.newToken(app.ID, other.ID, "fam-3", "access-4", "refresh-4"))
		h.createToken(t, h.newToken(app.ID, "", "fam-4", "access-5", ""))
		n, err := h.s.RevokeUserOAuthTokens(h.ctx, u.ID)
		ok(t, err)
		equal(t, "families", 2, n)
		e := h.lastEvent(t)
		equal(t, "event", [3]string{"oauth2.token.revoke_all", "User", u.ID}, [3]string{e.Action, e.TargetType, e.TargetID})
		for access, want := range map[string]bool{"access-1": false, "access-2": false, "access-3": false, "access-4": true, "access-5": true} {
			h.hasToken(t, access, want)
		}
		h.nothingWritten(t, func() {
			n, err := h.s.RevokeUserOAuthTokens(h.ctx, u.ID)
			ok(t, err)
			equal(t, "families again", 0, n)
		})
	}},
}

// grantsOf creates a code, a device authorization approved by user and a
// token with a spent refresh token, all of client on server, named by
// tag.
func (h *idpHarness) grantsOf(t *testing.T, client, user, server, tag string) {
	t.Helper()
	c := h.newCode(client, user, "code-"+tag)
	c.AuthServerID = server
	ok(t, h.s.CreateOAuthCode(h.ctx, c))
	d := h.newDevice(client, "device-"+tag, strings.ToUpper(tag)+"XXXXXXX")
	d.AuthServerID = server
	ok(t, h.s.CreateOAuthDevice(h.ctx, d))
	_, err := h.s.UpdateOAuthDevice(h.ctx, d.CodeHash, approve(directory.User{ID: user}, h.clk.Now()))
	ok(t, err)
	tok := h.newToken(client, user, "fam-"+tag, "access-"+tag, "refresh-"+tag)
	tok.AuthServerID = server
	h.createToken(t, tok)
	_, err = h.s.RotateOAuthToken(h.ctx, tok.RefreshHash, func(old directory.OAuthToken) (directory.OAuthToken, audit.Event, error) {
		old.AccessHash, old.RefreshHash = "access2-"+tag, "refresh2-"+tag
		return old, h.grantEvent(old), nil
	})
	ok(t, err)
}

// grantsLeft reports, for tag, whether its code, its device
// authorization and its current token are still there.
func (h *idpHarness) grantsLeft(t *testing.T, tag string) [3]bool {
	t.Helper()
	_, codeErr := h.s.RedeemOAuthCode(h.ctx, "code-"+tag)
	_, devErr := h.s.OAuthDevice(h.ctx, "device-"+tag)
	_, tokErr := h.s.OAuthTokenByAccess(h.ctx, "access2-"+tag)
	return [3]bool{codeErr == nil, devErr == nil, tokErr == nil}
}
