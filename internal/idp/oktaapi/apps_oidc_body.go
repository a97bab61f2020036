package oktaapi

import (
	"net/url"
	"slices"
	"strings"

	"github.com/keyward/keyward/internal/directory"
)

// oauthClientBody is settings.oauthClient of an OIDC app.
type oauthClientBody struct {
	ApplicationType        string    `json:"application_type"`
	GrantTypes             []string  `json:"grant_types"`
	ResponseTypes          []string  `json:"response_types"`
	RedirectURIs           []string  `json:"redirect_uris"`
	PostLogoutRedirectURIs []string  `json:"post_logout_redirect_uris"`
	InitiateLoginURI       string    `json:"initiate_login_uri"`
	ConsentMethod          string    `json:"consent_method"`
	JWKS                   *jwksBody `json:"jwks"`
	JWKSURI                string    `json:"jwks_uri"`
}

// oauthCredsBody is credentials.oauthClient of an OIDC app.
type oauthCredsBody struct {
	ClientID                string `json:"client_id"`
	ClientSecret            string `json:"client_secret"`
	TokenEndpointAuthMethod string `json:"token_endpoint_auth_method"`
	PKCERequired            *bool  `json:"pkce_required"`
	AutoKeyRotation         *bool  `json:"autoKeyRotation"`
}

// Bounds on an OIDC app's settings, as Okta's.
const (
	maxURIs   = 100
	maxURI    = 1024
	minSecret = 14
	maxSecret = 100
)

// grantsByType are the grant types Okta allows each application type.
var grantsByType = map[string][]string{
	directory.AppTypeWeb: {directory.GrantAuthorizationCode, directory.GrantRefreshToken, directory.GrantImplicit,
		directory.GrantClientCredentials, directory.GrantPassword, directory.GrantTokenExchange},
	directory.AppTypeNative: {directory.GrantAuthorizationCode, directory.GrantRefreshToken, directory.GrantImplicit,
		directory.GrantPassword, directory.GrantDeviceCode, directory.GrantTokenExchange},
	directory.AppTypeBrowser: {directory.GrantAuthorizationCode, directory.GrantRefreshToken, directory.GrantImplicit},
	directory.AppTypeService: {directory.GrantClientCredentials},
}

// authMethodsByType are the client authentication methods each type may use.
var authMethodsByType = map[string][]string{
	directory.AppTypeWeb: {directory.AuthClientSecretBasic, directory.AuthClientSecretPost, directory.AuthPrivateKeyJWT},
	directory.AppTypeNative: {directory.AuthNone, directory.AuthClientSecretBasic, directory.AuthClientSecretPost,
		directory.AuthPrivateKeyJWT},
	directory.AppTypeBrowser: {directory.AuthNone},
	directory.AppTypeService: {directory.AuthClientSecretBasic, directory.AuthClientSecretPost, directory.AuthPrivateKeyJWT},
}

// oidcApp reads an OIDC app's body: label, settings.oauthClient and
// credentials.oauthClient. The client secret, if the body names one, comes
// back apart: the app keeps only its hash, set by the caller.
func (b appBody) oidcApp(id string) (directory.App, string, error) {
	var c causes
	label := b.label(&c)
	if b.Name != "" && b.Name != directory.OIDCClientApp {
		c.add("name", "An OpenID Connect app's name is oidc_client")
	}
	var in oauthClientBody
	if b.Settings == nil || b.Settings.OAuthClient == nil {
		c.add("settings.oauthClient", "An OpenID Connect app needs settings.oauthClient (grant_types, redirect_uris, ...)")
	} else {
		in = *b.Settings.OAuthClient
	}
	var creds oauthCredsBody
	if b.Credentials != nil && b.Credentials.OAuthClient != nil {
		creds = *b.Credentials.OAuthClient
	}
	if creds.ClientID != "" && creds.ClientID != id {
		c.add("credentials.oauthClient.client_id", "keyward's client_id is the app's id, which it generates")
	}
	client := oauthClient(in, creds, &c)
	secret := creds.ClientSecret
	checkSecret("credentials.oauthClient.client_secret", secret, &c)
	app := directory.App{Name: directory.OIDCClientApp, Label: label, SignOnMode: directory.OIDC, OAuth: client}
	return app, secret, c.err()
}

