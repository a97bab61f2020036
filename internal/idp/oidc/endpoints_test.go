package oidc_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/directory"
)

// userinfo calls the server prefix's userinfo endpoint with an
// Authorization header (none when empty).
func (f *fixture) userinfo(t testing.TB, prefix, authorization string) (int, string, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, f.url+prefix+"/userinfo", nil)
	must(t, err)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	res, err := http.DefaultClient.Do(req)
	must(t, err)
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, res.Header.Get("WWW-Authenticate"), out
}

// m2mToken is a client-credentials access token of ci on the default server.
func (f *fixture) m2mToken(t testing.TB) string {
	t.Helper()
	rsaKey, _ := clientKeys(t)
	status, body := f.post(t, defaultAS+"/token", f.m2mForm(assertion(t, rsaKey, jose.RS256, "rsa-1",
		f.m2mClaims(f.clk.Now(), "jti-"+strings.ReplaceAll(t.Name(), "/", "-")))))
	if status != 200 {
		t.Fatalf("client credentials: %d %v", status, body)
	}
	return str(body, "access_token")
}

func TestUserinfoRefusesWithBearerChallenges(t *testing.T) {
	f := newFixture(t)
	tokens := f.codeTokens(t, orgAS, "openid")
	revoked := f.codeTokens(t, orgAS, "openid")
	if status, _ := f.post(t, orgAS+"/revoke", url.Values{"client_id": {f.cli.ID}, "token": {str(revoked, "access_token")}}); status != 200 {
		t.Fatalf("revoke: %d", status)
	}
	invalid := `Bearer error="invalid_token", error_description="The access token is invalid."`
	scheme := `Bearer realm="` + f.p.OrgURL + `"` // RFC 6750 §3.1: no token, no error code
	for _, c := range []struct{ name, prefix, header, challenge string }{
		{"no Authorization header", orgAS, "", scheme},
		{"a Basic header", orgAS, "Basic YTpi", scheme},
		{"a forged token", orgAS, "Bearer " + str(tokens, "access_token")[:len(str(tokens, "access_token"))-4] + "AAAA", invalid},
		{"a revoked token", orgAS, "Bearer " + str(revoked, "access_token"), invalid},
		{"the org server's token at the default server", defaultAS, "Bearer " + str(tokens, "access_token"), invalid},
	} {
		t.Run(c.name+" is 401 with its challenge", func(t *testing.T) {
			status, challenge, _ := f.userinfo(t, c.prefix, c.header)
			if status != http.StatusUnauthorized || challenge != c.challenge {
				t.Errorf("got %d %q", status, challenge)
			}
		})
	}
	t.Run("a client's own token without a person is 403 insufficient_scope", func(t *testing.T) {
		status, challenge, _ := f.userinfo(t, defaultAS, "Bearer "+f.m2mToken(t))
		if status != http.StatusForbidden || !strings.HasPrefix(challenge, `Bearer error="insufficient_scope"`) ||
			!strings.Contains(challenge, "openid") {
			t.Errorf("got %d %q", status, challenge)
		}
	})
}

func TestUserinfoClaimsFollowTheScopes(t *testing.T) {
	f := newFixture(t)
	alice, err := f.s.User(context.Background(), f.alice.ID)
	must(t, err)
	profile := map[string]any{"name": "Alice Liddell", "preferred_username": "alice@example.com", "given_name": "Alice",
		"family_name": "Liddell", "updated_at": float64(alice.LastUpdated.Unix())}
	email := map[string]any{"email": "alice@example.com", "email_verified": true}
	for _, c := range []struct {
		scope string
		parts []map[string]any
	}{
		{"openid", nil},
		{"openid profile", []map[string]any{profile}},
		{"openid email", []map[string]any{email}},
		{"openid profile email", []map[string]any{profile, email}},
	} {
		t.Run("scope "+c.scope+" shows its claims only", func(t *testing.T) {
			want := map[string]any{"sub": f.alice.ID}
			for _, p := range c.parts {
				for k, v := range p {
					want[k] = v
				}
			}
			tokens := f.codeTokens(t, orgAS, c.scope)
			status, _, got := f.userinfo(t, orgAS, "Bearer "+str(tokens, "access_token"))
			if diff := cmp.Diff(want, got); status != 200 || diff != "" {
				t.Errorf("status %d, claims (-want +got):\n%s", status, diff)
			}
		})
	}
}

