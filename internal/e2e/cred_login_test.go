package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/keyward/keyward/internal/cred/credtest"
	"github.com/keyward/keyward/internal/cred/sso"
)

// prompt is the command's side of Login: it reports what Login asked the
// person to do, so the test can do it.
type prompt struct {
	opened   chan string // authorize URLs (BrowserPrompt.Open)
	approve  chan string // verification URLs (Prompt.Approve)
	noBrowse bool        // a plain Prompt: no Open
}

func newPrompt() *prompt { return &prompt{opened: make(chan string, 1), approve: make(chan string, 1)} }

func (p *prompt) Approve(verificationURL, _ string) error { p.approve <- verificationURL; return nil }

// browserPrompt is prompt with Open: a BrowserPrompt.
type browserPrompt struct{ *prompt }

func (p browserPrompt) Open(authorizeURL string) error { p.opened <- authorizeURL; return nil }

type loginResult struct {
	tok sso.Token
	err error
}

// ssoClient is the credential CLI's client for s (or for endpoint, a
// proxy in front of it), with its secrets in memory.
func ssoClient(t *testing.T, s *server, endpoint string) *sso.Client {
	t.Setenv("AWS_ENDPOINT_URL_SSO_OIDC", endpoint)
	t.Setenv("AWS_ENDPOINT_URL_SSO", s.url)
	return sso.New(sso.Source{Name: "corp", StartURL: s.main.StartURL, Region: "us-east-1"}, &credtest.Keeper{})
}

// login runs Login in the background; the test then does what it asked.
func login(c *sso.Client, p sso.Prompt) chan loginResult {
	done := make(chan loginResult, 1)
	go func() {
		tok, err := c.Login(context.Background(), p)
		done <- loginResult{tok, err}
	}()
	return done
}

// next is whichever comes first: what Login asked for, or its end.
func next(t *testing.T, p *prompt, done chan loginResult) (opened, approve string) {
	t.Helper()
	select {
	case u := <-p.opened:
		return u, ""
	case u := <-p.approve:
		return "", u
	case r := <-done:
		t.Fatalf("Login ended before asking anything: %v", r.err)
	case <-time.After(30 * time.Second):
		t.Fatal("Login asked nothing within 30s")
	}
	return "", ""
}

func finished(t *testing.T, done chan loginResult) sso.Token {
	t.Helper()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("Login: %v", r.err)
		}
		return r.tok
	case <-time.After(30 * time.Second):
		t.Fatal("Login did not end within 30s of the approval")
	}
	return sso.Token{}
}

// usable checks the sign-in gives role credentials.
func usable(t *testing.T, c *sso.Client, st story) {
	t.Helper()
	creds, err := c.RoleCredentials(context.Background(), sso.Role{AccountID: st.AccountID, RoleName: "DevOps"})
	if err != nil || !strings.HasPrefix(creds.AccessKeyID, "ASIA") {
		t.Fatalf("RoleCredentials after Login: %+v, %v", creds, err)
	}
}

func TestLoginSignsInInTheBrowserWithPKCE(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	c := ssoClient(t, s, s.url)
	ch := newChrome(t)
	p := newPrompt()
	done := login(c, browserPrompt{p})
	opened, approve := next(t, p, done)
	if approve != "" || !strings.HasPrefix(opened, s.url+"/authorize?response_type=code&client_id=") {
		t.Fatalf("Login opened %q and asked to approve %q, want the browser at %s/authorize", opened, approve, s.url)
	}
	ch.do("sign in", chromedp.Navigate(opened), chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), aliceName), chromedp.SendKeys(chromedp.CSS("#password"), alicePassword),
		chromedp.Click(chromedp.CSS("#signin-submit")), chromedp.WaitVisible(chromedp.CSS("#client-name")))
	if got := ch.text("#client-name"); got != "keyward" {
		t.Errorf("the consent page names %q, want keyward", got)
	}
	ch.do("allow", chromedp.Click(chromedp.CSS("#allow")), chromedp.WaitVisible(chromedp.CSS("#message")))
	if got := ch.text("#message"); !strings.Contains(got, "You can close this tab") {
		t.Errorf("the listener's page says %q", got)
	}
	tok := finished(t, done)
	if tok.RefreshToken == "" || !tok.ExpiresAt.After(time.Now()) {
		t.Errorf("Login kept %+v", tok)
	}
	usable(t, c, st)

	// Denied in the browser, the next Login says so.
	done = login(c, browserPrompt{p})
	opened, _ = next(t, p, done)
	ch.do("deny", chromedp.Navigate(opened), chromedp.WaitVisible(chromedp.CSS("#deny")), chromedp.Click(chromedp.CSS("#deny")),
		chromedp.WaitVisible(chromedp.CSS("#message")))
	r := <-done
	if r.err == nil || !strings.Contains(r.err.Error(), "denied") || !strings.Contains(r.err.Error(), "keyward login") {
		t.Errorf("Login after Deny: %v, want a denied sign-in saying what to run", r.err)
	}
}