// label reads the app's label.
func (b appBody) label(c *causes) string {
	label := strings.TrimSpace(b.Label)
	switch {
	case label == "":
		c.add("label", "The field cannot be left blank")
	case !validText(label) || len([]rune(label)) > maxLabel:
		c.add("label", "Must be valid text of at most 100 characters")
	}
	return label
}

// oauthClient checks the client settings as Okta does and fills in its
// defaults.
func oauthClient(in oauthClientBody, creds oauthCredsBody, c *causes) directory.OAuthClient {
	out := directory.OAuthClient{ApplicationType: in.ApplicationType, GrantTypes: in.GrantTypes,
		ResponseTypes: in.ResponseTypes, RedirectURIs: in.RedirectURIs, PostLogoutRedirectURIs: in.PostLogoutRedirectURIs,
		InitiateLoginURI: in.InitiateLoginURI, ConsentMethod: in.ConsentMethod, PKCERequired: true,
		TokenEndpointAuthMethod: creds.TokenEndpointAuthMethod}
	if out.ApplicationType == "" {
		out.ApplicationType = directory.AppTypeWeb
	}
	allowed, known := grantsByType[out.ApplicationType]
	if !known {
		c.add("settings.oauthClient.application_type", "Must be web, native, browser or service")
		return out
	}
	checkGrants(&out, allowed, c)
	checkAuthMethod(&out, creds, c)
	if out.ConsentMethod == "" {
		out.ConsentMethod = "TRUSTED"
	} else if out.ConsentMethod != "TRUSTED" && out.ConsentMethod != "REQUIRED" {
		c.add("settings.oauthClient.consent_method", "Must be TRUSTED or REQUIRED")
	}
	checkRedirects(out, c)
	if in.JWKSURI != "" {
		c.add("settings.oauthClient.jwks_uri", "keyward takes the client's keys inline (jwks), not from a URL")
	}
	out.JWKS = clientJWKS(in.JWKS, out.TokenEndpointAuthMethod == directory.AuthPrivateKeyJWT, c)
	return out
}

// checkGrants checks the grant and response types against the type.
func checkGrants(out *directory.OAuthClient, allowed []string, c *causes) {
	const field = "settings.oauthClient.grant_types"
	if len(out.GrantTypes) == 0 {
		c.add(field, "The field cannot be left blank")
	}
	for _, g := range out.GrantTypes {
		if !slices.Contains(allowed, g) {
			c.add(field, "A "+out.ApplicationType+" app may use "+strings.Join(allowed, ", ")+"; not "+quoteOrBlank(g))
			return
		}
	}
	if out.Allows(directory.GrantRefreshToken) && !slices.ContainsFunc(out.GrantTypes, mintsRefresh) {
		c.add(field, "refresh_token needs a grant that issues refresh tokens (authorization_code, device code, password or token exchange)")
	}
	if len(out.ResponseTypes) == 0 && out.Allows(directory.GrantAuthorizationCode) {
		out.ResponseTypes = []string{"code"}
	}
	for _, rt := range out.ResponseTypes {
		ok := (rt == "code" && out.Allows(directory.GrantAuthorizationCode)) ||
			((rt == "token" || rt == "id_token") && out.Allows(directory.GrantImplicit))
		if !ok {
			c.add("settings.oauthClient.response_types", "code needs authorization_code, token and id_token need implicit; not "+quoteOrBlank(rt))
			return
		}
	}
}

func mintsRefresh(g string) bool {
	return g == directory.GrantAuthorizationCode || g == directory.GrantDeviceCode ||
		g == directory.GrantPassword || g == directory.GrantTokenExchange
}

