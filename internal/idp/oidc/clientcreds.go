package oidc

import (
	"context"
	"slices"

	"github.com/keyward/keyward/internal/directory"
)

// clientCredentials is the client credentials grant (RFC 6749 §4.4): a
// confidential client acting for itself on a custom authorization server,
// with the scopes it asks for (or the server's default scopes) as the
// server's access policy allows. The org server issues no such tokens for
// keyward's scopes, as Okta's issues them only for its own APIs.
func (p *Provider) clientCredentials(ctx context.Context, s server, app directory.App, f map[string]string) (tokenResponse, error) {
	if app.OAuth.Public() {
		return tokenResponse{}, invalidClient("The client credentials grant needs an authenticated client; a public client has no credentials.")
	}
	if s.custom == nil {
		return tokenResponse{}, invalidScope("The org authorization server grants no scopes to client credentials; use a custom authorization server such as /oauth2/default.")
	}
	scopes := scopeList(f["scope"])
	if len(scopes) == 0 {
		scopes = s.defaultScopes()
	}
	if len(scopes) == 0 {
		return tokenResponse{}, invalidScope("The scope parameter is required: the authorization server has no default scopes.")
	}
	if slices.Contains(scopes, "openid") || slices.Contains(scopes, "offline_access") {
		return tokenResponse{}, invalidScope("The client credentials grant cannot ask for openid or offline_access: there is no person.")
	}
	if err := s.checkScopes(scopes); err != nil {
		return tokenResponse{}, err
	}
	rule, err := decide(s, request{clientID: app.ID, grant: directory.GrantClientCredentials, scopes: scopes})
	if err != nil {
		return tokenResponse{}, err
	}
	return p.issue(ctx, grant{kind: directory.GrantClientCredentials, server: s, client: app, scopes: scopes,
		lifetime: rule.AccessTokenLifetime})
}
