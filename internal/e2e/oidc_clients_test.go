package e2e

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/okta/okta-sdk-golang/v5/okta"
	"golang.org/x/oauth2"
)

// openIDClientDir holds openid-client, pinned (package.json,
// package-lock.json), and the relying party script; scripts/test runs
// `npm ci` there.
const openIDClientDir = "testdata/openidclient"

const (
	rpPerson   = "rita@example.com"
	rpPassword = "relying on parties"
	// rpStepTimeout bounds one step of the script; the device poll waits
	// the server's 5 s interval before it asks.
	rpStepTimeout = 20 * time.Second
)

// nativeGrants are what a native app with a browser and a device flow asks for.
var nativeGrants = []string{"authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"}

// nativeApp creates a native OIDC app (a public client with PKCE) whose
// login redirect URI is the loopback callback, on any port, and assigns
// the person to it. It returns the client id.
func nativeApp(t *testing.T, admin *okta.APIClient, label, person string) string {
	t.Helper()
	ctx := context.Background()
	app := must2[*okta.ListApplications200ResponseInner](t, "create "+label)(admin.ApplicationAPI.CreateApplication(ctx).
		Application(oidcApp(label, "native", "none", nativeGrants, []string{"http://127.0.0.1/callback"}, nil)).Execute())
	id := app.OpenIdConnectApplication.GetId()
	must2[*okta.AppUser](t, "assign "+label)(admin.ApplicationUsersAPI.AssignUserToApplication(ctx, id).
		AppUser(*okta.NewAppUserAssignRequest(person)).Execute())
	return id
}

