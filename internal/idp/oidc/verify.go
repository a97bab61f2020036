package oidc

import (
	"context"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/keys"
)

// errAccessToken is every access token that does not authorize a call.
var errAccessToken = errs.E(errs.Unauthenticated, "The access token is invalid, expired or revoked.")

// VerifyAccessToken returns the person and scopes of a live access token
// the org authorization server issued to a person: signed by keyward,
// unexpired, not revoked, its client an active OIDC app, its person still able to sign in (the caller
// checks the person's status as it reads them).
func (p *Provider) VerifyAccessToken(ctx context.Context, raw string) (string, []string, error) {
	var c accessClaims
	if err := p.verify(ctx, raw, &c); err != nil {
		return "", nil, errAccessToken
	}
	if c.Issuer != p.OrgURL || c.Audience != p.OrgURL || c.UserID == "" || p.now().Unix() >= c.Expiry {
		return "", nil, errAccessToken
	}
	t, err := p.Store.OAuthTokenByAccess(ctx, keys.HashSecret(c.JTI))
	if errs.Is(err, errs.NotFound) {
		return "", nil, errAccessToken
	}
	if err != nil {
		return "", nil, err
	}
	// A deactivated (or deleted) client's tokens stop working, as its
	// sign-ins and token requests do.
	if _, err := p.client(ctx, t.ClientID); err == errClientAuth {
		return "", nil, errAccessToken
	} else if err != nil {
		return "", nil, err
	}
	return t.UserID, t.Scopes, nil
}
