package oidc

import (
	"context"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/keys"
)

// errAccessToken is every access token that does not authorize a call.
var errAccessToken = errs.E(errs.Unauthenticated, "The access token is invalid, expired or revoked.")

// VerifyAccessToken returns the person and scopes of a live access token
// the org authorization server issued to a person: signed by keyward,
// unexpired, not revoked, its client an active OIDC app, its person still
// able to sign in (the caller checks the person's status as it reads them).
func (p *Provider) VerifyAccessToken(ctx context.Context, raw string) (string, []string, error) {
	var c accessClaims
	if err := p.verify(ctx, raw, &c); err != nil {
		return "", nil, errAccessToken
	}
	if c.Issuer != p.OrgURL || c.Audience != p.OrgURL || c.UserID == "" || p.now().Unix() >= c.Expiry {
		return "", nil, errAccessToken
	}
	t, err := p.liveAccess(ctx, c)
	return t.UserID, t.Scopes, err
}

// liveAccess is the record of the verified access token c, if it is not
// revoked and its client is still an active OIDC app: a deactivated (or
// deleted) client's tokens stop working, as its sign-ins and token
// requests do.
func (p *Provider) liveAccess(ctx context.Context, c accessClaims) (directory.OAuthToken, error) {
	t, err := p.Store.OAuthTokenByAccess(ctx, keys.HashSecret(c.JTI))
	if errs.Is(err, errs.NotFound) {
		return t, errAccessToken
	}
	if err != nil {
		return t, err
	}
	if _, err := p.client(ctx, t.ClientID); err == errClientAuth {
		return t, errAccessToken
	} else if err != nil {
		return t, err
	}
	return t, nil
}
