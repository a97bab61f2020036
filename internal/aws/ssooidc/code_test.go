package ssooidc

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store/sqlite"
)

// pkce is a browser sign-in's client side: a registration for the
// authorization code grant and one verifier.
type pkce struct {
	svc      *Service
	db       *sqlite.DB
	clk      *clock.Fake
	reg      *registerClientOutput
	user     ic.User
	verifier string
}

const (
	registeredURI = "http://127.0.0.1/oauth/callback"
	callback      = "http://127.0.0.1:53682/oauth/callback"
	theState      = "0f6a8e3c-state"
)

func newPKCE(t *testing.T) *pkce {
	t.Helper()
	db, clk := openStore(t)
	svc := New(db, Config{PublicURL: "https://oidc.example", SessionLifetime: 8 * time.Hour}, clk, clock.Random)
	p := &pkce{svc: svc, db: db, clk: clk, verifier: strings.Repeat("v", 20) + clock.Token(clock.Random, 32)}
	p.reg = p.register(t, []string{ic.GrantAuthorizationCode, ic.GrantRefreshToken}, []string{registeredURI})
	p.user = ic.User{ID: "u-" + clock.Hex(clock.Random, 8), Profile: ic.Profile{UserName: "alice"}, Status: ic.UserEnabled,
		CreatedAt: clk.Now(), UpdatedAt: clk.Now()}
	if err := db.CreateUser(context.Background(), p.user); err != nil {
		t.Fatal(err)
	}
	p.session(t, "session-hash", 8*time.Hour)
	return p
}

// session starts a portal session of the person's, lasting lifetime.
func (p *pkce) session(t *testing.T, hash string, lifetime time.Duration) {
	t.Helper()
	if err := p.db.CreatePortalSession(context.Background(), ic.PortalSession{IDHash: hash, UserID: p.user.ID,
		CreatedAt: p.clk.Now(), ExpiresAt: p.clk.Now().Add(lifetime)}); err != nil {
		t.Fatal(err)
	}
}

