package oidc_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/keys"
)

// publicClient adds another native app registered for codes and refresh.
func (f *fixture) publicClient(t testing.TB, label string) directory.App {
	t.Helper()
	return f.addApp(t, directory.App{Name: directory.OIDCClientApp, Label: label, SignOnMode: directory.OIDC,
		OAuth: directory.OAuthClient{ApplicationType: directory.AppTypeNative, TokenEndpointAuthMethod: directory.AuthNone,
			GrantTypes: []string{directory.GrantAuthorizationCode, directory.GrantRefreshToken}, ResponseTypes: []string{"code"},
			RedirectURIs: []string{"http://127.0.0.1/callback"}}})
}

// webSecret is the confidential web app's client secret.
const webSecret = "web-app-secret-0123456789"

// webClient adds a confidential web app with a client secret that does
// not require PKCE.
func (f *fixture) webClient(t testing.TB) directory.App {
	t.Helper()
	return f.addApp(t, directory.App{Name: directory.OIDCClientApp, Label: "web", SignOnMode: directory.OIDC,
		OAuth: directory.OAuthClient{ApplicationType: directory.AppTypeWeb, TokenEndpointAuthMethod: directory.AuthClientSecretPost,
			GrantTypes: []string{directory.GrantAuthorizationCode}, ResponseTypes: []string{"code"},
			RedirectURIs: []string{"http://127.0.0.1/callback"}, SecretHash: keys.HashSecret(webSecret)}})
}

// introspect asks the server prefix about token as the public client id.
func (f *fixture) introspect(t testing.TB, prefix, clientID, token string) map[string]any {
	t.Helper()
	status, body := f.post(t, prefix+"/introspect", url.Values{"client_id": {clientID}, "token": {token}})
	if status != 200 {
		t.Fatalf("introspect: %d %v", status, body)
	}
	return body
}

func TestRedirectURIAttacksGetAnErrorPageNeverARedirect(t *testing.T) {
	f := newFixture(t)
	redirectTo := func(uri string) func(url.Values) { return func(q url.Values) { q.Set("redirect_uri", uri) } }
	const notRegistered = "Login redirect URI"
	for _, c := range []struct {
		name string
		edit func(url.Values)
		want string
	}{
		{"another host", redirectTo("http://evil.example/callback"), notRegistered},
		{"the loopback address as userinfo before another host", redirectTo("http://127.0.0.1@evil.example/callback"), notRegistered},
		{"userinfo before the loopback host", redirectTo("http://evil@127.0.0.1:49152/callback"), notRegistered},
		{"a host that starts with the loopback address", redirectTo("http://127.0.0.1.evil.example/callback"), notRegistered},
		{"a fragment", redirectTo("http://127.0.0.1:49152/callback#fragment"), notRegistered},
		{"path traversal out of the callback", redirectTo("http://127.0.0.1:49152/callback/../evil"), notRegistered},
		{"the registered URI plus a query", redirectTo("http://127.0.0.1/callback?next=https://evil.example"), notRegistered},
		{"https on the loopback address", redirectTo("https://127.0.0.1:49152/callback"), notRegistered},
		{"the registered custom scheme with a longer path", redirectTo("com.example.cli:/callback/../evil"), notRegistered},
		{"no redirect URI", redirectTo(""), notRegistered},
		{"a repeated redirect URI, one registered", func(q url.Values) { q.Add("redirect_uri", "http://evil.example/callback") }, "repeated"},
		{"an unknown client", func(q url.Values) { q.Set("client_id", "0oaunknown") }, "not an active OpenID Connect app"},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := f.authParams(newPKCE(), "openid")
			c.edit(q)
			got := f.get(t, orgAS+"/authorize", q, f.session(t))
			if got.status != http.StatusBadRequest || got.location != "" || !strings.Contains(got.body, c.want) ||
				!strings.Contains(got.body, `id="error-code">invalid_request<`) {
				t.Errorf("got %d Location %q body %.300s", got.status, got.location, got.body)
			}
		})
	}
}