func TestIntrospectionShowsOnlyTheClientsOwnLiveTokens(t *testing.T) {
	f := newFixture(t)
	other := f.publicClient(t, "other")
	tokens := f.codeTokens(t, orgAS, "openid offline_access")
	at := f.introspect(t, orgAS, f.cli.ID, str(tokens, "access_token"))
	iat, _ := at["iat"].(float64)
	want := map[string]any{"active": true, "scope": "openid offline_access", "client_id": f.cli.ID, "iss": f.url,
		"aud": f.url, "token_type": "Bearer", "iat": iat, "exp": iat + 3600, "uid": f.alice.ID,
		"sub": "alice@example.com", "username": "alice@example.com"}
	if diff := cmp.Diff(want, at); diff != "" {
		t.Errorf("the access token (-want +got):\n%s", diff)
	}
	if rt := f.introspect(t, orgAS, f.cli.ID, str(tokens, "refresh_token")); rt["active"] != true || rt["token_type"] != "refresh_token" {
		t.Errorf("the refresh token: %v", rt)
	}
	inactive := map[string]any{"active": false}
	for name, body := range map[string]map[string]any{
		"another client asking about cli's token": f.introspect(t, orgAS, other.ID, str(tokens, "access_token")),
		"an unknown token":                        f.introspect(t, orgAS, f.cli.ID, "no-such-token"),
		"the org server's token at the default":   f.introspect(t, defaultAS, f.cli.ID, str(tokens, "access_token")),
	} {
		if diff := cmp.Diff(inactive, body); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	t.Run("a request without a token is 400 invalid_request", func(t *testing.T) {
		status, body := f.post(t, orgAS+"/introspect", url.Values{"client_id": {f.cli.ID}})
		wantError(t, status, body, 400, "invalid_request", "token parameter is required")
	})
	t.Run("a caller that is no client is 401 invalid_client", func(t *testing.T) {
		status, body := f.post(t, orgAS+"/introspect", url.Values{"token": {str(tokens, "access_token")}})
		wantError(t, status, body, 401, "invalid_client", "client_id")
	})
	t.Run("an access token is inactive once expired", func(t *testing.T) {
		f.clk.Advance(time.Hour)
		if f.active(t, str(tokens, "access_token")) {
			t.Error("active after its hour")
		}
	})
}

func TestRevocationAlwaysAnswers200AndEndsOnlyTheClientsOwnFamily(t *testing.T) {
	f := newFixture(t)
	other := f.publicClient(t, "other")
	tokens := f.codeTokens(t, orgAS, "openid offline_access")
	revoke := func(clientID, token string) {
		t.Helper()
		res, err := http.PostForm(f.url+orgAS+"/revoke", url.Values{"client_id": {clientID}, "token": {token}})
		must(t, err)
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("revoke by %s: %d", clientID, res.StatusCode)
		}
	}
	revoke(f.cli.ID, "no-such-token")
	revoke(other.ID, str(tokens, "access_token"))
	if !f.active(t, str(tokens, "access_token")) {
		t.Fatal("another client revoked cli's token")
	}
	revoke(f.cli.ID, str(tokens, "access_token"))
	if f.active(t, str(tokens, "access_token")) || f.active(t, str(tokens, "refresh_token")) {
		t.Error("the family is live after revoking its access token")
	}
	t.Run("a request without a token is invalid_request", func(t *testing.T) {
		status, body := f.post(t, orgAS+"/revoke", url.Values{"client_id": {f.cli.ID}})
		wantError(t, status, body, 400, "invalid_request", "token parameter is required")
	})
}

// signedIn is a browser's session cookie and the ID token its sign-in
// got at the server prefix.
func (f *fixture) signedIn(t testing.TB, prefix string) (*http.Cookie, string) {
	t.Helper()
	cookie, pk := f.session(t), newPKCE()
	code := f.code(t, prefix, f.authParams(pk, "openid"), cookie)
	status, body := f.redeem(t, prefix, f.cli.ID, code, pk.verifier)
	if status != 200 {
		t.Fatalf("redeem: %d %v", status, body)
	}
	return cookie, str(body, "id_token")
}

// live reports whether the browser's session is still signed in.
func (f *fixture) live(cookie *http.Cookie) bool {
	_, _, err := f.signIn.Session(context.Background(), cookie.Value)
	return err == nil
}

