package oidc_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/oauth2"

	"github.com/keyward/keyward/internal/authn/orgsignin"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
)

// Authorization server prefixes: the org's and the default custom one's.
const (
	orgAS     = "/oauth2/v1"
	defaultAS = "/oauth2/default/v1"
)

// loopback is a redirect URI on a port the OS gave a native app; the app
// registered http://127.0.0.1/callback.
const loopback = "http://127.0.0.1:49152/callback"

// noRedirects stops at the first answer, as a test wants to see redirects.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// pkce is a verifier and its S256 challenge.
type pkce struct{ verifier, challenge string }

func newPKCE() pkce {
	v := clock.Token(rand.Reader, 32)
	sum := sha256.Sum256([]byte(v))
	return pkce{verifier: v, challenge: base64.RawURLEncoding.EncodeToString(sum[:])}
}

// authParams is cli's authorization request for scope with PKCE pk.
func (f *fixture) authParams(pk pkce, scope string) url.Values {
	return url.Values{"client_id": {f.cli.ID}, "response_type": {"code"}, "scope": {scope}, "redirect_uri": {loopback},
		"state": {"state-1"}, "nonce": {"nonce-1"}, "code_challenge": {pk.challenge}, "code_challenge_method": {"S256"}}
}

// page is an answer a browser sees: its status, Location and body.
type page struct {
	status   int
	location string
	body     string
	cookies  []*http.Cookie
}

// get sends a browser's GET of path?q with cookies, not following redirects.
func (f *fixture) get(t testing.TB, path string, q url.Values, cookies ...*http.Cookie) page {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, f.url+path+"?"+q.Encode(), nil)
	must(t, err)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	res, err := noRedirects.Do(req)
	must(t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return page{res.StatusCode, res.Header.Get("Location"), string(b), res.Cookies()}
}

// redirectParams checks p is a redirect to the loopback callback and
// returns its query.
func redirectParams(t testing.TB, p page) url.Values {
	t.Helper()
	u, err := url.Parse(p.location)
	if p.status != http.StatusFound || err != nil || u.Scheme+"://"+u.Host+u.Path != loopback {
		t.Fatalf("want a redirect to %s, got %d %q %s", loopback, p.status, p.location, p.body)
	}
	return u.Query()
}

// code runs an authorization request at the server prefix as alice,
// signed in with cookie, and returns the code.
func (f *fixture) code(t testing.TB, prefix string, q url.Values, cookie *http.Cookie) string {
	t.Helper()
	got := redirectParams(t, f.get(t, prefix+"/authorize", q, cookie))
	if got.Get("state") != q.Get("state") || got.Get("code") == "" {
		t.Fatalf("redirect params %v", got)
	}
	return got.Get("code")
}

// redeem trades a code at the server prefix's token endpoint as clientID.
func (f *fixture) redeem(t testing.TB, prefix, clientID, code, verifier string) (int, map[string]any) {
	t.Helper()
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {clientID}, "code": {code}, "redirect_uri": {loopback}}
	if verifier != "" {
		form.Set("code_verifier", verifier)
	}
	return f.post(t, prefix+"/token", form)
}

// codeTokens runs the code flow with PKCE at prefix for scope and
// returns the token answer.
func (f *fixture) codeTokens(t testing.TB, prefix, scope string) map[string]any {
	t.Helper()
	pk := newPKCE()
	code := f.code(t, prefix, f.authParams(pk, scope), f.session(t))
	status, body := f.redeem(t, prefix, f.cli.ID, code, pk.verifier)
	if status != 200 || str(body, "access_token") == "" {
		t.Fatalf("redeem: %d %v", status, body)
	}
	return body
}

// claimsOf reads a JWT's claims without verifying it (the tests that
// need verification do it against the JWKS).
func claimsOf(t testing.TB, raw string, dst any) {
	t.Helper()
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	must(t, err)
	must(t, tok.UnsafeClaimsWithoutVerification(dst))
}