func (p *pkce) register(t *testing.T, grants, uris []string) *registerClientOutput {
	t.Helper()
	reg, err := p.svc.registerClient(context.Background(), &registerClientInput{ClientName: "botocore-client-dev",
		ClientType: "public", Scopes: []string{"sso:account:access"}, GrantTypes: grants, RedirectURIs: uris,
		IssuerURL: "https://keyward.example/start"})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// query is the /authorize query botocore sends, with changes.
func (p *pkce) query(change func(url.Values)) AuthorizeRequest {
	q := url.Values{"response_type": {"code"}, "client_id": {p.reg.ClientID}, "redirect_uri": {callback},
		"state": {theState}, "code_challenge_method": {"S256"}, "scopes": {"sso:account:access"},
		"code_challenge": {challenge(p.verifier)}}
	if change != nil {
		change(q)
	}
	r, err := ParseAuthorizeRequest(q.Encode())
	if err != nil {
		panic(err)
	}
	return r
}

// allow has the person allow the request and returns the code the browser
// brings back, checking the state came back with it.
func (p *pkce) allow(t *testing.T, req AuthorizeRequest) string {
	t.Helper()
	to, err := p.svc.Allow(context.Background(), req, p.user.ID, "session-hash")
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(to)
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Scheme + "://" + u.Host + u.Path; got != req.RedirectURI {
		t.Fatalf("Allow sends the browser to %s, want %s", got, req.RedirectURI)
	}
	if got := u.Query().Get("state"); got != req.State {
		t.Errorf("state came back as %q, want %q", got, req.State)
	}
	return u.Query().Get("code")
}

func (p *pkce) redeem(code, redirect, verifier string) (*createTokenOutput, error) {
	return p.svc.createToken(context.Background(), &createTokenInput{ClientID: p.reg.ClientID, ClientSecret: p.reg.ClientSecret,
		GrantType: ic.GrantAuthorizationCode, Code: code, RedirectURI: redirect, CodeVerifier: verifier})
}

func TestACodeAllowedInTheBrowserIsRedeemedOnceWithItsVerifier(t *testing.T) {
	p := newPKCE(t)
	if p.reg.AuthorizationEndpoint != "https://oidc.example/authorize" || p.reg.TokenEndpoint != "https://oidc.example/token" {
		t.Errorf("RegisterClient names endpoints %q and %q", p.reg.AuthorizationEndpoint, p.reg.TokenEndpoint)
	}
	req := p.query(nil)
	consent, err := p.svc.Authorization(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if consent.ClientName != "botocore-client-dev" || strings.Join(consent.Scopes, " ") != "sso:account:access" ||
		consent.Origin != "http://127.0.0.1:53682" {
		t.Errorf("the consent page would show %+v", consent)
	}
	code := p.allow(t, req)
	if !strings.HasPrefix(code, prefixAuthCode) {
		t.Errorf("code %q does not start with %q", code, prefixAuthCode)
	}
	tok, err := p.redeem(code, callback, p.verifier)
	if err != nil {
		t.Fatal(err)
	}
	if tok.TokenType != "Bearer" || tok.AccessToken == "" || tok.RefreshToken == "" || tok.ExpiresIn <= 0 {
		t.Errorf("CreateToken answered %+v", tok)
	}
	refreshed, err := p.svc.createToken(context.Background(), &createTokenInput{ClientID: p.reg.ClientID,
		ClientSecret: p.reg.ClientSecret, GrantType: ic.GrantRefreshToken, RefreshToken: tok.RefreshToken})
	if err != nil || refreshed.RefreshToken == "" {
		t.Fatalf("refresh: %+v, %v", refreshed, err)
	}

	// A second redemption is refused and ends what the first one gave.
	_, err = p.redeem(code, callback, p.verifier)
	wantCode(t, err, "InvalidGrantException")
	for _, access := range []string{tok.AccessToken, refreshed.AccessToken} {
		if _, err := p.db.TokenByAccess(context.Background(), keys.HashSecret(access)); !errs.Is(err, errs.NotFound) {
			t.Errorf("after the code was replayed a token of its sign-in still works: %v", err)
		}
	}
}

func TestACodeIsRefusedAndSpentWhenAnythingDoesNotMatch(t *testing.T) {
	other := "other-" + strings.Repeat("x", 43)
	cases := []struct {
		name string
		use  func(p *pkce, code string) error
	}{
		{"a wrong verifier", func(p *pkce, code string) error {
			_, err := p.redeem(code, callback, other)
			return err
		}},
		{"no verifier (PKCE left out)", func(p *pkce, code string) error {
			_, err := p.redeem(code, callback, "")
			return err
		}},
		{"the challenge itself as the verifier (a plain downgrade)", func(p *pkce, code string) error {
			_, err := p.redeem(code, callback, challenge(p.verifier))
			return err
		}},
		{"another port", func(p *pkce, code string) error {
			_, err := p.redeem(code, "http://127.0.0.1:53683/oauth/callback", p.verifier)
			return err
		}},
		{"another client", func(p *pkce, code string) error {
			thief := p.register(t, []string{ic.GrantAuthorizationCode}, []string{registeredURI})
			_, err := p.svc.createToken(context.Background(), &createTokenInput{ClientID: thief.ClientID,
				ClientSecret: thief.ClientSecret, GrantType: ic.GrantAuthorizationCode, Code: code, RedirectURI: callback,
				CodeVerifier: p.verifier})
			return err
		}},
		{"a code past its 10 minutes", func(p *pkce, code string) error {
			p.clk.Advance(10*time.Minute + time.Second)
			_, err := p.redeem(code, callback, p.verifier)
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is invalid_grant and leaves the code spent", func(t *testing.T) {
			p := newPKCE(t)
			code := p.allow(t, p.query(nil))
			wantCode(t, tc.use(p, code), "InvalidGrantException")
			_, err := p.redeem(code, callback, p.verifier)
			wantCode(t, err, "InvalidGrantException")
		})
	}
}

func TestAuthorizationRefusesAtThePageWhatCannotBeTrustedWithARedirect(t *testing.T) {
	cases := map[string]func(q url.Values){
		"an unknown client":                  func(q url.Values) { q.Set("client_id", "kwc-nobody") },
		"no client":                          func(q url.Values) { q.Del("client_id") },
		"a redirect to another site":         func(q url.Values) { q.Set("redirect_uri", "https://evil.example/oauth/callback") },
		"a redirect to localhost":            func(q url.Values) { q.Set("redirect_uri", "http://localhost:53682/oauth/callback") },
		"a redirect with a user part":        func(q url.Values) { q.Set("redirect_uri", "http://127.0.0.1@evil.example/oauth/callback") },
		"a redirect to an unregistered path": func(q url.Values) { q.Set("redirect_uri", "http://127.0.0.1:53682/other") },
		"a redirect with a query":            func(q url.Values) { q.Set("redirect_uri", callback+"?next=https://evil.example") },
		"no redirect":                        func(q url.Values) { q.Del("redirect_uri") },
	}
	p := newPKCE(t) // a refusal changes nothing, so one server serves every case
	for name, change := range cases {
		t.Run(name+" shows an error page and sends the browser nowhere", func(t *testing.T) {
			req := p.query(change)
			_, err := p.svc.Authorization(context.Background(), req)
			var re *RedirectError
			if errors.As(err, &re) || !errs.Is(err, errs.Invalid) {
				t.Fatalf("err = %v, want an error for the page and no redirect", err)
			}
			if _, err := p.svc.Allow(context.Background(), req, p.user.ID, "s"); !errs.Is(err, errs.Invalid) {
				t.Errorf("Allow: %v, want the same refusal", err)
			}
			if _, err := p.svc.Deny(context.Background(), req); !errs.Is(err, errs.Invalid) {
				t.Errorf("Deny: %v, want the same refusal", err)
			}
		})
	}
}

func TestAuthorizationSendsOtherFaultsBackToTheClientWithItsState(t *testing.T) {
	cases := []struct {
		name, oauthError string
		change           func(q url.Values)
	}{
		{"code_challenge_method plain", "invalid_request", func(q url.Values) { q.Set("code_challenge_method", "plain") }},
		{"no code_challenge_method", "invalid_request", func(q url.Values) { q.Del("code_challenge_method") }},
		{"no code_challenge", "invalid_request", func(q url.Values) { q.Del("code_challenge") }},
		{"a short code_challenge", "invalid_request", func(q url.Values) { q.Set("code_challenge", "abc") }},
		{"response_type token", "unsupported_response_type", func(q url.Values) { q.Set("response_type", "token") }},
		{"a scope the client did not register", "invalid_scope", func(q url.Values) { q.Set("scopes", "sso:account:access sso:admin") }},
		{"a repeated parameter", "invalid_request", func(q url.Values) { q.Add("code_challenge", "again") }},
	}
	p := newPKCE(t) // a refusal changes nothing, so one server serves every case
	for _, tc := range cases {
		t.Run(tc.name+" is "+tc.oauthError+" at the redirect URI", func(t *testing.T) {
			_, err := p.svc.Authorization(context.Background(), p.query(tc.change))
			var re *RedirectError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v, want a redirect back to the client", err)
			}
			u, _ := url.Parse(re.URL)
			q := u.Query()
			if u.Host != "127.0.0.1:53682" || q.Get("error") != tc.oauthError || q.Get("state") != theState || q.Get("code") != "" {
				t.Errorf("redirect %s, want %s with error=%s and the state", re.URL, callback, tc.oauthError)
			}
		})
	}
}

func TestDenyTellsTheClientAccessDeniedWithItsState(t *testing.T) {
	p := newPKCE(t)
	to, err := p.svc.Deny(context.Background(), p.query(nil))
	if err != nil {
		t.Fatal(err)
	}
	if want := callback + "?error=access_denied&error_description=The+request+was+denied+by+the+user&state=" + theState; to != want {
		t.Errorf("Deny sends the browser to\n%s\nwant\n%s", to, want)
	}
}

func TestAClientUsesOnlyTheGrantsItRegisteredFor(t *testing.T) {
	p := newPKCE(t)
	ctx := context.Background()
	_, err := p.svc.startDeviceAuthorization(ctx, &startInput{ClientID: p.reg.ClientID, ClientSecret: p.reg.ClientSecret, StartURL: "http://x/start"})
	wantCode(t, err, "UnauthorizedClientException")

	legacy, err := p.svc.registerClient(ctx, &registerClientInput{ClientName: "aws-cli-2.9", ClientType: "public"})
	if err != nil {
		t.Fatal(err)
	}
	if legacy.AuthorizationEndpoint != "" {
		t.Errorf("a device-flow client is told of %q", legacy.AuthorizationEndpoint)
	}
	_, err = p.svc.createToken(ctx, &createTokenInput{ClientID: legacy.ClientID, ClientSecret: legacy.ClientSecret,
		GrantType: ic.GrantAuthorizationCode, Code: "kwo-x", RedirectURI: callback, CodeVerifier: p.verifier})
	wantCode(t, err, "UnauthorizedClientException")
	req := p.query(func(q url.Values) { q.Set("client_id", legacy.ClientID) })
	if _, err := p.svc.Authorization(ctx, req); !errs.Is(err, errs.Invalid) {
		t.Errorf("/authorize for a device-flow client: %v, want a page error", err)
	}
}

func TestADisabledPersonGetsNoCodeAndTheirCodeNoToken(t *testing.T) {
	p := newPKCE(t)
	ctx := context.Background()
	code := p.allow(t, p.query(nil))
	if _, err := p.db.UpdateUser(ctx, p.user.ID, func(u ic.User) (ic.User, error) {
		u.Status = ic.UserDisabled
		return u, nil
	}); err != nil {
		t.Fatal(err)
	}
	_, err := p.redeem(code, callback, p.verifier)
	wantCode(t, err, "InvalidGrantException")
	if _, err := p.svc.Allow(ctx, p.query(nil), p.user.ID, "s"); !errs.Is(err, errs.Denied) {
		t.Errorf("Allow for a disabled user: %v", err)
	}
}

func TestRegisterClientRefusesWhatTheCodeGrantCannotUse(t *testing.T) {
	code := []string{ic.GrantAuthorizationCode, ic.GrantRefreshToken}
	cases := []struct {
		name, want string
		in         registerClientInput
	}{
		{"an unknown grant type", "UnsupportedGrantTypeException", registerClientInput{GrantTypes: []string{"implicit"}}},
		{"the code grant without redirect URIs", "InvalidRedirectUriException", registerClientInput{GrantTypes: code}},
		{"redirect URIs without the code grant", "InvalidClientMetadataException",
			registerClientInput{GrantTypes: []string{ic.GrantDeviceCode}, RedirectURIs: []string{registeredURI}}},
		{"an https redirect URI", "InvalidRedirectUriException", registerClientInput{GrantTypes: code, RedirectURIs: []string{"https://evil.example/cb"}}},
		{"a localhost redirect URI", "InvalidRedirectUriException", registerClientInput{GrantTypes: code, RedirectURIs: []string{"http://localhost/cb"}}},
		{"a look-alike host", "InvalidRedirectUriException", registerClientInput{GrantTypes: code, RedirectURIs: []string{"http://127.0.0.1.evil.example/cb"}}},
		{"a user in the URI", "InvalidRedirectUriException", registerClientInput{GrantTypes: code, RedirectURIs: []string{"http://127.0.0.1@evil.example/cb"}}},
		{"a fragment", "InvalidRedirectUriException", registerClientInput{GrantTypes: code, RedirectURIs: []string{registeredURI + "#x"}}},
		{"a javascript: URI", "InvalidRedirectUriException", registerClientInput{GrantTypes: code, RedirectURIs: []string{"javascript:alert(1)"}}},
		{"a scheme-relative URI", "InvalidRedirectUriException", registerClientInput{GrantTypes: code, RedirectURIs: []string{"//127.0.0.1/cb"}}},
		{"port 0", "InvalidRedirectUriException", registerClientInput{GrantTypes: code, RedirectURIs: []string{"http://127.0.0.1:0/cb"}}},
		{"eleven redirect URIs", "InvalidRedirectUriException", registerClientInput{GrantTypes: code, RedirectURIs: make([]string, 11)}},
		{"an issuer that is not a URL", "InvalidClientMetadataException", registerClientInput{IssuerURL: "not a url"}},
		{"an application ARN", "InvalidClientMetadataException", registerClientInput{EntitledApplicationArn: "arn:aws:sso::1:application/x"}},
	}
	p := newPKCE(t) // a refusal changes nothing, so one server serves every case
	for _, tc := range cases {
		t.Run(tc.name+" is "+tc.want, func(t *testing.T) {
			tc.in.ClientName, tc.in.ClientType = "c", "public"
			_, err := p.svc.registerClient(context.Background(), &tc.in)
			wantCode(t, err, tc.want)
		})
	}
	t.Run("a loopback URI on 127.0.0.1 or [::1], with or without a port, is accepted", func(t *testing.T) {
		p.register(t, code, []string{registeredURI, "http://[::1]/oauth/callback", "http://127.0.0.1:8400/cb"})
	})
}

// A browser sign-in's tokens end with the portal session that allowed it,
// as a device sign-in's do: a session that ran out between Allow and the
// client's CreateToken (a code lives 10 minutes) gives no tokens, which
// would otherwise last a whole new session lifetime.
func TestACodeAllowedInASessionThatHasSinceEndedGivesNoToken(t *testing.T) {
	p := newPKCE(t)
	p.session(t, "short", time.Minute)
	to, err := p.svc.Allow(context.Background(), p.query(nil), p.user.ID, "short")
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(to)
	if err != nil {
		t.Fatal(err)
	}
	p.clk.Advance(2 * time.Minute)
	_, err = p.redeem(u.Query().Get("code"), callback, p.verifier)
	wantCode(t, err, "InvalidGrantException")
}