// loopbackCallback is a native app's redirect target on 127.0.0.1: it
// shows the person a page saying they may close the window.
func loopbackCallback(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><title>Signed in</title><p id="done">Signed in. You can close this window.</p>`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/callback"
}

// userCodeRe finds the code the verification page shows (grouped by four
// for reading; the device was given it without the hyphen).
var userCodeRe = regexp.MustCompile(`<code id="user-code">([A-Z-]+)</code>`)

// rpStep is one line the relying party script writes.
type rpStep struct {
	Step                    string         `json:"step"`
	Issuer                  string         `json:"issuer"`
	DeviceEndpoint          string         `json:"device_authorization_endpoint"`
	URL                     string         `json:"url"`
	Claims                  map[string]any `json:"claims"`
	Scope                   string         `json:"scope"`
	TokenType               string         `json:"token_type"`
	HasRefreshToken         bool           `json:"has_refresh_token"`
	UserInfo                map[string]any `json:"userinfo"`
	Rotated                 bool           `json:"rotated"`
	UserCode                string         `json:"user_code"`
	VerificationURIComplete string         `json:"verification_uri_complete"`
	Interval                int            `json:"interval"`
	IDToken                 string         `json:"id_token"`
	Message                 string         `json:"message"`
	Error                   string         `json:"error"`
	ErrorDescription        string         `json:"error_description"`
}

// relyingParty is the openid-client script running under node.
type relyingParty struct {
	t      *testing.T
	stdin  io.Writer
	lines  chan rpStep
	stderr *strings.Builder
}

// startRelyingParty runs rp.mjs for the client against the TLS server,
// trusting its CA as Node is told to (NODE_EXTRA_CA_CERTS).
func startRelyingParty(t *testing.T, s *tlsServer, clientID, redirectURI string) *relyingParty {
	t.Helper()
	node := requireTool(t, "node", "apt-get install nodejs")
	if _, err := os.Stat(filepath.Join(openIDClientDir, "node_modules", "openid-client")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("openid-client is not installed (cd internal/e2e/%s && npm ci): %v", openIDClientDir, err)
		}
		t.Skipf("openid-client is not installed; run npm ci in internal/e2e/%s", openIDClientDir)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	cmd := exec.CommandContext(ctx, node, "rp.mjs")
	cmd.Dir = openIDClientDir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "NODE_EXTRA_CA_CERTS=" + s.caFile,
		"ISSUER=" + s.main.OrgURL, "CUSTOM_ISSUER=" + s.main.OrgURL + "/oauth2/default",
		"CLIENT_ID=" + clientID, "REDIRECT_URI=" + redirectURI}
	rp := &relyingParty{t: t, lines: make(chan rpStep, 8), stderr: &strings.Builder{}}
	cmd.Stderr = rp.stderr
	stdin, err := cmd.StdinPipe()
	must(t, err)
	stdout, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	rp.stdin = stdin
	go rp.read(stdout)
	t.Cleanup(func() {
		stdin.Close()
		cancel() // a failed test leaves the script polling or waiting for a line
		_ = cmd.Wait()
	})
	return rp
}

func (rp *relyingParty) read(stdout io.Reader) {
	defer close(rp.lines)
	sc := bufio.NewScanner(stdout)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var s rpStep
		if json.Unmarshal(sc.Bytes(), &s) != nil {
			s = rpStep{Step: "garbage", Message: sc.Text()}
		}
		rp.lines <- s
	}
}

// next waits for the script's next step, which must be want.
func (rp *relyingParty) next(want string) rpStep {
	rp.t.Helper()
	select {
	case s, ok := <-rp.lines:
		if !ok {
			rp.t.Fatalf("openid-client exited before %q:\n%s", want, rp.stderr)
		}
		if s.Step != want {
			rp.t.Fatalf("openid-client: %+v, want the step %q\n%s", s, want, rp.stderr)
		}
		return s
	case <-time.After(rpStepTimeout):
		rp.t.Fatalf("openid-client said nothing for %s, waiting for %q:\n%s", rpStepTimeout, want, rp.stderr)
	}
	return rpStep{}
}

// send hands the script one line (the callback URL).
func (rp *relyingParty) send(line string) {
	rp.t.Helper()
	_, err := io.WriteString(rp.stdin, line+"\n")
	must(rp.t, err)
}

// rpFlow is the state TestOpenIDClientAndGoOIDCAgainstKeyward builds up.
type rpFlow struct {
	s        *tlsServer
	admin    *okta.APIClient
	person   string
	clientID string
	callback string
	rp       *relyingParty
	browser  *fedBrowser
	deviceID string // the ID token from the device flow
}

// TestOpenIDClientAndGoOIDCAgainstKeyward runs two independent relying-party
// libraries against keyward's TLS org URL: openid-client (a certified
// relying party, in Node) discovers the default and the org authorization
// servers, signs a person in with the code flow and S256 PKCE through a
// browser, validates the ID token's signature, nonce and audience, reads
// userinfo, refreshes, and runs the device flow approved at /activate;
// go-oidc then verifies the device flow's ID token and refuses one that
// was issued to another client; last, openid-client's code flow on the
// default authorization server returns at once for the signed-in person.
func TestOpenIDClientAndGoOIDCAgainstKeyward(t *testing.T) {
	f := &rpFlow{s: startTLS(t), callback: loopbackCallback(t)}
	step := steps(t)
	step("the administrator registers a native app with the loopback redirect URI and assigns the person", f.setUp)
	f.rp = startRelyingParty(t, f.s, f.clientID, f.callback)
	step("openid-client discovers the default authorization server and the org authorization server", f.discovery)
	step("the code flow with S256 PKCE signs the person in and openid-client validates the ID token", f.codeFlow)
	step("openid-client refreshes and gets a new ID token and a rotated refresh token", f.refresh)
	step("openid-client's device flow is approved at /activate and its poll gets tokens", f.deviceFlow)
	step("go-oidc verifies the device flow's ID token against the org's discovery and keys", f.goOIDCVerifies)
	step("go-oidc refuses an ID token issued to another client", f.goOIDCRefusesAnotherClient)
	step("openid-client's code flow on the default authorization server comes straight back to the signed-in person", f.customServer)
}

func (f *rpFlow) setUp(t *testing.T) {
	org, token := bootstrapToken(t, f.s.dataDir)
	f.admin = oktaClientTrusting(t, org, f.s.main.IdPAddr(), token, f.s.roots)
	u := must2[*okta.User](t, "create the person")(f.admin.UserAPI.CreateUser(context.Background()).
		Body(withPassword(newPerson(rpPerson, "Rita", "Reliant"), rpPassword)).Execute())
	f.person = u.GetId()
	f.clientID = nativeApp(t, f.admin, "openid-client RP", f.person)
	jar, _ := cookiejar.New(nil)
	f.browser = &fedBrowser{t: t, c: &http.Client{Jar: jar, Timeout: 10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: f.s.roots}}}}
}

func (f *rpFlow) discovery(t *testing.T) {
	org := f.s.main.OrgURL
	equal(t, "the default server's issuer", org+"/oauth2/default", f.rp.next("discovered").Issuer)
	d := f.rp.next("discovered")
	equal(t, "the org server's issuer", org, d.Issuer)
	equal(t, "the device authorization endpoint", org+"/oauth2/v1/device/authorize", d.DeviceEndpoint)
}

func (f *rpFlow) codeFlow(t *testing.T) {
	where, _, page := f.browser.visit(f.authorizeURL(t, f.s.main.OrgURL+"/oauth2/v1/authorize"), nil)
	where, status, page := f.browser.signInAtIdP(where, page, rpPerson, rpPassword)
	f.redeem(t, f.s.main.OrgURL, where, status, page)
}

// authorizeURL reads the script's authorization URL, which must be for
// endpoint with S256 PKCE, the client and the loopback redirect URI.
func (f *rpFlow) authorizeURL(t *testing.T, endpoint string) string {
	t.Helper()
	auth, err := url.Parse(f.rp.next("authorize").URL)
	must(t, err)
	q := auth.Query()
	if auth.String() != endpoint+"?"+auth.RawQuery || q.Get("code_challenge_method") != "S256" ||
		q.Get("client_id") != f.clientID || q.Get("redirect_uri") != f.callback {
		t.Fatalf("openid-client's authorization URL: %s", auth)
	}
	return auth.String()
}

// redeem hands the browser's callback URL to the script and checks what
// openid-client validated: the ID token of issuer, the tokens, userinfo.
func (f *rpFlow) redeem(t *testing.T, issuer, where string, status int, page string) {
	t.Helper()
	if !strings.HasPrefix(where, f.callback+"?") || status != http.StatusOK || !strings.Contains(page, "Signed in.") {
		t.Fatalf("after sign-in the browser is at %s (%d):\n%s", where, status, page)
	}
	f.rp.send(where)
	code := f.rp.next("code")
	f.wantClaims(t, "the code flow's ID token", issuer, code.Claims)
	// openid-client normalizes the token type to lower case.
	if code.Claims["nonce"] == nil || code.TokenType != "bearer" || !code.HasRefreshToken ||
		code.Scope != "openid profile email offline_access" {
		t.Errorf("the code flow's tokens: %+v", code)
	}
	info := f.rp.next("userinfo").UserInfo
	if info["sub"] != f.person || info["email"] != rpPerson || info["name"] != "Rita Reliant" {
		t.Errorf("userinfo: %v", info)
	}
}

func (f *rpFlow) customServer(t *testing.T) {
	issuer := f.s.main.OrgURL + "/oauth2/default"
	where, status, page := f.browser.visit(f.authorizeURL(t, issuer+"/v1/authorize"), nil)
	f.redeem(t, issuer, where, status, page)
}

// wantClaims checks an ID token's claims name the issuer, the client and the person.
func (f *rpFlow) wantClaims(t *testing.T, what, issuer string, claims map[string]any) {
	t.Helper()
	if claims["iss"] != issuer || claims["aud"] != f.clientID || claims["sub"] != f.person {
		t.Errorf("%s: claims %v, want iss %s, aud %s, sub %s", what, claims, issuer, f.clientID, f.person)
	}
}

func (f *rpFlow) refresh(t *testing.T) {
	r := f.rp.next("refresh")
	f.wantClaims(t, "the refreshed ID token", f.s.main.OrgURL, r.Claims)
	if !r.Rotated {
		t.Errorf("the refresh token was not rotated")
	}
}

func (f *rpFlow) deviceFlow(t *testing.T) {
	d := f.rp.next("device")
	if d.Interval != 5 || !strings.HasPrefix(d.VerificationURIComplete, f.s.main.OrgURL+"/activate?user_code=") {
		t.Fatalf("device authorization: %+v", d)
	}
	_, _, page := f.browser.visit(d.VerificationURIComplete, nil)
	shown := userCodeRe.FindStringSubmatch(page)
	if !strings.Contains(page, `id="client-name">openid-client RP<`) || shown == nil || strings.ReplaceAll(shown[1], "-", "") != d.UserCode {
		t.Fatalf("the verification page, signed in, does not name the client and the code %s:\n%s", d.UserCode, page)
	}
	_, status, done := f.browser.visit(f.s.main.OrgURL+"/activate", url.Values{"user_code": {d.UserCode}, "decision": {"approve"}})
	if status != http.StatusOK || !strings.Contains(done, `id="activated"`) {
		t.Fatalf("approving: %d\n%s", status, done)
	}
	tokens := f.rp.next("device_tokens")
	f.wantClaims(t, "the device flow's ID token", f.s.main.OrgURL, tokens.Claims)
	f.deviceID = tokens.IDToken
}

// goOIDCProvider discovers the org server with go-oidc over an
// http.Client that trusts keyward's CA.
func (f *rpFlow) goOIDCProvider(t *testing.T) (context.Context, *oidc.Provider) {
	t.Helper()
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: f.s.roots}}}
	ctx := oidc.ClientContext(context.Background(), hc)
	p, err := oidc.NewProvider(ctx, f.s.main.OrgURL)
	must(t, err)
	return ctx, p
}

func (f *rpFlow) goOIDCVerifies(t *testing.T) {
	ctx, p := f.goOIDCProvider(t)
	tok, err := p.Verifier(&oidc.Config{ClientID: f.clientID}).Verify(ctx, f.deviceID)
	must(t, err)
	var claims struct {
		Email string `json:"email"`
		Name  string `json:"name"`
	}
	must(t, tok.Claims(&claims))
	if tok.Subject != f.person || tok.Issuer != f.s.main.OrgURL || claims.Name != "Rita Reliant" {
		t.Errorf("go-oidc verified sub %s, iss %s, claims %+v", tok.Subject, tok.Issuer, claims)
	}
}

func (f *rpFlow) goOIDCRefusesAnotherClient(t *testing.T) {
	ctx, p := f.goOIDCProvider(t)
	other := nativeApp(t, f.admin, "Another app", f.person)
	conf := oauth2.Config{ClientID: other, Endpoint: p.Endpoint(), RedirectURL: f.callback, Scopes: []string{oidc.ScopeOpenID}}
	verifier := oauth2.GenerateVerifier()
	where, _, page := f.browser.visit(conf.AuthCodeURL("st", oauth2.S256ChallengeOption(verifier)), nil)
	cb, err := url.Parse(where)
	must(t, err)
	if cb.Query().Get("state") != "st" || cb.Query().Get("code") == "" {
		t.Fatalf("the signed-in browser is at %s:\n%s", where, page)
	}
	tok, err := conf.Exchange(ctx, cb.Query().Get("code"), oauth2.VerifierOption(verifier))
	must(t, err)
	raw, _ := tok.Extra("id_token").(string)
	if _, err := p.Verifier(&oidc.Config{ClientID: other}).Verify(ctx, raw); err != nil {
		t.Fatalf("go-oidc refuses the other app's ID token for the other app: %v", err)
	}
	_, err = p.Verifier(&oidc.Config{ClientID: f.clientID}).Verify(ctx, raw)
	if err == nil || !strings.Contains(err.Error(), "expected audience \""+f.clientID+"\"") {
		t.Errorf("go-oidc verifying another app's ID token for %s: %v, want an audience error", f.clientID, err)
	}
}
