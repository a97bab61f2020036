package okta

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/cred/sso"
)

// Scopes are what a sign-in asks for: okta-aws-cli's (an ID token, web-SSO
// tokens, the person's app links) and offline_access for a refresh token.
// An org that refuses offline_access is asked again without it; its
// sign-ins then last as long as one access token.
var Scopes = []string{"openid", "okta.apps.sso", "okta.apps.read", "okta.users.read.self", "offline_access"}

const (
	grantDeviceCode = "urn:ietf:params:oauth:grant-type:device_code"
	// refreshWindow is how long before expiry the tokens are refreshed:
	// an exchange, a form and an STS call fit well inside it.
	refreshWindow = 5 * time.Minute
)

// tokens are a sign-in's tokens as the Keeper holds them.
type tokens struct {
	AccessToken  string    `json:"access_token"`
	IDToken      string    `json:"id_token"`
	TokenType    string    `json:"token_type"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	DeviceSecret string    `json:"device_secret,omitempty"`
	Expiry       time.Time `json:"expiry"`
}

// tokenAnswer is the token endpoint's answer.
type tokenAnswer struct {
	AccessToken  string `json:"access_token"`
	IDToken      string `json:"id_token"`
	TokenType    string `json:"token_type"`
	RefreshToken string `json:"refresh_token"`
	DeviceSecret string `json:"device_secret"`
	ExpiresIn    int    `json:"expires_in"`
}

// deviceAnswer is the device authorization answer (RFC 8628 §3.2).
type deviceAnswer struct {
	DeviceCode              string `json:"device_code"`
	UserCode                string `json:"user_code"`
	VerificationURI         string `json:"verification_uri"`
	VerificationURIComplete string `json:"verification_uri_complete"`
	ExpiresIn               int    `json:"expires_in"`
	Interval                int    `json:"interval"`
}

// Login runs the device authorization flow and keeps the new tokens.
func (c *Client) Login(ctx context.Context, p Prompt) error {
	if err := c.Source.Check(); err != nil {
		return err
	}
	dev, err := c.authorize(ctx, Scopes)
	if e, ok := asOAuth(err); ok && e.Code == "invalid_scope" {
		dev, err = c.authorize(ctx, slices.DeleteFunc(slices.Clone(Scopes), func(s string) bool { return s == "offline_access" }))
	}
	if err != nil {
		return err
	}
	if err := p.Approve(first(dev.VerificationURIComplete, dev.VerificationURI), dev.UserCode); err != nil {
		return err
	}
	tok, err := c.poll(ctx, dev)
	if err != nil {
		return err
	}
	t, err := c.tokens(tok, tokens{})
	if err != nil {
		return err
	}
	b, _ := json.Marshal(t)
	return c.Keep.Set(ctx, c.key("tokens"), b)
}

func (c *Client) authorize(ctx context.Context, scopes []string) (deviceAnswer, error) {
	a, err := c.postForm(ctx, "/oauth2/v1/device/authorize",
		url.Values{"client_id": {c.Source.ClientID}, "scope": {strings.Join(scopes, " ")}}, "application/json")
	if err != nil {
		return deviceAnswer{}, err
	}
	var dev deviceAnswer
	if err := decodeJSON(a, "device authorization", &dev); err != nil {
		if e, ok := asOAuth(err); ok && (e.Code == "invalid_client" || e.Code == "unauthorized_client") {
			return dev, fmt.Errorf("Okta at %s refused the client id %s (%s): check it names a native OIDC app "+
				"with the Device Authorization grant type", c.Source.OrgURL, c.Source.ClientID, first(e.Description, e.Code))
		}
		return dev, err
	}
	if dev.DeviceCode == "" || dev.UserCode == "" || dev.VerificationURI == "" && dev.VerificationURIComplete == "" {
		return dev, fmt.Errorf("Okta at %s answered the device authorization without a code or verification URL", c.Source.OrgURL)
	}
	return dev, nil
}

// poll asks for the tokens every interval (RFC 8628 §3.4–3.5) until the
// person decides or the code expires.
func (c *Client) poll(ctx context.Context, dev deviceAnswer) (tokenAnswer, error) {
	interval := time.Duration(max(dev.Interval, 1)) * time.Second
	expires := time.Duration(dev.ExpiresIn) * time.Second
	if expires <= 0 {
		expires = 10 * time.Minute
	}
	deadline := c.now().Add(expires)
	after := c.after
	if after == nil {
		after = time.After
	}
	form := url.Values{"client_id": {c.Source.ClientID}, "device_code": {dev.DeviceCode}, "grant_type": {grantDeviceCode}}
	for {
		tok, err := c.token(ctx, form)
		e, _ := asOAuth(err)
		switch {
		case err == nil:
			return tok, nil
		case e != nil && e.Code == "slow_down":
			interval += 5 * time.Second
		case e != nil && e.Code == "authorization_pending":
		case e != nil && e.Code == "access_denied":
			return tok, fmt.Errorf("the sign-in was denied at %s", c.Source.OrgURL)
		case e != nil && e.Code == "expired_token":
			return tok, fmt.Errorf("the sign-in was not approved in time: run keyward login again")
		default:
			return tok, err
		}
		if c.now().Add(interval).After(deadline) {
			return tok, fmt.Errorf("the sign-in was not approved in time: run keyward login again")
		}
		select {
		case <-ctx.Done():
			return tok, ctx.Err()
		case <-after(interval):
		}
	}
}

// token posts form to the org's token endpoint.
func (c *Client) token(ctx context.Context, form url.Values) (tokenAnswer, error) {
	a, err := c.postForm(ctx, "/oauth2/v1/token", form, "application/json")
	if err != nil {
		return tokenAnswer{}, err
	}
	var tok tokenAnswer
	return tok, decodeJSON(a, "token", &tok)
}

// tokens is what the Keeper holds after answer; old fills in what a
// refresh answer leaves out.
func (c *Client) tokens(answer tokenAnswer, old tokens) (tokens, error) {
	t := tokens{AccessToken: answer.AccessToken, IDToken: first(answer.IDToken, old.IDToken),
		TokenType: first(answer.TokenType, old.TokenType, "Bearer"), RefreshToken: first(answer.RefreshToken, old.RefreshToken),
		DeviceSecret: first(answer.DeviceSecret, old.DeviceSecret),
		Expiry:       c.now().Add(time.Duration(answer.ExpiresIn) * time.Second).UTC().Truncate(time.Second)}
	if t.AccessToken == "" || t.IDToken == "" || answer.ExpiresIn <= 0 {
		return t, fmt.Errorf("Okta at %s issued no access token or no ID token: the app %s must be granted the openid scope",
			c.Source.OrgURL, c.Source.ClientID)
	}
	// The exchange needs both tokens live: refresh when the first ends.
	// Lifetimes, not Okta's timestamps, so a skewed clock here does not
	// matter.
	if life, ok := jwtLifetime(t.IDToken); ok && life < time.Duration(answer.ExpiresIn)*time.Second {
		t.Expiry = c.now().Add(life).UTC().Truncate(time.Second)
	}
	return t, nil
}

// jwtLifetime reads a JWT's exp − iat, unverified: only to know when to
// refresh (Okta verifies the token when it is used).
func jwtLifetime(raw string) (time.Duration, bool) {
	parts := strings.Split(raw, ".")
	if len(raw) > 16<<10 || len(parts) != 3 {
		return 0, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	var claims struct {
		IssuedAt int64 `json:"iat"`
		Expiry   int64 `json:"exp"`
	}
	if err != nil || json.Unmarshal(payload, &claims) != nil || claims.IssuedAt <= 0 || claims.Expiry <= claims.IssuedAt ||
		claims.Expiry-claims.IssuedAt > 366*24*3600 {
		return 0, false
	}
	return time.Duration(claims.Expiry-claims.IssuedAt) * time.Second, true
}

// live returns live tokens, refreshing them when they are about to
// expire. However many processes ask at once, one refresh reaches Okta
// (the Keeper's Refresh). With no usable sign-in it returns a
// *SignInError saying what to run.
func (c *Client) live(ctx context.Context) (tokens, error) {
	if err := c.Source.Check(); err != nil {
		return tokens{}, err
	}
	b, err := c.Keep.Refresh(ctx, c.key("tokens"), c.fresh, c.refresh)
	if err != nil {
		return tokens{}, err
	}
	var t tokens
	if json.Unmarshal(b, &t) != nil || t.AccessToken == "" {
		return tokens{}, c.signIn("is unreadable")
	}
	return t, nil
}

func (c *Client) fresh(b []byte) bool {
	var t tokens
	return json.Unmarshal(b, &t) == nil && t.AccessToken != "" && t.Expiry.After(c.now().Add(refreshWindow))
}

// refresh trades the kept refresh token for new tokens.
func (c *Client) refresh(ctx context.Context) ([]byte, error) {
	b, err := c.Keep.Get(ctx, c.key("tokens"))
	if errors.Is(err, ErrNotFound) {
		return nil, c.signIn("was never made")
	}
	if err != nil {
		return nil, err
	}
	var old tokens
	if json.Unmarshal(b, &old) != nil {
		return nil, c.signIn("is unreadable")
	}
	if old.RefreshToken == "" {
		return nil, c.signIn("has expired (Okta gave no refresh token: the app " + c.Source.ClientID +
			" needs the Refresh Token grant type to keep it)")
	}
	tok, err := c.token(ctx, url.Values{"client_id": {c.Source.ClientID}, "grant_type": {"refresh_token"},
		"refresh_token": {old.RefreshToken}})
	if e, ok := asOAuth(err); ok && (e.Code == "invalid_grant" || e.Code == "invalid_client" || e.Code == "unauthorized_client") {
		return nil, c.ended(e)
	}
	if err != nil {
		return nil, err
	}
	t, err := c.tokens(tok, old)
	if err != nil {
		return nil, err
	}
	return json.Marshal(t)
}

// Logout forgets the sign-in, after asking Okta to revoke its refresh
// token (best effort: the sign-in is forgotten here either way).
func (c *Client) Logout(ctx context.Context) error {
	b, err := c.Keep.Get(ctx, c.key("tokens"))
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	var t tokens
	if json.Unmarshal(b, &t) == nil && t.RefreshToken != "" {
		_, _ = c.postForm(ctx, "/oauth2/v1/revoke", url.Values{"client_id": {c.Source.ClientID}, "token": {t.RefreshToken},
			"token_type_hint": {"refresh_token"}}, "application/json")
	}
	if err := c.Keep.Delete(ctx, c.key("tokens")); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	return nil
}

// ErrNotFound is what a Keeper's Get returns for a key it does not hold.
var ErrNotFound = sso.ErrNotFound
