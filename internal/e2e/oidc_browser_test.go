package e2e

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/okta/okta-sdk-golang/v5/okta"
	"golang.org/x/oauth2"

	"github.com/keyward/keyward/internal/clock"
)

const (
	mfaPerson   = "maya@example.com"
	mfaPassword = "two factors are better"
)

// oidcBrowserFlow is the state TestChromiumSignsInToAnOIDCAppWithPasswordAndTOTP builds up.
type oidcBrowserFlow struct {
	s        *server
	clk      *clock.Fake
	c        *chrome
	person   string
	clientID string
	callback string
	conf     oauth2.Config
	token    *oktaAWSCLI // the app's own calls to the token endpoint
	secret   string      // the authenticator app's secret, as the page showed it
}

// TestChromiumSignsInToAnOIDCAppWithPasswordAndTOTP is a person whose
// group's sign-on policy requires MFA, in Debian's Chromium: (a) a device
// (x/oauth2's DeviceAuth) shows a verification link; the person opens it,
// signs in with her password, enrols an authenticator app, sees which app
// asks for which scopes and allows it, and the device's next poll gets
// tokens; (b) signed out, she opens an app's authorization URL, signs in
// with her password and a code from the app, and lands on the app's
// loopback redirect URI with a code the app redeems with its PKCE verifier.
func TestChromiumSignsInToAnOIDCAppWithPasswordAndTOTP(t *testing.T) {
	clk := clock.NewFake(time.Now())
	dir := t.TempDir()
	s := &server{t: t, main: launch(t, dir, clk), dataDir: dir}
	s.url = s.main.AWSURL
	f := &oidcBrowserFlow{s: s, clk: clk, callback: loopbackCallback(t),
		token: &oktaAWSCLI{s: &tlsServer{server: s}, c: &http.Client{Timeout: 10 * time.Second}}}
	f.setUp(t)
	f.c = newChrome(t)
	step := steps(t)
	step("a device's verification link asks for sign-in with MFA, names the app and its scopes, and Allow activates it", f.deviceFlow)
	step("the authorization code flow signs her in with password and TOTP and lands on the loopback redirect URI", f.codeFlow)
}

func (f *oidcBrowserFlow) setUp(t *testing.T) {
	admin, ctx := f.s.oktaAdmin(), context.Background()
	eng := must2[*okta.Group](t, "create Engineering")(admin.GroupAPI.CreateGroup(ctx).Group(newGroup("Engineering", "")).Execute())
	f.s.runAdmin("signon-policy", "set", "--group", "Engineering", "--mfa", "required")
	u := must2[*okta.User](t, "create the person")(admin.UserAPI.CreateUser(ctx).
		Body(withPassword(newPerson(mfaPerson, "Maya", "Multifactor", eng.GetId()), mfaPassword)).Execute())
	f.person = u.GetId()
	f.clientID = nativeApp(t, admin.APIClient, "Build Radiator", f.person)
	org := f.s.main.OrgURL
	f.conf = oauth2.Config{ClientID: f.clientID, RedirectURL: f.callback, Scopes: []string{"openid", "profile", "offline_access"},
		Endpoint: oauth2.Endpoint{AuthURL: org + "/oauth2/v1/authorize", TokenURL: org + "/oauth2/v1/token",
			DeviceAuthURL: org + "/oauth2/v1/device/authorize", AuthStyle: oauth2.AuthStyleInParams}}
}

// tab is the test's one browser tab, failing t (a step) when an action fails.
func (f *oidcBrowserFlow) tab(t *testing.T) *chrome { return &chrome{t: t, tab: f.c.tab} }

// signIn types the person's username and password on the sign-in page the
// browser shows.
func (f *oidcBrowserFlow) signIn(c *chrome, step string, then chromedp.Action[chromedp.Void]) {
	c.do(step, chromedp.WaitVisible(chromedp.CSS("#username")), chromedp.SendKeys(chromedp.CSS("#username"), mfaPerson),
		chromedp.Click(chromedp.CSS("#next")), chromedp.WaitVisible(chromedp.CSS("#password")),
		chromedp.SendKeys(chromedp.CSS("#password"), mfaPassword), chromedp.Click(chromedp.CSS("#verify")), then)
}