func TestTheCodeFlowWithPKCEGivesTokensOnTheOrgAndDefaultServers(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct{ name, prefix, issuer string }{
		{"the org server", orgAS, f.url},
		{"the default custom server", defaultAS, f.url + "/oauth2/default"},
	} {
		t.Run(c.name+" issues an ID token for alice with the nonce", func(t *testing.T) {
			body := f.codeTokens(t, c.prefix, "openid profile offline_access")
			if str(body, "token_type") != "Bearer" || str(body, "scope") != "openid profile offline_access" ||
				str(body, "refresh_token") == "" || body["expires_in"] != float64(3600) {
				t.Fatalf("token answer %v", body)
			}
			var id map[string]any
			claimsOf(t, str(body, "id_token"), &id)
			if id["iss"] != c.issuer || id["aud"] != f.cli.ID || id["sub"] != f.alice.ID || id["nonce"] != "nonce-1" ||
				id["preferred_username"] != "alice@example.com" {
				t.Errorf("ID token claims %v", id)
			}
		})
	}
}

func TestAuthorizeWithoutASessionSendsTheBrowserToSignInAndBack(t *testing.T) {
	f := newFixture(t)
	q := f.authParams(newPKCE(), "openid")
	got := f.get(t, orgAS+"/authorize", q)
	u, err := url.Parse(got.location)
	must(t, err)
	if got.status != http.StatusSeeOther || u.Path != "/login" {
		t.Fatalf("got %d %q", got.status, got.location)
	}
	next, err := url.Parse(u.Query().Get("next"))
	must(t, err)
	if next.Host != "" || next.Path != orgAS+"/authorize" || next.Query().Get("code_challenge") != q.Get("code_challenge") {
		t.Errorf("next = %q, want this request on the org URL", u.Query().Get("next"))
	}
	t.Run("and back with a session, the same request gives a code", func(t *testing.T) {
		f.code(t, orgAS, next.Query(), f.session(t))
	})
}

func TestPromptNoneWithoutASessionIsLoginRequiredAtTheClient(t *testing.T) {
	f := newFixture(t)
	q := f.authParams(newPKCE(), "openid")
	q.Set("prompt", "none")
	got := redirectParams(t, f.get(t, orgAS+"/authorize", q))
	if got.Get("error") != "login_required" || got.Get("state") != "state-1" || got.Has("code") {
		t.Errorf("redirect params %v", got)
	}
}

// requireMFA makes alice's sign-on policy require a second factor.
func (f *fixture) requireMFA(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	g, err := f.s.CreateGroup(ctx, directory.Group{Name: "MFA required"})
	must(t, err)
	_, err = f.s.AddMember(ctx, g.ID, f.alice.ID)
	must(t, err)
	must(t, f.s.PutSignOnPolicy(ctx, directory.SignOnPolicy{GroupID: g.ID, RequireMFA: true,
		IdleLifetime: directory.DefaultSignOnPolicy.IdleLifetime, MaxLifetime: directory.DefaultSignOnPolicy.MaxLifetime}))
}

func TestASessionWithoutTheSecondFactorItsPolicyRequiresGoesToTheStep(t *testing.T) {
	f := newFixture(t)
	f.requireMFA(t)
	q := f.authParams(newPKCE(), "openid")
	got := f.get(t, orgAS+"/authorize", q, f.session(t, "pwd"))
	if got.status != http.StatusSeeOther || got.location != "/login/step" {
		t.Fatalf("got %d %q, want 303 to /login/step", got.status, got.location)
	}
	var st orgsignin.State
	for _, c := range got.cookies {
		if c.Name == "keyward_org_signin" {
			var err error
			st, err = f.signIn.Open(c.Value)
			must(t, err)
		}
	}
	if st.Step != orgsignin.StepEnroll || st.UserID != f.alice.ID || !strings.HasPrefix(st.Next, orgAS+"/authorize?") {
		t.Errorf("sign-in state %+v, want alice at the enroll step coming back here", st)
	}
	t.Run("with prompt=none it is interaction_required at the client", func(t *testing.T) {
		q.Set("prompt", "none")
		got := redirectParams(t, f.get(t, orgAS+"/authorize", q, f.session(t, "pwd")))
		if got.Get("error") != "interaction_required" {
			t.Errorf("redirect params %v", got)
		}
	})
	t.Run("a session with the second factor gets a code", func(t *testing.T) {
		q.Del("prompt")
		f.code(t, orgAS, q, f.session(t, "pwd", "otp"))
	})
}