func TestLoginUsesTheDeviceFlowWhenToldOrWithoutABrowser(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	b := s.browser()
	b.signIn(aliceName, alicePassword)
	for name, run := range map[string]func(c *sso.Client, p *prompt) chan loginResult{
		"--device-code with a browser": func(c *sso.Client, p *prompt) chan loginResult {
			c.DeviceCode = true
			return login(c, browserPrompt{p})
		},
		"a prompt that cannot open a browser": func(c *sso.Client, p *prompt) chan loginResult { return login(c, p) },
	} {
		t.Run(name, func(t *testing.T) {
			c, p := ssoClient(t, s, s.url), newPrompt()
			done := run(c, p)
			opened, approve := next(t, p, done)
			if opened != "" || approve == "" {
				t.Fatalf("Login opened %q, want a device code to approve", opened)
			}
			if got := b.approve(approve, true); got != "keyward" {
				t.Errorf("the approval page names %q", got)
			}
			finished(t, done)
			usable(t, c, st)
		})
	}
}

// olderServer is keyward as a server without the authorization code grant
// looks: no /authorize, and a registration that either names no
// authorization endpoint or refuses the grant types. It counts the
// requests for /authorize.
func olderServer(t *testing.T, s *server, refuse bool) (string, *atomic.Int32) {
	t.Helper()
	var asked atomic.Int32
	target, _ := url.Parse(s.url)
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(res *http.Response) error {
		if res.Request.URL.Path != "/client/register" {
			return nil
		}
		var out map[string]any
		b, _ := io.ReadAll(res.Body)
		if json.Unmarshal(b, &out) == nil {
			delete(out, "authorizationEndpoint")
			delete(out, "tokenEndpoint")
			b, _ = json.Marshal(out)
		}
		res.Body, res.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
		res.Header.Del("Content-Length")
		return nil
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/authorize" {
			asked.Add(1)
			http.NotFound(w, r)
			return
		}
		if refuse && r.URL.Path == "/client/register" {
			body, _ := io.ReadAll(r.Body)
			if bytes.Contains(body, []byte("grantTypes")) {
				w.Header().Set("X-Amzn-ErrorType", "UnsupportedGrantTypeException")
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(`{"error":"unsupported_grant_type","error_description":"grant types are not supported"}`))
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &asked
}

func TestLoginFallsBackToTheDeviceFlowWhereTheServerOffersNoBrowserSignIn(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	b := s.browser()
	b.signIn(aliceName, alicePassword)
	for name, refuse := range map[string]bool{"a server with no /authorize": false, "a server that refuses the grant types": true} {
		t.Run(name, func(t *testing.T) {
			endpoint, asked := olderServer(t, s, refuse)
			c, p := ssoClient(t, s, endpoint), newPrompt()
			done := login(c, browserPrompt{p})
			opened, approve := next(t, p, done)
			if opened != "" || approve == "" {
				t.Fatalf("Login opened %q, want the device flow", opened)
			}
			b.approve(approve, true)
			finished(t, done)
			usable(t, c, st)
			if n := asked.Load(); (n == 0) != refuse {
				t.Errorf("Login asked for /authorize %d times; it should ask exactly when the registration was accepted", n)
			}
		})
	}
}

// TestLoginRegistersAgainWhenTheScopesChange: a sign-in whose
// sso_registration_scopes changed registers a client with the new scopes,
// as the AWS CLI does (it keeps registrations by start URL, region and
// scopes). Kept with the old scopes, the browser sign-in was refused
// (invalid_scope) at every `keyward login`, and the device flow signed in
// without the new scope.
func TestLoginRegistersAgainWhenTheScopesChange(t *testing.T) {
	s := start(t)
	s.setUpStory()
	b := s.browser()
	b.signIn(aliceName, alicePassword)
	c, p := ssoClient(t, s, s.url), newPrompt()
	// endInBrowser shows the authorize page to alice, then ends the sign-in
	// as a Deny would, and returns the page.
	endInBrowser := func(t *testing.T) string {
		t.Helper()
		c.DeviceCode = false
		done := login(c, browserPrompt{p})
		opened, _ := next(t, p, done)
		_, page := b.get(opened)
		if q, err := url.Parse(opened); err == nil {
			// Already answered (the page was the listener's) or not: either way Login ends.
			_, _ = http.Get(q.Query().Get("redirect_uri") + "?error=access_denied&state=" + url.QueryEscape(q.Query().Get("state")))
		}
		<-done
		return page
	}
	devicePage := func(t *testing.T) string {
		t.Helper()
		c.DeviceCode = true
		done := login(c, browserPrompt{p})
		_, approve := next(t, p, done)
		_, page := b.get(approve)
		b.approve(approve, true)
		finished(t, done)
		return page
	}
	endInBrowser(t)
	devicePage(t)

	c.Source.Scopes = []string{"sso:account:access", "codewhisperer:completions"}
	asks := regexp.MustCompile(`Scopes: (<span id="scopes">)?[^<]*codewhisperer:completions`)
	if page := endInBrowser(t); !asks.MatchString(page) {
		t.Errorf("the browser sign-in after the scopes changed showed\n%s\nwant a consent page asking for codewhisperer:completions", page)
	}
	if page := devicePage(t); !asks.MatchString(page) {
		t.Errorf("the device sign-in after the scopes changed showed\n%s\nwant codewhisperer:completions among its scopes", page)
	}
}
