package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

var idpOAuthLifeTests = []idpTest{
	{"grants go with their authorization server, their user and their client app", func(t *testing.T, h *idpHarness) {
		server := h.createAuthServer(t)
		app1, app2 := h.createOIDCApp(t), h.createOIDCApp(t)
		u1, u2 := h.createUser(t), h.createUser(t)
		h.grantsOf(t, app1.ID, u1.ID, server.ID, "a")
		h.grantsOf(t, app1.ID, u2.ID, directory.OrgAuthServer, "b")
		h.grantsOf(t, app2.ID, u1.ID, directory.OrgAuthServer, "c")
		h.grantsOf(t, app2.ID, u2.ID, directory.OrgAuthServer, "d")
		all, none := [3]bool{true, true, true}, [3]bool{}

		h.deactivate(t, server.ID)
		ok(t, h.s.DeleteAuthServer(h.ctx, server.ID))
		equal(t, "the server's", none, h.grantsLeft(t, "a"))
		ok(t, h.s.DeleteUser(h.ctx, u1.ID))
		equal(t, "the deleted user's", none, h.grantsLeft(t, "c"))
		_, err := h.s.UpdateApp(h.ctx, app1.ID, "application.lifecycle.deactivate", func(a directory.App) (directory.App, error) {
			a.Status = directory.AppInactive
			return a, nil
		})
		ok(t, err)
		ok(t, h.s.DeleteApp(h.ctx, app1.ID))
		equal(t, "the deleted app's", none, h.grantsLeft(t, "b"))
		equal(t, "the others'", all, h.grantsLeft(t, "d"))
	}},
	{"housekeeping purges expired codes, device authorizations and tokens and keeps live ones", func(t *testing.T, h *idpHarness) {
		app, u := h.createOIDCApp(t), h.createUser(t)
		ok(t, h.s.CreateOAuthCode(h.ctx, h.newCode(app.ID, u.ID, "code-1")))
		ok(t, h.s.CreateOAuthDevice(h.ctx, h.newDevice(app.ID, "device-1", "AAAAAAAA")))
		h.createToken(t, h.newToken(app.ID, "", "fam-m2m", "access-m2m", ""))
		h.createToken(t, h.newToken(app.ID, u.ID, "fam-1", "access-1", "refresh-1"))
		_, err := h.s.RotateOAuthToken(h.ctx, "refresh-1", h.rotateTo("access-2", "refresh-2"))
		ok(t, err)
		forever := h.newToken(app.ID, u.ID, "fam-n", "access-n1", "refresh-n1")
		forever.RefreshExpiresAt = time.Time{}
		h.createToken(t, forever)
		_, err = h.s.RotateOAuthToken(h.ctx, "refresh-n1", h.rotateTo("access-n2", ""))
		ok(t, err)

		purge := func(what string, want int64) {
			t.Helper()
			n, err := h.s.Purge(h.ctx)
			ok(t, err)
			equal(t, "rows purged "+what, want, n)
		}
		purge("at once", 0)
		h.clk.Advance(time.Hour)
		// The code; the client-credentials token; the rotated-away rows of
		// fam-1 and fam-n and fam-n's last token, which had no refresh
		// token; and fam-n's spent refresh token, which never expires but
		// has no family left.
		purge("after an hour", 6)
		h.hasToken(t, "access-2", true)
		_, err = h.s.OAuthDevice(h.ctx, "device-1")
		ok(t, err) // kept a day past its expiry, so a late poll hears "expired"
		h.clk.Advance(24 * time.Hour)
		purge("after a day", 1)
		h.clk.Advance(90 * 24 * time.Hour)
		purge("once the refresh token expired", 2) // access-2's row and refresh-1's record
		h.hasToken(t, "access-2", false)
	}},
	{"an OIDC app's client settings are read and written with the app", func(t *testing.T, h *idpHarness) {
		in := h.newOIDCApp()
		in.OAuth.JWKS = []byte(`{"keys":[{"kty":"EC","crv":"P-256","x":"x","y":"y"}]}`)
		a, err := h.s.CreateApp(h.ctx, in)
		ok(t, err)
		got, err := h.s.App(h.ctx, a.ID)
		ok(t, err)
		equal(t, "read back", in.OAuth, got.OAuth)
		updated, err := h.s.UpdateApp(h.ctx, a.ID, "application.lifecycle.update", func(old directory.App) (directory.App, error) {
			old.OAuth.RedirectURIs = append(old.OAuth.RedirectURIs, "http://localhost:8080/cb")
			old.OAuth.PKCERequired = false
			return old, nil
		})
		ok(t, err)
		got, err = h.s.App(h.ctx, a.ID)
		ok(t, err)
		equal(t, "read after update", updated.OAuth, got.OAuth)
		saml := h.createApp(t)
		got, err = h.s.App(h.ctx, saml.ID)
		ok(t, err)
		equal(t, "a SAML app's", directory.OAuthClient{}, got.OAuth)
	}},
	{"client settings the store cannot keep are refused", func(t *testing.T, h *idpHarness) {
		bad := map[string]func(*directory.OAuthClient){
			"a control character in a redirect URI": func(c *directory.OAuthClient) { c.RedirectURIs = []string{"https://a.example/\ncb"} },
			"a NUL in the initiate login URI":       func(c *directory.OAuthClient) { c.InitiateLoginURI = "https://a\x00" },
			"an overlong redirect URI": func(c *directory.OAuthClient) {
				c.RedirectURIs = []string{"https://a.example/" + strings.Repeat("a", 4096)}
			},
			"too many redirect URIs": func(c *directory.OAuthClient) {
				c.RedirectURIs = nil
				for i := range 101 {
					c.RedirectURIs = append(c.RedirectURIs, fmt.Sprintf("https://a.example/%d", i))
				}
			},
			"an oversized JWKS": func(c *directory.OAuthClient) { c.JWKS = make([]byte, 65<<10) },
		}
		for what, spoil := range bad {
			t.Run(what, func(t *testing.T) {
				a := h.newOIDCApp()
				spoil(&a.OAuth)
				h.nothingWritten(t, func() {
					_, err := h.s.CreateApp(h.ctx, a)
					isKind(t, err, errs.Invalid)
				})
			})
		}
	}},
}