// TestXOAuth2CodeFlowThroughALoopbackListener is a native app's sign-in
// with golang.org/x/oauth2: the app listens on a loopback port, the
// browser (signed in) follows the authorization redirect to it, and the
// app redeems the code with its PKCE verifier.
func TestXOAuth2CodeFlowThroughALoopbackListener(t *testing.T) {
	f := newFixture(t)
	got := make(chan url.Values, 1)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/callback" {
			got <- r.URL.Query()
		}
		io.WriteString(w, "You may close this window.")
	}))
	defer app.Close()
	cfg := oauth2.Config{ClientID: f.cli.ID, RedirectURL: app.URL + "/callback", Scopes: []string{"openid", "offline_access"},
		Endpoint: oauth2.Endpoint{AuthURL: f.url + orgAS + "/authorize", TokenURL: f.url + orgAS + "/token", AuthStyle: oauth2.AuthStyleInParams}}
	verifier := oauth2.GenerateVerifier()
	jar, err := cookiejar.New(nil)
	must(t, err)
	orgURL, err := url.Parse(f.url)
	must(t, err)
	jar.SetCookies(orgURL, []*http.Cookie{f.session(t)})
	res, err := (&http.Client{Jar: jar}).Get(cfg.AuthCodeURL("xyz", oauth2.S256ChallengeOption(verifier)))
	must(t, err)
	res.Body.Close()
	var q url.Values
	select {
	case q = <-got:
	default:
		t.Fatalf("the browser never reached the app's listener: %d %s", res.StatusCode, res.Request.URL)
	}
	if q.Get("state") != "xyz" {
		t.Fatalf("callback %v", q)
	}
	tok, err := cfg.Exchange(context.Background(), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil || tok.AccessToken == "" || tok.RefreshToken == "" || tok.Extra("id_token") == nil {
		t.Fatalf("exchange: %v %+v", err, tok)
	}
	if _, err := cfg.Exchange(context.Background(), q.Get("code"), oauth2.VerifierOption(verifier)); err == nil {
		t.Error("the code was redeemed twice")
	}
}

