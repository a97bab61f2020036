package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// newOIDCApp returns an unsaved OIDC native app (a public client).
func (h *idpHarness) newOIDCApp() directory.App {
	return directory.App{Name: directory.OIDCClientApp, Label: fmt.Sprintf("CLI %03d", h.next()),
		SignOnMode: directory.OIDC, Status: directory.AppActive,
		OAuth: directory.OAuthClient{ApplicationType: directory.AppTypeNative,
			GrantTypes:    []string{directory.GrantAuthorizationCode, directory.GrantDeviceCode, directory.GrantRefreshToken},
			ResponseTypes: []string{"code"}, RedirectURIs: []string{"http://127.0.0.1/callback", "com.example.cli:/cb"},
			TokenEndpointAuthMethod: directory.AuthNone, PKCERequired: true, ConsentMethod: "TRUSTED"}}
}

func (h *idpHarness) createOIDCApp(t *testing.T) directory.App {
	t.Helper()
	a, err := h.s.CreateApp(h.ctx, h.newOIDCApp())
	ok(t, err)
	return a
}

// newCode returns an unsaved authorization code of client for user,
// living a minute.
func (h *idpHarness) newCode(client, user, hash string) directory.OAuthCode {
	now := h.clk.Now()
	return directory.OAuthCode{CodeHash: hash, FamilyID: "fam-" + hash, AuthServerID: directory.DefaultAuthServer,
		ClientID: client, UserID: user, SessionHash: "session-1", RedirectURI: "http://127.0.0.1/callback",
		Scopes: []string{"openid", "offline_access"}, Nonce: "n-1", CodeChallenge: "challenge", ChallengeMethod: "S256",
		AMR: []string{"pwd", "otp"}, AuthTime: now.Add(-time.Minute), CreatedAt: now, ExpiresAt: now.Add(time.Minute)}
}

