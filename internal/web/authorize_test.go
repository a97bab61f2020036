package web

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	ic "github.com/keyward/keyward/internal/identitycenter"
)

const testCallback = "http://127.0.0.1:53682/oauth/callback"

// pkceClient registers a client for the authorization code grant and
// returns an /authorize query for it, changed by change.
func (f *fixture) pkceClient(change func(url.Values)) string {
	f.t.Helper()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	c := ic.Client{ID: "kwc-web-test", SecretHash: "x", Name: "botocore-client-dev", Type: "public",
		Scopes: []string{"sso:account:access"}, GrantTypes: []string{ic.GrantAuthorizationCode},
		RedirectURIs: []string{"http://127.0.0.1/oauth/callback"}, IssuedAt: now, ExpiresAt: now.Add(24 * time.Hour)}
	if _, err := f.db.Client(context.Background(), c.ID); err != nil {
		must(f.t, f.db.CreateClient(context.Background(), c))
	}
	q := url.Values{"response_type": {"code"}, "client_id": {c.ID}, "redirect_uri": {testCallback}, "state": {"st"},
		"code_challenge_method": {"S256"}, "code_challenge": {strings.Repeat("A", 43)}}
	if change != nil {
		change(q)
	}
	return q.Encode()
}

func TestTheConsentPagePostsBackOnlyTheCheckedRequest(t *testing.T) {
	f := newFixture(t, nil)
	cookie := f.session()
	got := f.serve(http.MethodGet, "/authorize?"+f.pkceClient(nil), "", cookie)
	if got.status != http.StatusOK || !strings.Contains(got.body, `id="client-name">botocore-client-dev<`) {
		t.Fatalf("GET /authorize = %d\n%s", got.status, got.body)
	}
	if csp := got.header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self'") {
		t.Errorf("the consent page's CSP is %q", csp)
	}
	allow := url.Values{"action": {"allow"}, "request": {f.pkceClient(nil)}}.Encode()
	got = f.serve(http.MethodPost, "/authorize", allow, cookie)
	refresh := got.header.Get("Refresh")
	back, err := url.Parse(strings.TrimPrefix(refresh, "0; url="))
	if got.status != http.StatusOK || err != nil || back.Scheme+"://"+back.Host+back.Path != testCallback ||
		back.Query().Get("code") == "" || back.Query().Get("state") != "st" {
		t.Fatalf("Allow = %d with Refresh %q, want the callback with a code and the state", got.status, refresh)
	}
	if !strings.Contains(got.body, `id="continue" href="`+strings.ReplaceAll(strings.TrimPrefix(refresh, "0; url="), "&", "&amp;")+`"`) {
		t.Errorf("the page has no link to continue by hand:\n%s", got.body)
	}
}

func TestADecisionOnARequestThatCannotBeTrustedSendsTheBrowserNowhere(t *testing.T) {
	f := newFixture(t, nil)
	cookie := f.session()
	for name, change := range map[string]func(url.Values){
		"another site":   func(q url.Values) { q.Set("redirect_uri", "https://evil.example/oauth/callback") },
		"another client": func(q url.Values) { q.Set("client_id", "kwc-nobody") },
	} {
		for _, action := range []string{"allow", "deny"} {
			t.Run(action+" for "+name, func(t *testing.T) {
				form := url.Values{"action": {action}, "request": {f.pkceClient(change)}}.Encode()
				got := f.serve(http.MethodPost, "/authorize", form, cookie)
				if got.status != http.StatusBadRequest || got.header.Get("Refresh") != "" || got.header.Get("Location") != "" ||
					!strings.Contains(got.shownError(), "Start the sign-in again from your terminal") {
					t.Errorf("POST /authorize = %d, Refresh %q, Location %q, error %q", got.status, got.header.Get("Refresh"),
						got.header.Get("Location"), got.shownError())
				}
			})
		}
	}
	t.Run("no action", func(t *testing.T) {
		got := f.serve(http.MethodPost, "/authorize", url.Values{"request": {f.pkceClient(nil)}}.Encode(), cookie)
		if got.status != http.StatusBadRequest || got.header.Get("Refresh") != "" || got.shownError() != "Choose Allow or Deny." {
			t.Errorf("POST /authorize without an action = %d %q", got.status, got.shownError())
		}
	})
	t.Run("a form over its bound", func(t *testing.T) {
		got := f.serve(http.MethodPost, "/authorize", "request="+strings.Repeat("a", 9000)+"&action=allow", cookie)
		if got.status != http.StatusBadRequest || got.header.Get("Refresh") != "" {
			t.Errorf("an oversized form = %d", got.status)
		}
	})
}

func TestAPlainChallengeGoesBackToTheClientWithoutAConsentPage(t *testing.T) {
	f := newFixture(t, nil)
	got := f.serve(http.MethodGet, "/authorize?"+f.pkceClient(func(q url.Values) { q.Set("code_challenge_method", "plain") }), "", f.session())
	loc, _ := url.Parse(got.header.Get("Location"))
	if got.status != http.StatusFound || loc == nil || loc.Query().Get("error") != "invalid_request" || loc.Query().Get("state") != "st" {
		t.Errorf("GET /authorize with plain = %d to %q", got.status, got.header.Get("Location"))
	}
}

func TestTheResumeCookieGoesOnlyToAPageOfThisSite(t *testing.T) {
	f := newFixture(t, nil)
	cookie := f.session()
	for value, want := range map[string]string{
		base64.RawURLEncoding.EncodeToString([]byte("/authorize?client_id=x")): "/authorize?client_id=x",
		base64.RawURLEncoding.EncodeToString([]byte("//evil.example/x")):       "/start",
		base64.RawURLEncoding.EncodeToString([]byte("https://evil.example/")):  "/start",
		"not base64!": "/start",
	} {
		r := httptest.NewRequest(http.MethodGet, resumePath, nil)
		r.AddCookie(cookie)
		r.AddCookie(&http.Cookie{Name: nextCookie, Value: value})
		got := f.do(r)
		if got.status != http.StatusSeeOther || got.header.Get("Location") != want {
			t.Errorf("resume with %q = %d to %q, want %s", value, got.status, got.header.Get("Location"), want)
		}
		if c := got.header.Get("Set-Cookie"); !strings.HasPrefix(c, nextCookie+"=;") || !strings.Contains(c, "Max-Age=0") {
			t.Errorf("resume left the cookie: %q", c)
		}
	}
}