func TestARelyingPartysFormMayPostTheAuthorizationRequest(t *testing.T) {
	f := newFixture(t)
	q := f.authParams(newPKCE(), "openid")
	req, err := http.NewRequest(http.MethodPost, f.url+orgAS+"/authorize", strings.NewReader(q.Encode()))
	must(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(f.session(t))
	res, err := noRedirects.Do(req)
	must(t, err)
	res.Body.Close()
	got := redirectParams(t, page{status: res.StatusCode, location: res.Header.Get("Location")})
	if got.Get("code") == "" || got.Get("state") != "state-1" {
		t.Errorf("redirect params %v", got)
	}
}

// TestPromptLoginAndMaxAgeAskForAFreshSignIn: a relying party that needs a
// recent sign-in (OpenID Connect Core §3.1.2.1) does not get a code from an
// older session: the browser signs in again and comes back, and the ID
// token's auth_time is the new sign-in's.
func TestPromptLoginAndMaxAgeAskForAFreshSignIn(t *testing.T) {
	f := newFixture(t)
	old := f.session(t)
	f.clk.Advance(10 * time.Minute)
	toSignIn := func(t *testing.T, q url.Values, cookies ...*http.Cookie) url.Values {
		t.Helper()
		got := f.get(t, orgAS+"/authorize", q, cookies...)
		u, err := url.Parse(got.location)
		must(t, err)
		if got.status != http.StatusSeeOther || u.Path != "/login" {
			t.Fatalf("got %d %q, want 303 to /login", got.status, got.location)
		}
		next, err := url.Parse(u.Query().Get("next"))
		must(t, err)
		if next.Path != orgAS+"/authorize" || next.Query().Get("state") != "state-1" {
			t.Fatalf("next = %q", u.Query().Get("next"))
		}
		return next.Query()
	}
	authTime := func(t *testing.T, next url.Values, pk pkce) int64 {
		t.Helper()
		fresh := f.session(t)
		status, body := f.redeem(t, orgAS, f.cli.ID, f.code(t, orgAS, next, fresh), pk.verifier)
		if status != 200 {
			t.Fatalf("redeem: %d %v", status, body)
		}
		var c struct {
			AuthTime int64 `json:"auth_time"`
		}
		claimsOf(t, str(body, "id_token"), &c)
		return c.AuthTime
	}
	for _, param := range [][2]string{{"max_age", "300"}, {"prompt", "login"}} {
		t.Run(param[0]+"="+param[1]+" with a ten-minute-old session", func(t *testing.T) {
			pk := newPKCE()
			q := f.authParams(pk, "openid")
			q.Set(param[0], param[1])
			if got := authTime(t, toSignIn(t, q, old), pk); got != f.clk.Now().Unix() {
				t.Errorf("auth_time %d, want the new sign-in's %d", got, f.clk.Now().Unix())
			}
		})
	}
	t.Run("prompt=login without a session comes back without it", func(t *testing.T) {
		pk := newPKCE()
		q := f.authParams(pk, "openid")
		q.Set("prompt", "login")
		authTime(t, toSignIn(t, q), pk)
	})
	t.Run("max_age longer than the session's age gives a code", func(t *testing.T) {
		q := f.authParams(newPKCE(), "openid")
		q.Set("max_age", "3600")
		f.code(t, orgAS, q, old)
	})
	t.Run("max_age with prompt=none is login_required at the client", func(t *testing.T) {
		q := f.authParams(newPKCE(), "openid")
		q.Set("max_age", "300")
		q.Set("prompt", "none")
		got := redirectParams(t, f.get(t, orgAS+"/authorize", q, old))
		if got.Get("error") != "login_required" || got.Has("code") {
			t.Errorf("redirect params %v", got)
		}
	})
	t.Run("a max_age that is not a number of seconds is invalid_request", func(t *testing.T) {
		q := f.authParams(newPKCE(), "openid")
		q.Set("max_age", "-1")
		got := redirectParams(t, f.get(t, orgAS+"/authorize", q, old))
		if got.Get("error") != "invalid_request" || !strings.Contains(got.Get("error_description"), "max_age") {
			t.Errorf("redirect params %v", got)
		}
	})
}

// TestStateAndNonceAreBounded: state and nonce come back to the client (in
// the redirect and in the ID token), so each is at most 2048 bytes; a
// longer one is invalid_request, at the client when its redirect URI is
// good (RFC 6749 §4.1.2.1), and no code is issued.
func TestStateAndNonceAreBounded(t *testing.T) {
	f := newFixture(t)
	const bound = 2048
	t.Run("a nonce of 2048 bytes comes back in the ID token", func(t *testing.T) {
		pk, nonce := newPKCE(), strings.Repeat("n", bound)
		q := f.authParams(pk, "openid")
		q.Set("nonce", nonce)
		status, body := f.redeem(t, orgAS, f.cli.ID, f.code(t, orgAS, q, f.session(t)), pk.verifier)
		var claims map[string]any
		if status == 200 {
			claimsOf(t, str(body, "id_token"), &claims)
		}
		if got, _ := claims["nonce"].(string); status != 200 || got != nonce {
			t.Errorf("redeem: %d, nonce of %d bytes", status, len(got))
		}
	})
	for _, c := range []struct {
		name, param string
		signedIn    bool
	}{
		{"a longer nonce", "nonce", true},
		{"a longer nonce before sign-in", "nonce", false},
		{"a longer state", "state", true},
	} {
		t.Run(c.name+" is invalid_request at the client", func(t *testing.T) {
			q := f.authParams(newPKCE(), "openid")
			q.Set(c.param, strings.Repeat("x", bound+1))
			var cookies []*http.Cookie
			if c.signedIn {
				cookies = append(cookies, f.session(t))
			}
			got := redirectParams(t, f.get(t, orgAS+"/authorize", q, cookies...))
			if got.Get("error") != "invalid_request" || !strings.Contains(got.Get("error_description"), "'"+c.param+"'") ||
				got.Has("code") || len(got.Get("state")) > bound {
				t.Errorf("redirect params %.300v", got)
			}
			if c.param == "nonce" && got.Get("state") != "state-1" {
				t.Errorf("the error lacks the state: %.300v", got)
			}
		})
	}
	t.Run("a longer nonce with an unregistered redirect URI is an error page", func(t *testing.T) {
		q := f.authParams(newPKCE(), "openid")
		q.Set("nonce", strings.Repeat("x", bound+1))
		q.Set("redirect_uri", "http://evil.example/callback")
		got := f.get(t, orgAS+"/authorize", q, f.session(t))
		if got.status != http.StatusBadRequest || got.location != "" || !strings.Contains(got.body, `id="error-code">invalid_request<`) {
			t.Errorf("got %d Location %q body %.300s", got.status, got.location, got.body)
		}
	})
	t.Run("a longer state at logout is an error page and the session stays", func(t *testing.T) {
		cookie, idToken := f.signedIn(t, orgAS)
		got := f.get(t, orgAS+"/logout", url.Values{"id_token_hint": {idToken},
			"post_logout_redirect_uri": {"http://127.0.0.1/signed-out"}, "state": {strings.Repeat("x", bound+1)}}, cookie)
		if got.status != http.StatusBadRequest || got.location != "" || !strings.Contains(got.body, "state") || !f.live(cookie) {
			t.Errorf("got %d %q live %v %.200s", got.status, got.location, f.live(cookie), got.body)
		}
	})
}

// TestAResponseModeOtherThanQueryIsRefusedWithoutAResponse: keyward
// answers only with the query (discovery's response_modes_supported), so a
// client asking for form_post or fragment gets an error page (unsupported
// response mode, answered HTTP 400 as the OpenID errata ask) and no code,
// never a code sent in a query its callback does not read.
func TestAResponseModeOtherThanQueryIsRefusedWithoutAResponse(t *testing.T) {
	f := newFixture(t)
	for _, mode := range []string{"form_post", "fragment", "okta_post_message", "query.jwt"} {
		t.Run(mode, func(t *testing.T) {
			q := f.authParams(newPKCE(), "openid")
			q.Set("response_mode", mode)
			got := f.get(t, orgAS+"/authorize", q, f.session(t))
			if got.status != http.StatusBadRequest || got.location != "" ||
				!strings.Contains(got.body, `id="error-code">unsupported_response_mode<`) {
				t.Errorf("got %d Location %q body %.300s", got.status, got.location, got.body)
			}
		})
	}
	t.Run("query is the default", func(t *testing.T) {
		q := f.authParams(newPKCE(), "openid")
		q.Set("response_mode", "query")
		f.code(t, orgAS, q, f.session(t))
	})
}

// OpenID Connect Core §3.1.2.1: prompt=none with any other value is an
// error, returned to the client; a silent request never lands on the
// sign-in page, signed in or not.
func TestPromptNoneWithAnotherValueIsInvalidRequestAtTheClient(t *testing.T) {
	f := newFixture(t)
	for _, prompt := range []string{"none login", "login none", "none consent"} {
		for _, signedIn := range []bool{true, false} {
			t.Run(fmt.Sprintf("%q signed in %v", prompt, signedIn), func(t *testing.T) {
				q := f.authParams(newPKCE(), "openid")
				q.Set("prompt", prompt)
				var cookies []*http.Cookie
				if signedIn {
					cookies = append(cookies, f.session(t))
				}
				got := redirectParams(t, f.get(t, orgAS+"/authorize", q, cookies...))
				if got.Get("error") != "invalid_request" || !strings.Contains(got.Get("error_description"), "prompt") ||
					got.Has("code") || got.Get("state") != "state-1" {
					t.Errorf("redirect params %v", got)
				}
			})
		}
	}
}