// newToken returns an unsaved token of family for user (none for "")
// with a refresh token when refresh is not "".
func (h *idpHarness) newToken(client, user, family, access, refresh string) directory.OAuthToken {
	now := h.clk.Now()
	t := directory.OAuthToken{AccessHash: access, RefreshHash: refresh, FamilyID: family,
		AuthServerID: directory.OrgAuthServer, ClientID: client, UserID: user, Scopes: []string{"openid"},
		CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	if user != "" {
		t.SessionHash, t.AMR, t.AuthTime = "session-1", []string{"pwd"}, now
	}
	if refresh != "" {
		t.RefreshExpiresAt = now.Add(90 * 24 * time.Hour)
	}
	return t
}

// grantEvent is the event a grant of tok writes with it, telling tokens
// apart by their access hash.
func (h *idpHarness) grantEvent(tok directory.OAuthToken) audit.Event {
	e := audit.New(h.ctx, "app.oauth2.token.grant.access_token", "AppInstance", tok.ClientID)
	e.Message = "access " + tok.AccessHash
	return e
}

// createToken stores tok with its grant's event.
func (h *idpHarness) createToken(t *testing.T, tok directory.OAuthToken) {
	t.Helper()
	ok(t, h.s.CreateOAuthToken(h.ctx, tok, h.grantEvent(tok)))
}

// lastGrant fails t unless the newest event is the grant of the token
// with access hash.
func (h *idpHarness) lastGrant(t *testing.T, access string) {
	t.Helper()
	e := h.lastEvent(t)
	equal(t, "newest event", [3]string{"app.oauth2.token.grant.access_token", "access " + access, audit.Success},
		[3]string{e.Action, e.Message, e.Outcome})
}

// hasToken fails t unless the token with access hash is there (or not).
func (h *idpHarness) hasToken(t *testing.T, access string, want bool) {
	t.Helper()
	_, err := h.s.OAuthTokenByAccess(h.ctx, access)
	if want {
		ok(t, err)
		return
	}
	notFound(t, err, store.ResourceOAuthToken)
}

var idpOAuthCodeTests = []idpTest{
	{"a code is redeemed once, whole, and writes no event", func(t *testing.T, h *idpHarness) {
		app, u := h.createOIDCApp(t), h.createUser(t)
		c := h.newCode(app.ID, u.ID, "code-1")
		h.nothingWritten(t, func() {
			ok(t, h.s.CreateOAuthCode(h.ctx, c))
			got, err := h.s.RedeemOAuthCode(h.ctx, "code-1")
			ok(t, err)
			equal(t, "redeemed", c, got)
		})
	}},
	{"redeeming a code again revokes the tokens it gave and logs the denial", func(t *testing.T, h *idpHarness) {
		app, u := h.createOIDCApp(t), h.createUser(t)
		c := h.newCode(app.ID, u.ID, "code-1")
		ok(t, h.s.CreateOAuthCode(h.ctx, c))
		_, err := h.s.RedeemOAuthCode(h.ctx, "code-1")
		ok(t, err)
		h.createToken(t, h.newToken(app.ID, u.ID, c.FamilyID, "access-1", "refresh-1"))
		h.createToken(t, h.newToken(app.ID, u.ID, "other-family", "access-2", "refresh-2"))
		_, err = h.s.RedeemOAuthCode(h.ctx, "code-1")
		notFound(t, err, store.ResourceOAuthCode)
		h.hasToken(t, "access-1", false)
		h.hasToken(t, "access-2", true)
		e := h.lastEvent(t)
		equal(t, "event", [4]string{"oauth2.token.revoke", c.FamilyID, audit.Deny, "OAuth2Token"},
			[4]string{e.Action, e.TargetID, e.Outcome, e.TargetType})
	}},
	{"an unknown or expired code is not found and nothing is written", func(t *testing.T, h *idpHarness) {
		app, u := h.createOIDCApp(t), h.createUser(t)
		ok(t, h.s.CreateOAuthCode(h.ctx, h.newCode(app.ID, u.ID, "code-1")))
		h.clk.Advance(time.Minute)
		h.nothingWritten(t, func() {
			_, err := h.s.RedeemOAuthCode(h.ctx, "code-1")
			notFound(t, err, store.ResourceOAuthCode)
			_, err = h.s.RedeemOAuthCode(h.ctx, "never-issued")
			notFound(t, err, store.ResourceOAuthCode)
		})
	}},
	{"a code of a missing client or user, or without a hash, is refused", func(t *testing.T, h *idpHarness) {
		app, u := h.createOIDCApp(t), h.createUser(t)
		h.nothingWritten(t, func() {
			notFound(t, h.s.CreateOAuthCode(h.ctx, h.newCode("0oaMissing", u.ID, "c1")), store.ResourceApp)
			notFound(t, h.s.CreateOAuthCode(h.ctx, h.newCode(app.ID, "00uMissing", "c2")), store.ResourceUser)
			isKind(t, h.s.CreateOAuthCode(h.ctx, h.newCode(app.ID, u.ID, "")), errs.Invalid)
			ok(t, h.s.CreateOAuthCode(h.ctx, h.newCode(app.ID, u.ID, "c3")))
			taken(t, h.s.CreateOAuthCode(h.ctx, h.newCode(app.ID, u.ID, "c3")), store.ResourceOAuthCode, store.FieldSecret)
		})
	}},
}

// newDevice returns an unsaved pending device authorization of client,
// living ten minutes.
func (h *idpHarness) newDevice(client, hash, userCode string) directory.OAuthDevice {
	now := h.clk.Now()
	return directory.OAuthDevice{CodeHash: hash, UserCode: userCode, AuthServerID: directory.OrgAuthServer,
		ClientID: client, Scopes: []string{"openid", "okta.apps.sso"}, Status: directory.DevicePending,
		Interval: 5 * time.Second, CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute)}
}

// approve has person u approve the device authorization.
func approve(u directory.User, at time.Time) func(directory.OAuthDevice) (directory.OAuthDevice, error) {
	return func(d directory.OAuthDevice) (directory.OAuthDevice, error) {
		d.Status, d.UserID, d.SessionHash, d.AMR, d.AuthTime = directory.DeviceApproved, u.ID, "session-1", []string{"pwd", "otp"}, at
		return d, nil
	}
}