func TestPKCEDowngradesAreRefused(t *testing.T) {
	f := newFixture(t)
	t.Run("the plain method is refused at the client", func(t *testing.T) {
		pk := newPKCE()
		q := f.authParams(pk, "openid")
		q.Set("code_challenge", pk.verifier[:43])
		q.Set("code_challenge_method", "plain")
		got := redirectParams(t, f.get(t, orgAS+"/authorize", q, f.session(t)))
		if got.Get("error") != "invalid_request" || !strings.Contains(got.Get("error_description"), "S256") || got.Has("code") {
			t.Errorf("redirect params %v", got)
		}
	})
	t.Run("a public client without PKCE is refused at the client", func(t *testing.T) {
		q := f.authParams(newPKCE(), "openid")
		q.Del("code_challenge")
		q.Del("code_challenge_method")
		got := redirectParams(t, f.get(t, orgAS+"/authorize", q, f.session(t)))
		if got.Get("error") != "invalid_request" || !strings.Contains(got.Get("error_description"), "PKCE code challenge is required") {
			t.Errorf("redirect params %v", got)
		}
	})
	t.Run("a code issued with a challenge is refused without the verifier", func(t *testing.T) {
		code := f.code(t, orgAS, f.authParams(newPKCE(), "openid"), f.session(t))
		status, body := f.redeem(t, orgAS, f.cli.ID, code, "")
		wantError(t, status, body, 400, "invalid_grant", "PKCE verification failed")
	})
	t.Run("a code issued with a challenge is refused with another verifier", func(t *testing.T) {
		code := f.code(t, orgAS, f.authParams(newPKCE(), "openid"), f.session(t))
		status, body := f.redeem(t, orgAS, f.cli.ID, code, newPKCE().verifier)
		wantError(t, status, body, 400, "invalid_grant", "PKCE verification failed")
	})
	t.Run("a code issued without a challenge is refused with a verifier", func(t *testing.T) {
		web := f.webClient(t)
		q := f.authParams(pkce{}, "openid")
		q.Set("client_id", web.ID)
		q.Del("code_challenge")
		q.Del("code_challenge_method")
		code := f.code(t, orgAS, q, f.session(t))
		form := url.Values{"grant_type": {"authorization_code"}, "client_id": {web.ID}, "client_secret": {webSecret},
			"code": {code}, "redirect_uri": {loopback}, "code_verifier": {newPKCE().verifier}}
		status, body := f.post(t, orgAS+"/token", form)
		wantError(t, status, body, 400, "invalid_grant", "had no code_challenge")
	})
}

func TestCodeRedemptionAttacks(t *testing.T) {
	f := newFixture(t)
	other := f.publicClient(t, "other")
	t.Run("a code redeemed twice revokes what the first redemption issued", func(t *testing.T) {
		pk := newPKCE()
		code := f.code(t, orgAS, f.authParams(pk, "openid offline_access"), f.session(t))
		status, first := f.redeem(t, orgAS, f.cli.ID, code, pk.verifier)
		if status != 200 || f.introspect(t, orgAS, f.cli.ID, str(first, "access_token"))["active"] != true {
			t.Fatalf("first redemption: %d %v", status, first)
		}
		status, body := f.redeem(t, orgAS, f.cli.ID, code, pk.verifier)
		wantError(t, status, body, 400, "invalid_grant", "invalid or has expired")
		for _, tok := range []string{"access_token", "refresh_token"} {
			if got := f.introspect(t, orgAS, f.cli.ID, str(first, tok)); got["active"] != false {
				t.Errorf("the first redemption's %s after the replay: %v", tok, got)
			}
		}
	})
	t.Run("another client cannot redeem the code, even with the verifier", func(t *testing.T) {
		pk := newPKCE()
		code := f.code(t, orgAS, f.authParams(pk, "openid"), f.session(t))
		status, body := f.redeem(t, orgAS, other.ID, code, pk.verifier)
		wantError(t, status, body, 400, "invalid_grant", "invalid or has expired")
	})
	t.Run("a code of the org server is not redeemed at the default server", func(t *testing.T) {
		pk := newPKCE()
		code := f.code(t, orgAS, f.authParams(pk, "openid"), f.session(t))
		status, body := f.redeem(t, defaultAS, f.cli.ID, code, pk.verifier)
		wantError(t, status, body, 400, "invalid_grant", "invalid or has expired")
	})
	t.Run("the redirect URI must be the authorization request's", func(t *testing.T) {
		pk := newPKCE()
		code := f.code(t, orgAS, f.authParams(pk, "openid"), f.session(t))
		status, body := f.post(t, orgAS+"/token", url.Values{"grant_type": {"authorization_code"}, "client_id": {f.cli.ID},
			"code": {code}, "redirect_uri": {"http://127.0.0.1:40000/callback"}, "code_verifier": {pk.verifier}})
		wantError(t, status, body, 400, "invalid_grant", "redirect_uri")
	})
	t.Run("a code expires after five minutes", func(t *testing.T) {
		pk := newPKCE()
		code := f.code(t, orgAS, f.authParams(pk, "openid"), f.session(t))
		f.clk.Advance(5 * time.Minute)
		status, body := f.redeem(t, orgAS, f.cli.ID, code, pk.verifier)
		wantError(t, status, body, 400, "invalid_grant", "invalid or has expired")
	})
}