func (f *oidcBrowserFlow) deviceFlow(t *testing.T) {
	c := f.tab(t)
	dev, err := f.conf.DeviceAuth(context.Background())
	must(t, err)
	poll := url.Values{"client_id": {f.clientID}, "device_code": {dev.DeviceCode}, "grant_type": {"urn:ietf:params:oauth:grant-type:device_code"}}
	if status, tok := f.token.token(t, "/oauth2/v1/token", poll, false); status != http.StatusBadRequest || tok.Error != "authorization_pending" {
		t.Fatalf("the poll before approval: %d %+v, want 400 authorization_pending", status, tok)
	}
	c.do("open the verification link", chromedp.Navigate(dev.VerificationURIComplete))
	f.signIn(c, "sign in with her password", chromedp.WaitVisible(chromedp.CSS("#qr svg")))
	f.secret = c.text("#secret")
	c.do("the policy makes her enrol an authenticator app", chromedp.SendKeys(chromedp.CSS("#code"), phoneCode(t, f.secret, f.clk.Now())),
		chromedp.Click(chromedp.CSS("#verify")), chromedp.WaitVisible(chromedp.CSS("#approve-form")))
	equal(t, "the page's title", "Activate Build Radiator", c.text("h1"))
	equal(t, "the app asking", "Build Radiator", c.text("#client-name"))
	equal(t, "the scopes it asks for", "openid, profile, offline_access", c.text("#scopes"))
	equal(t, "the code the device shows", dev.UserCode, strings.ReplaceAll(c.text("#user-code"), "-", ""))
	c.do("Allow", chromedp.Click(chromedp.CSS("#approve")), chromedp.WaitVisible(chromedp.CSS("#activated")))
	equal(t, "the page's title", "Device activated", c.text("h1"))
	equal(t, "what the page says", "Your device is now signed in. You can close this window and return to it.", c.text("#activated"))

	status, tok := f.token.token(t, "/oauth2/v1/token", poll, false)
	if status != http.StatusOK || tok.IDToken == "" || tok.AccessToken == "" {
		t.Fatalf("the poll after approval: %d %+v", status, tok)
	}
	f.wantMFA(t, tok.IDToken, "")
}

func (f *oidcBrowserFlow) codeFlow(t *testing.T) {
	c := f.tab(t)
	c.do("sign out", chromedp.Click(chromedp.CSS("#signout")), chromedp.WaitVisible(chromedp.CSS("#username")))
	f.clk.Advance(30 * time.Second) // the enrolment's code is spent; her phone shows the next one
	verifier, nonce := oauth2.GenerateVerifier(), "n-"+oauth2.GenerateVerifier()[:16]
	authURL := f.conf.AuthCodeURL("the-state", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("nonce", nonce))
	c.do("open the app's authorization URL", chromedp.Navigate(authURL))
	f.signIn(c, "sign in with her password", chromedp.WaitVisible(chromedp.CSS("#code")))
	c.do("type the code from her phone", chromedp.SendKeys(chromedp.CSS("#code"), phoneCode(t, f.secret, f.clk.Now())),
		chromedp.Click(chromedp.CSS("#verify")), chromedp.WaitVisible(chromedp.CSS("#done")))
	equal(t, "the app's page", "Signed in. You can close this window.", c.text("#done"))
	loc, err := url.Parse(chromeRead(c, "location", chromedp.Location()))
	must(t, err)
	if !strings.HasPrefix(loc.String(), f.callback+"?") || loc.Query().Get("state") != "the-state" || loc.Query().Get("code") == "" {
		t.Fatalf("the browser landed at %s, want %s with the code and the state", loc, f.callback)
	}
	tok, err := f.conf.Exchange(context.Background(), loc.Query().Get("code"), oauth2.VerifierOption(verifier))
	must(t, err)
	raw, _ := tok.Extra("id_token").(string)
	f.wantMFA(t, raw, nonce)
}

// wantMFA verifies an ID token with go-oidc and checks it names the person
// and says she signed in with her password and a one-time code.
func (f *oidcBrowserFlow) wantMFA(t *testing.T, raw, nonce string) {
	t.Helper()
	ctx := context.Background()
	p, err := oidc.NewProvider(ctx, f.s.main.OrgURL)
	must(t, err)
	// The server's fake clock stands still while the real one runs on.
	now := f.clk.Now
	id, err := p.Verifier(&oidc.Config{ClientID: f.clientID, Now: now}).Verify(ctx, raw)
	must(t, err)
	var claims struct {
		AMR   []string `json:"amr"`
		Nonce string   `json:"nonce"`
	}
	must(t, id.Claims(&claims))
	if id.Subject != f.person || claims.Nonce != nonce || !slices.Equal(claims.AMR, []string{"pwd", "otp"}) {
		t.Errorf("the ID token: sub %s, nonce %q, amr %v; want sub %s, nonce %q, amr [pwd otp]", id.Subject, claims.Nonce, claims.AMR, f.person, nonce)
	}
}
