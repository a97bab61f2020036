package sso

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/smithy-go"
)

// BrowserPrompt is a Prompt that can also send the person to a page: the
// sign-in of the authorization code flow. Open returns once the page is
// opened (or its address shown); Login then waits, up to five minutes,
// for the browser to come back to its listener on 127.0.0.1.
type BrowserPrompt interface {
	Prompt
	Open(authorizeURL string) error
}

// browserTimeout is how long Login waits for the browser to come back.
const browserTimeout = 5 * time.Minute

// The grants and redirect URI a browser sign-in registers with, as AWS CLI
// v2 does: the listener takes any free port of 127.0.0.1 (RFC 8252 §7.3).
var (
	codeGrants       = []string{"authorization_code", "refresh_token"}
	codeRedirectURIs = []string{"http://127.0.0.1" + callbackPath}
)

// errNoBrowserSignIn is a server that does not offer the authorization code
// grant: Login signs in with a device code instead.
var errNoBrowserSignIn = errors.New("the server does not offer sign-in in the browser")

// loginInBrowser runs the authorization code flow with PKCE (S256).
func (c *Client) loginInBrowser(ctx context.Context, p BrowserPrompt) (Token, error) {
	reg, err := c.codeRegistration(ctx)
	if err != nil {
		return Token{}, err
	}
	state, verifier := randomString(16), randomString(48)
	cb, err := listenForCallback(state)
	if err != nil {
		return Token{}, err
	}
	defer cb.close()
	if err := p.Open(authorizeURL(reg.AuthorizeURL, reg.ClientID, cb.redirectURI, state, verifier, c.Source.scopes())); err != nil {
		return Token{}, err
	}
	code, err := cb.wait(ctx, browserTimeout)
	var refusal *browserRefusal
	if errors.As(err, &refusal) {
		if refusal.Code == "access_denied" {
			return Token{}, c.signIn("the sign-in was denied in the browser")
		}
		return Token{}, c.signIn("the browser sign-in failed (" + refusal.Error() + ")")
	}
	if err != nil {
		return Token{}, err
	}
	out, err := c.oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: &reg.ClientID, ClientSecret: &reg.ClientSecret,
		GrantType: aws.String("authorization_code"), Code: &code, RedirectUri: &cb.redirectURI, CodeVerifier: &verifier})
	if err != nil {
		return Token{}, c.explain(err)
	}
	return c.keep(ctx, reg, out)
}

// authorizeURL is the sign-in page's address with the request, in the
// parameters and order of AWS CLI v2 (botocore's AuthCodeFetcher).
func authorizeURL(endpoint, clientID, redirectURI, state, verifier string, scopes []string) string {
	sum := sha256.Sum256([]byte(verifier))
	q := []string{"response_type=code", "client_id=" + url.QueryEscape(clientID),
		"redirect_uri=" + url.QueryEscape(redirectURI), "state=" + url.QueryEscape(state),
		"code_challenge_method=S256", "scopes=" + url.QueryEscape(strings.Join(scopes, " ")),
		"code_challenge=" + base64.RawURLEncoding.EncodeToString(sum[:])}
	return endpoint + "?" + strings.Join(q, "&")
}

// codeRegistration returns the kept registration for the authorization
// code grant, or registers one. A server that refuses the grant, or has
// no /authorize, is errNoBrowserSignIn.
func (c *Client) codeRegistration(ctx context.Context) (registration, error) {
	in := &ssooidc.RegisterClientInput{ClientName: aws.String(clientName), ClientType: aws.String("public"),
		Scopes: c.Source.scopes(), GrantTypes: codeGrants, RedirectUris: codeRedirectURIs, IssuerUrl: aws.String(c.Source.StartURL)}
	reg, err := c.registration(ctx, "client-code", in, c.authorizeEndpoint)
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "UnsupportedGrantTypeException", "InvalidRedirectUriException", "InvalidClientMetadataException",
			"UnauthorizedClientException", "InvalidRequestException":
			return registration{}, errNoBrowserSignIn
		}
		return registration{}, c.explain(err)
	}
	return reg, err
}

// authorizeEndpoint finds where a new registration signs in: /authorize
// of the endpoint the SSO-OIDC calls go to, as AWS CLI v2 does. A server
// whose answer names no authorization endpoint is asked whether it has
// one: a 404 or 405 there means it has not.
func (c *Client) authorizeEndpoint(ctx context.Context, reg *registration, out *ssooidc.RegisterClientOutput) error {
	base, err := c.oidcEndpoint(ctx)
	if err != nil {
		return err
	}
	reg.AuthorizeURL = strings.TrimRight(base, "/") + "/authorize"
	if aws.ToString(out.AuthorizationEndpoint) != "" {
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, reg.AuthorizeURL, nil)
	if err != nil {
		return err
	}
	res, err := c.oidc.Options().HTTPClient.Do(req)
	if err != nil {
		return c.explain(err)
	}
	res.Body.Close()
	if res.StatusCode == http.StatusNotFound || res.StatusCode == http.StatusMethodNotAllowed {
		return errNoBrowserSignIn
	}
	return nil
}

// oidcEndpoint is the base URL the SSO-OIDC client calls.
func (c *Client) oidcEndpoint(ctx context.Context) (string, error) {
	o := c.oidc.Options()
	if o.BaseEndpoint != nil {
		return *o.BaseEndpoint, nil
	}
	e, err := ssooidc.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, ssooidc.EndpointParameters{Region: aws.String(o.Region)})
	if err != nil {
		return "", err
	}
	return e.URI.String(), nil
}

// randomString is n random bytes, base64url without padding: 48 bytes
// make a 64-character code verifier (RFC 7636 §4.1 allows 43 to 128).
func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}
