package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	oidctypes "github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
	"github.com/chromedp/chromedp"

	"github.com/keyward/keyward/internal/clock"
)

// loopbackApp is what AWS CLI v2 runs during `aws sso login`: a listener
// on 127.0.0.1 that receives the browser with ?code=…&state=… (or
// ?error=…) and answers a page the person can close.
type loopbackApp struct {
	redirectURI string
	got         chan url.Values
}

func newLoopbackApp(t *testing.T) *loopbackApp {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	app := &loopbackApp{redirectURI: fmt.Sprintf("http://%s/oauth/callback", ln.Addr()), got: make(chan url.Values, 4)}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/oauth/callback" {
			http.NotFound(w, r)
			return
		}
		app.got <- r.URL.Query()
		fmt.Fprint(w, `<!doctype html><title>done</title><p id="callback-done">You can close this tab.</p>`)
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return app
}

// botocoreAuthorizeURL is the /authorize URL AWS CLI v2 opens
// (botocore's AuthCodeFetcher), with its parameter order and names.
func botocoreAuthorizeURL(endpoint, clientID, redirectURI, state, verifier string, change func(q []string) []string) string {
	sum := sha256.Sum256([]byte(verifier))
	q := []string{"response_type=code", "client_id=" + url.QueryEscape(clientID), "redirect_uri=" + url.QueryEscape(redirectURI),
		"state=" + url.QueryEscape(state), "code_challenge_method=S256", "scopes=" + url.QueryEscape("sso:account:access"),
		"code_challenge=" + base64.RawURLEncoding.EncodeToString(sum[:])}
	if change != nil {
		q = change(q)
	}
	return endpoint + "/authorize?" + strings.Join(q, "&")
}

func TestChromiumSignsInWithTheAuthorizationCodeAndPKCEAsTheAWSCLIDoes(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	c := newChrome(t)
	app := newLoopbackApp(t)
	ctx := context.Background()
	oidc := ssooidc.New(ssooidc.Options{Region: "us-east-1", BaseEndpoint: aws.String(s.url)})
	reg, err := oidc.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("botocore-client-dev"),
		ClientType: aws.String("public"), Scopes: []string{"sso:account:access"},
		GrantTypes: []string{"authorization_code", "refresh_token"}, RedirectUris: []string{"http://127.0.0.1/oauth/callback"},
		IssuerUrl: aws.String(s.main.StartURL)})
	must(t, err)
	if got := aws.ToString(reg.AuthorizationEndpoint); got != s.url+"/authorize" {
		t.Errorf("RegisterClient names the authorization endpoint %q, want %s/authorize", got, s.url)
	}
	verifier := clock.Token(clock.Random, 48)
	state := "9f1c4c1e-6a54-4c71-a5a1-2f0e4f64b7d2"

	c.do("open the authorize link the CLI printed",
		chromedp.Navigate(botocoreAuthorizeURL(s.url, aws.ToString(reg.ClientId), app.redirectURI, state, verifier, nil)),
		chromedp.WaitVisible(chromedp.CSS("#username")))
	c.do("sign in", chromedp.SendKeys(chromedp.CSS("#username"), aliceName),
		chromedp.SendKeys(chromedp.CSS("#password"), alicePassword),
		chromedp.Click(chromedp.CSS("#signin-submit")), chromedp.WaitVisible(chromedp.CSS("#client-name")))
	if got := c.text("#client-name"); got != "botocore-client-dev" {
		t.Errorf("the consent page names the client %q", got)
	}
	if got := c.text("#scopes"); got != "sso:account:access" {
		t.Errorf("the consent page shows the scopes %q", got)
	}
	if got, want := c.text("#return-to"), strings.TrimSuffix(app.redirectURI, "/oauth/callback"); got != want {
		t.Errorf("the consent page says the browser returns to %q, want %q", got, want)
	}
	c.do("allow", chromedp.Click(chromedp.CSS("#allow")), chromedp.WaitVisible(chromedp.CSS("#callback-done")))
	back := <-app.got
	if back.Get("state") != state || back.Get("code") == "" || back.Get("error") != "" {
		t.Fatalf("the loopback app received %v, want a code and state %s", back, state)
	}

	tok, err := oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
		GrantType: aws.String("authorization_code"), Code: aws.String(back.Get("code")), RedirectUri: aws.String(app.redirectURI),
		CodeVerifier: aws.String(verifier)})
	must(t, err)
	if aws.ToString(tok.TokenType) != "Bearer" || aws.ToString(tok.RefreshToken) == "" {
		t.Errorf("CreateToken answered type %q and refresh token %q", aws.ToString(tok.TokenType), aws.ToString(tok.RefreshToken))
	}
	portal := sso.New(sso.Options{Region: "us-east-1", BaseEndpoint: aws.String(s.url)})
	creds, err := portal.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{AccessToken: tok.AccessToken,
		AccountId: aws.String(st.AccountID), RoleName: aws.String("DevOps")})
	must(t, err)
	if !strings.HasPrefix(aws.ToString(creds.RoleCredentials.AccessKeyId), "ASIA") {
		t.Errorf("GetRoleCredentials gave access key %q", aws.ToString(creds.RoleCredentials.AccessKeyId))
	}

	// The code was for one use: replaying it is invalid_grant and ends the
	// sign-in it gave.
	_, err = oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
		GrantType: aws.String("authorization_code"), Code: aws.String(back.Get("code")), RedirectUri: aws.String(app.redirectURI),
		CodeVerifier: aws.String(verifier)})
	var grant *oidctypes.InvalidGrantException
	if !errors.As(err, &grant) {
		t.Fatalf("replaying the code: %v, want InvalidGrantException", err)
	}
	_, err = portal.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{AccessToken: tok.AccessToken,
		AccountId: aws.String(st.AccountID), RoleName: aws.String("DevOps")})
	var unauthorized *ssotypes.UnauthorizedException
	if !errors.As(err, &unauthorized) {
		t.Errorf("the token of a replayed code still works: %v", err)
	}

	// Signed in now, a request that downgrades PKCE to plain goes straight
	// back to the app with invalid_request and its state; no consent, no code.
	plain := botocoreAuthorizeURL(s.url, aws.ToString(reg.ClientId), app.redirectURI, "plain-state", verifier, func(q []string) []string {
		q[4], q[6] = "code_challenge_method=plain", "code_challenge="+verifier
		return q
	})
	c.do("open a plain-PKCE link", chromedp.Navigate(plain), chromedp.WaitVisible(chromedp.CSS("#callback-done")))
	if back := <-app.got; back.Get("error") != "invalid_request" || back.Get("state") != "plain-state" || back.Get("code") != "" {
		t.Errorf("a plain challenge brought the app %v, want error=invalid_request with its state", back)
	}

	// Deny sends access_denied back.
	c.do("open a fresh link and deny",
		chromedp.Navigate(botocoreAuthorizeURL(s.url, aws.ToString(reg.ClientId), app.redirectURI, "deny-state", verifier, nil)),
		chromedp.Click(chromedp.CSS("#deny")), chromedp.WaitVisible(chromedp.CSS("#callback-done")))
	if back := <-app.got; back.Get("error") != "access_denied" || back.Get("state") != "deny-state" || back.Get("code") != "" {
		t.Errorf("Deny brought the app %v, want error=access_denied with its state", back)
	}

	// A link whose redirect URI is not the client's shows an error page
	// and sends the browser nowhere.
	evil := botocoreAuthorizeURL(s.url, aws.ToString(reg.ClientId), "https://evil.example/oauth/callback", "x", verifier, nil)
	c.do("open a link that redirects elsewhere", chromedp.Navigate(evil), chromedp.WaitVisible(chromedp.CSS("#error")))
	if got := c.text("#error"); !strings.Contains(got, "redirect_uri the client did not register") {
		t.Errorf("the page says %q", got)
	}
	if loc := c.location(); !strings.HasPrefix(loc, s.url+"/authorize") {
		t.Errorf("the browser went on to %s", loc)
	}
}

