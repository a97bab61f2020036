package oidc

import (
	"context"
	"slices"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/keys"
)

// errCodeGrant is every code that cannot be redeemed by this request.
var errCodeGrant = invalidGrant("The authorization code is invalid or has expired.")

// authorizationCode redeems a code (RFC 6749 §4.1.3) once, for the client
// and redirect URI it was issued to, with the PKCE verifier of its
// challenge; a verifier for a code issued without a challenge is refused
// too (no downgrade). Redeeming a code twice revokes what the first
// redemption issued (the store does it).
func (p *Provider) authorizationCode(ctx context.Context, s server, app directory.App, f map[string]string) (tokenResponse, error) {
	if f["code"] == "" || len(f["code"]) > 128 {
		return tokenResponse{}, invalidRequest("The code parameter is required.")
	}
	c, err := p.Store.RedeemOAuthCode(ctx, keys.HashSecret(f["code"]))
	if errs.Is(err, errs.NotFound) {
		return tokenResponse{}, errCodeGrant
	}
	if err != nil {
		return tokenResponse{}, err
	}
	switch {
	case c.ClientID != app.ID || c.AuthServerID != s.id || !p.now().Before(c.ExpiresAt):
		return tokenResponse{}, errCodeGrant
	case f["redirect_uri"] != c.RedirectURI:
		return tokenResponse{}, invalidGrant("The 'redirect_uri' does not match the redirection URI used in the authorization request.")
	case c.CodeChallenge == "" && f["code_verifier"] != "":
		return tokenResponse{}, invalidGrant("A code_verifier was sent, but the authorization request had no code_challenge.")
	case c.CodeChallenge != "" && !verifierMatches(f["code_verifier"], c.CodeChallenge):
		return tokenResponse{}, invalidGrant("PKCE verification failed: the code_verifier does not match the code_challenge.")
	}
	u, err := p.standing(ctx, c.UserID, "")
	if err != nil {
		return tokenResponse{}, err
	}
	rule, err := p.entitled(ctx, s, app, u, directory.GrantAuthorizationCode, c.Scopes)
	if err != nil {
		return tokenResponse{}, err
	}
	return p.issue(ctx, grant{kind: directory.GrantAuthorizationCode, server: s, client: app, user: &u,
		sessionHash: c.SessionHash, scopes: c.Scopes, amr: c.AMR, authTime: c.AuthTime, nonce: c.Nonce,
		lifetime: rule.AccessTokenLifetime, familyID: c.FamilyID, refresh: wantsRefresh(app, c.Scopes),
		refreshLifetime: rule.RefreshTokenLifetime})
}

// wantsRefresh reports whether a grant gets a refresh token: the client is
// registered for refresh and asked for offline_access, as in Okta.
func wantsRefresh(app directory.App, scopes []string) bool {
	return app.OAuth.Allows(directory.GrantRefreshToken) && slices.Contains(scopes, "offline_access")
}