func TestLogoutEndsTheSessionAndGoesOnlyToRegisteredURIs(t *testing.T) {
	f := newFixture(t)
	t.Run("a registered post-logout URI gets the state", func(t *testing.T) {
		cookie, idToken := f.signedIn(t, orgAS)
		got := f.get(t, orgAS+"/logout", url.Values{"id_token_hint": {idToken},
			"post_logout_redirect_uri": {"http://127.0.0.1/signed-out"}, "state": {"bye"}}, cookie)
		if got.status != http.StatusFound || got.location != "http://127.0.0.1/signed-out?state=bye" {
			t.Errorf("got %d %q", got.status, got.location)
		}
		if f.live(cookie) {
			t.Error("the session is live after logout")
		}
	})
	t.Run("no post-logout URI goes to the sign-in page", func(t *testing.T) {
		cookie, idToken := f.signedIn(t, defaultAS)
		got := f.get(t, defaultAS+"/logout", url.Values{"id_token_hint": {idToken}}, cookie)
		if got.status != http.StatusFound || got.location != "/login" || f.live(cookie) {
			t.Errorf("got %d %q, session live %v", got.status, got.location, f.live(cookie))
		}
	})
	_, orgID := f.signedIn(t, orgAS)
	for _, c := range []struct{ name, prefix, hint, uri, want string }{
		{"an unregistered post-logout URI", orgAS, orgID, "https://evil.example/", "Logout redirect URI"},
		{"the registered URI plus a query", orgAS, orgID, "http://127.0.0.1/signed-out?next=https://evil.example", "Logout redirect URI"},
		{"a login redirect URI as the post-logout URI", orgAS, orgID, "http://127.0.0.1/callback", "Logout redirect URI"},
		{"a forged ID token hint", orgAS, orgID[:len(orgID)-4] + "AAAA", "http://127.0.0.1/signed-out", "id_token_hint"},
		{"no ID token hint", orgAS, "", "http://127.0.0.1/signed-out", "id_token_hint"},
		{"another server's ID token", defaultAS, orgID, "http://127.0.0.1/signed-out", "id_token_hint"},
	} {
		t.Run(c.name+" is an error page and the session stays", func(t *testing.T) {
			cookie := f.session(t)
			got := f.get(t, c.prefix+"/logout", url.Values{"id_token_hint": {c.hint}, "post_logout_redirect_uri": {c.uri}}, cookie)
			if got.status != http.StatusBadRequest || got.location != "" || !strings.Contains(got.body, c.want) || !f.live(cookie) {
				t.Errorf("got %d %q live %v %.200s", got.status, got.location, f.live(cookie), got.body)
			}
		})
	}
}

// TestLogoutWithAnotherPersonsIDTokenKeepsTheSession: an ID token hint
// proves who the relying party signed in, so a link carrying bob's ID
// token cannot sign alice out (forced logout, ASVS 5 V10.6.2).
func TestLogoutWithAnotherPersonsIDTokenKeepsTheSession(t *testing.T) {
	f := newFixture(t)
	bobsCookie := f.person(t, "bob@example.com")
	pk := newPKCE()
	code := f.code(t, orgAS, f.authParams(pk, "openid"), bobsCookie)
	status, body := f.redeem(t, orgAS, f.cli.ID, code, pk.verifier)
	if status != 200 {
		t.Fatalf("bob's redemption: %d %v", status, body)
	}
	alice := f.session(t)
	got := f.get(t, orgAS+"/logout", url.Values{"id_token_hint": {str(body, "id_token")},
		"post_logout_redirect_uri": {"http://127.0.0.1/signed-out"}}, alice)
	if got.status != http.StatusBadRequest || got.location != "" || !strings.Contains(got.body, "id_token_hint") || !f.live(alice) {
		t.Errorf("got %d %q, alice's session live %v, %.200s", got.status, got.location, f.live(alice), got.body)
	}
}

// A person who may no longer sign in (suspended, deactivated) has tokens
// that userinfo, refresh and the management API already refuse;
// introspection, which resource servers ask, shows them inactive too.
func TestIntrospectionShowsAPersonWhoCannotSignInAsInactive(t *testing.T) {
	for _, status := range []directory.Status{directory.Suspended, directory.Deprovisioned} {
		t.Run(string(status), func(t *testing.T) {
			f := newFixture(t)
			tokens := f.codeTokens(t, orgAS, "openid offline_access")
			setStatus(t, f, status)
			for _, tok := range []string{"access_token", "refresh_token"} {
				if body := f.introspect(t, orgAS, f.cli.ID, str(tokens, tok)); body["active"] != false {
					t.Errorf("the %s of a %s person: %v", tok, status, body)
				}
			}
			setStatus(t, f, directory.Active)
			if !f.active(t, str(tokens, "access_token")) {
				t.Error("the access token is inactive after the person is active again")
			}
		})
	}
}
