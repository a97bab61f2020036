package oidc

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/httpx"
)

// tokenResponse is a token endpoint's answer (RFC 6749 §5.1, RFC 8693
// §2.2.1).
type tokenResponse struct {
	TokenType       string `json:"token_type"`
	ExpiresIn       int    `json:"expires_in"`
	AccessToken     string `json:"access_token"`
	Scope           string `json:"scope,omitempty"`
	RefreshToken    string `json:"refresh_token,omitempty"`
	IDToken         string `json:"id_token,omitempty"`
	IssuedTokenType string `json:"issued_token_type,omitempty"`
}

// grantHandler answers one grant type for an authenticated client.
type grantHandler func(p *Provider, ctx context.Context, s server, app directory.App, f map[string]string) (tokenResponse, error)

// grants are the grant types the token endpoint serves.
var grants = map[string]grantHandler{
	directory.GrantAuthorizationCode: (*Provider).authorizationCode,
	directory.GrantRefreshToken:      (*Provider).refreshToken,
	directory.GrantClientCredentials: (*Provider).clientCredentials,
	directory.GrantDeviceCode:        (*Provider).deviceCode,
	directory.GrantTokenExchange:     (*Provider).tokenExchange,
}

// serveToken is the token endpoint: the form is read, the client
// authenticated and the grant type checked against its registration
// before the grant itself runs.
func (p *Provider) serveToken(w http.ResponseWriter, r *http.Request) {
	res, err := p.token(w, r)
	if err != nil {
		p.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (p *Provider) token(w http.ResponseWriter, r *http.Request) (tokenResponse, error) {
	s, err := p.server(r)
	if err != nil {
		return tokenResponse{}, err
	}
	f, err := form(w, r)
	if err != nil {
		return tokenResponse{}, err
	}
	grant := f["grant_type"]
	if grant == "" {
		return tokenResponse{}, invalidRequest("The grant_type parameter is required.")
	}
	handle, ok := grants[grant]
	if !ok {
		return tokenResponse{}, unsupportedGrant("The authorization grant type is not supported by the authorization server. Configured grant types: [" +
			strings.Join(grantNames(), ", ") + "].")
	}
	ctx := httpx.AuditContext(r)
	app, err := p.authenticate(ctx, r, f, s)
	if err != nil {
		return tokenResponse{}, err
	}
	if err := allowGrant(app, grant); err != nil {
		return tokenResponse{}, err
	}
	return handle(p, ctx, s, app, f)
}

// grantNames lists the served grant types in a stable order.
func grantNames() []string {
	return []string{directory.GrantAuthorizationCode, directory.GrantRefreshToken, directory.GrantClientCredentials,
		directory.GrantDeviceCode, directory.GrantTokenExchange}
}

// scopeList splits a scope parameter; repeated scopes count once.
func scopeList(s string) []string {
	var out []string
	for _, sc := range strings.Fields(s) {
		if len(out) < 64 && !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	return out
}