var idpOAuthDeviceTests = []idpTest{
	{"a device authorization is found by its code and its user code", func(t *testing.T, h *idpHarness) {
		app := h.createOIDCApp(t)
		d := h.newDevice(app.ID, "device-1", "BCDFGHJK")
		h.nothingWritten(t, func() { ok(t, h.s.CreateOAuthDevice(h.ctx, d)) })
		got, err := h.s.OAuthDevice(h.ctx, "device-1")
		ok(t, err)
		equal(t, "by code", d, got)
		got, err = h.s.OAuthDeviceByUserCode(h.ctx, "BCDFGHJK")
		ok(t, err)
		equal(t, "by user code", d, got)
		_, err = h.s.OAuthDevice(h.ctx, "device-2")
		notFound(t, err, store.ResourceOAuthDevice)
		_, err = h.s.OAuthDeviceByUserCode(h.ctx, "XXXXXXXX")
		notFound(t, err, store.ResourceOAuthDevice)
		notFound(t, h.s.CreateOAuthDevice(h.ctx, h.newDevice("0oaMissing", "device-3", "MNPQRSTV")), store.ResourceApp)
	}},
	{"a live user code is a conflict; an expired one is taken over", func(t *testing.T, h *idpHarness) {
		app := h.createOIDCApp(t)
		ok(t, h.s.CreateOAuthDevice(h.ctx, h.newDevice(app.ID, "device-1", "BCDFGHJK")))
		taken(t, h.s.CreateOAuthDevice(h.ctx, h.newDevice(app.ID, "device-2", "BCDFGHJK")), store.ResourceOAuthDevice, store.FieldUserCode)
		h.clk.Advance(10 * time.Minute)
		ok(t, h.s.CreateOAuthDevice(h.ctx, h.newDevice(app.ID, "device-3", "BCDFGHJK")))
		got, err := h.s.OAuthDeviceByUserCode(h.ctx, "BCDFGHJK")
		ok(t, err)
		equal(t, "holder", "device-3", got.CodeHash)
		_, err = h.s.OAuthDevice(h.ctx, "device-1")
		notFound(t, err, store.ResourceOAuthDevice)
	}},
	{"approving or denying is logged with the person as actor; polling is not", func(t *testing.T, h *idpHarness) {
		app, u := h.createOIDCApp(t), h.createUser(t)
		ok(t, h.s.CreateOAuthDevice(h.ctx, h.newDevice(app.ID, "d1", "AAAAAAAA")))
		ok(t, h.s.CreateOAuthDevice(h.ctx, h.newDevice(app.ID, "d2", "BBBBBBBB")))
		polled := h.newer()
		h.nothingWritten(t, func() {
			got, err := h.s.UpdateOAuthDevice(h.ctx, "d1", func(d directory.OAuthDevice) (directory.OAuthDevice, error) {
				d.LastPolledAt, d.CodeHash = polled, "ignored"
				return d, nil
			})
			ok(t, err)
			equal(t, "code hash kept", "d1", got.CodeHash)
		})
		ctx := audit.WithActor(h.ctx, audit.Actor{Type: "User", ID: u.ID})
		got, err := h.s.UpdateOAuthDevice(ctx, "d1", approve(u, polled))
		ok(t, err)
		want := h.newDevice(app.ID, "d1", "AAAAAAAA")
		want.CreatedAt, want.ExpiresAt = start, start.Add(10*time.Minute)
		want.LastPolledAt = polled
		want, _ = approve(u, polled)(want)
		equal(t, "approved", want, got)
		read, err := h.s.OAuthDevice(h.ctx, "d1")
		ok(t, err)
		equal(t, "read back", want, read)
		e := h.lastEvent(t)
		equal(t, "event", [4]string{"oauth2.device.approve", "AppInstance", app.ID, u.ID},
			[4]string{e.Action, e.TargetType, e.TargetID, e.Actor.ID})
		_, err = h.s.UpdateOAuthDevice(ctx, "d2", func(d directory.OAuthDevice) (directory.OAuthDevice, error) {
			d.Status = directory.DeviceDenied
			return d, nil
		})
		ok(t, err)
		equal(t, "event", "oauth2.device.deny", h.lastEvent(t).Action)
		h.nothingWritten(t, func() {
			_, err := h.s.UpdateOAuthDevice(h.ctx, "d2", func(d directory.OAuthDevice) (directory.OAuthDevice, error) { return d, errFn })
			fnFailed(t, err)
			_, err = h.s.UpdateOAuthDevice(h.ctx, "d9", func(d directory.OAuthDevice) (directory.OAuthDevice, error) { return d, nil })
			notFound(t, err, store.ResourceOAuthDevice)
			_, err = h.s.UpdateOAuthDevice(h.ctx, "d2", approve(directory.User{ID: "00uMissing"}, polled))
			notFound(t, err, store.ResourceUser)
		})
	}},
}