// TestChromiumSignsInWithPKCEThroughTheIdentityProvider is the same sign-in
// when Identity Center's identity source is the identity provider: the
// /authorize link (longer than SAML's 80-byte RelayState) waits in a
// cookie while alice signs in there, and the browser comes back to the
// consent page, then to the AWS CLI's loopback listener.
func TestChromiumSignsInWithPKCEThroughTheIdentityProvider(t *testing.T) {
	s, f, st, acsURL := federatedPortal(t)

	app := newLoopbackApp(t)
	ctx := context.Background()
	oidc := ssooidc.New(ssooidc.Options{Region: "us-east-1", BaseEndpoint: aws.String(s.url)})
	reg, err := oidc.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("botocore-client-dev"),
		ClientType: aws.String("public"), Scopes: []string{"sso:account:access"},
		GrantTypes: []string{"authorization_code", "refresh_token"}, RedirectUris: []string{"http://127.0.0.1/oauth/callback"}})
	must(t, err)
	verifier, state := clock.Token(clock.Random, 48), "3b0e8c0e-state"

	c := newChrome(t)
	j := c.record(s)
	ssoPath := "/app/amazon_aws_sso/" + f.appID + "/sso/saml"
	c.do("open the authorize link", chromedp.Navigate(botocoreAuthorizeURL(s.url, aws.ToString(reg.ClientId), app.redirectURI, state, verifier, nil)),
		chromedp.WaitVisible(chromedp.CSS("#username")))
	c.do("sign in at the identity provider", chromedp.SendKeys(chromedp.CSS("#username"), fedAlice),
		chromedp.Click(chromedp.CSS("#next")), chromedp.WaitVisible(chromedp.CSS("#password")),
		chromedp.SendKeys(chromedp.CSS("#password"), fedPassword), chromedp.Click(chromedp.CSS("#verify")),
		chromedp.WaitVisible(chromedp.CSS("#qr svg")))
	mark := j.len()
	c.do("enrol the authenticator app", chromedp.SendKeys(chromedp.CSS("#code"), phoneCode(t, c.text("#secret"), time.Now())),
		chromedp.Click(chromedp.CSS("#verify")), chromedp.WaitVisible(chromedp.CSS("#client-name")))
	equal(t, "the way back to the consent page", []string{"POST idp /login/step", "GET idp " + ssoPath, "POST aws " + urlPath(acsURL),
		"GET aws /start/resume", "GET aws /authorize"}, j.since(mark))
	equal(t, "the consent page names", "botocore-client-dev", c.text("#client-name"))
	c.do("allow", chromedp.Click(chromedp.CSS("#allow")), chromedp.WaitVisible(chromedp.CSS("#callback-done")))
	back := <-app.got
	if back.Get("state") != state || back.Get("code") == "" {
		t.Fatalf("the loopback app received %v", back)
	}
	tok, err := oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
		GrantType: aws.String("authorization_code"), Code: aws.String(back.Get("code")), RedirectUri: aws.String(app.redirectURI),
		CodeVerifier: aws.String(verifier)})
	must(t, err)
	portal := sso.New(sso.Options{Region: "us-east-1", BaseEndpoint: aws.String(s.url)})
	_, err = portal.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{AccessToken: tok.AccessToken,
		AccountId: aws.String(st.AccountID), RoleName: aws.String("DevOps")})
	must(t, err)
}