// checkAuthMethod picks and checks the client authentication method and
// PKCE: a public client always needs PKCE.
func checkAuthMethod(out *directory.OAuthClient, creds oauthCredsBody, c *causes) {
	const field = "credentials.oauthClient.token_endpoint_auth_method"
	if out.TokenEndpointAuthMethod == "" {
		out.TokenEndpointAuthMethod = directory.AuthClientSecretBasic
		if out.ApplicationType == directory.AppTypeBrowser || out.ApplicationType == directory.AppTypeNative {
			out.TokenEndpointAuthMethod = directory.AuthNone
		}
	}
	if allowed := authMethodsByType[out.ApplicationType]; !slices.Contains(allowed, out.TokenEndpointAuthMethod) {
		c.add(field, "A "+out.ApplicationType+" app may use "+strings.Join(allowed, ", ")+"; not "+quoteOrBlank(out.TokenEndpointAuthMethod))
	}
	if creds.PKCERequired != nil {
		out.PKCERequired = *creds.PKCERequired
	}
	if out.Public() && !out.PKCERequired {
		c.add("credentials.oauthClient.pkce_required", "A public client (token_endpoint_auth_method none) must require PKCE")
	}
	if creds.ClientSecret != "" && !out.UsesSecret() {
		c.add("credentials.oauthClient.client_secret", "Only a client_secret_basic or client_secret_post client has a secret")
	}
}

// checkSecret refuses a secret an administrator supplies that is not 14
// to 100 printable characters ("" is none: keyward generates one).
func checkSecret(field, secret string, c *causes) {
	if secret != "" && (!printable(secret) || len(secret) < minSecret || len(secret) > maxSecret) {
		c.add(field, "Must be 14 to 100 printable characters")
	}
}

// checkRedirects checks the redirect, post-logout and initiate-login URIs:
// https, http to a loopback address, or (for native apps) a private-use
// scheme (RFC 8252); never a fragment.
func checkRedirects(out directory.OAuthClient, c *causes) {
	if out.Allows(directory.GrantAuthorizationCode) || out.Allows(directory.GrantImplicit) {
		if len(out.RedirectURIs) == 0 {
			c.add("settings.oauthClient.redirect_uris", "authorization_code and implicit need at least one redirect URI")
		}
	}
	native := out.ApplicationType == directory.AppTypeNative
	for field, uris := range map[string][]string{"redirect_uris": out.RedirectURIs, "post_logout_redirect_uris": out.PostLogoutRedirectURIs} {
		if len(uris) > maxURIs {
			c.add("settings.oauthClient."+field, "At most 100 URIs")
			continue
		}
		for _, u := range uris {
			if problem := redirectProblem(u, native); problem != "" {
				c.add("settings.oauthClient."+field, problem)
				break
			}
		}
	}
	if out.InitiateLoginURI != "" {
		if u, err := url.Parse(out.InitiateLoginURI); err != nil || u.Scheme != "https" || u.Host == "" || len(out.InitiateLoginURI) > maxURI {
			c.add("settings.oauthClient.initiate_login_uri", "Must be an absolute https URL")
		}
	}
}

// redirectProblem says what is wrong with one redirect URI, or "".
func redirectProblem(s string, native bool) string {
	u, err := url.Parse(s)
	switch {
	case err != nil || !printable(s) || len(s) > maxURI:
		return "Each URI must be an absolute URL of at most 1024 printable characters"
	case u.Fragment != "" || strings.Contains(s, "#"):
		return "A redirect URI must not have a fragment"
	case u.Scheme == "https" && u.Host != "":
		return ""
	case u.Scheme == "http" && loopback(u.Hostname()):
		return ""
	case native && strings.Contains(u.Scheme, ".") && u.Host == "" && u.Opaque == "":
		return "" // a private-use scheme: com.example.app:/callback
	case native:
		return "A native app's redirect URI must be https, http to a loopback address, or a reverse-domain private-use scheme (com.example.app:/callback)"
	}
	return "A redirect URI must be https, or http to a loopback address"
}

func loopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// printable reports whether s is valid text without control characters.
func printable(s string) bool {
	return validText(s) && !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}
