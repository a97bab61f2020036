package oidc

import (
	"context"
	"slices"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/keys"
)

// errRefresh is every refresh token that cannot be used by this request.
var errRefresh = invalidGrant("The refresh token is invalid or expired.")

// refreshToken is the refresh grant (RFC 6749 §6) with rotation: the
// token is spent and a new one issued in its family; presenting a spent
// one again revokes the whole family (the store does it). The person must
// still be able to sign in and be assigned to the client. A narrower scope
// may be asked for, never a wider one, and narrows only the access token:
// the new refresh token keeps the scope of the one presented (§6), so a
// later refresh may ask for the whole grant again.
func (p *Provider) refreshToken(ctx context.Context, s server, app directory.App, f map[string]string) (tokenResponse, error) {
	raw := f["refresh_token"]
	if raw == "" || len(raw) > 128 {
		return tokenResponse{}, invalidRequest("The refresh_token parameter is required.")
	}
	hash := keys.HashSecret(raw)
	old, err := p.Store.OAuthTokenByRefresh(ctx, hash)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return tokenResponse{}, err
	}
	if err != nil || old.ClientID != app.ID || old.AuthServerID != s.id ||
		(!old.RefreshExpiresAt.IsZero() && !p.now().Before(old.RefreshExpiresAt)) {
		// A spent token is not found: rotating it reports the replay and
		// revokes its family.
		if errs.Is(err, errs.NotFound) {
			_, rerr := p.Store.RotateOAuthToken(ctx, hash, func(t directory.OAuthToken) (directory.OAuthToken, audit.Event, error) {
				return t, audit.Event{}, errRefresh
			})
			if rerr != nil && !errs.Is(rerr, errs.NotFound) && rerr != errRefresh {
				return tokenResponse{}, rerr // the store failed: not the client's mistake
			}
		}
		return tokenResponse{}, errRefresh
	}
	g, err := p.refreshGrant(ctx, s, app, old, f["scope"])
	if err != nil {
		return tokenResponse{}, err
	}
	return p.rotate(ctx, g, hash, old)
}

// rotate signs the tokens of g, then spends old (held by refreshHash) for
// them, storing the new token and the grant's event in one transaction:
// a signing failure spends nothing, and a refresh token that lost a race
// to a concurrent request is refused with nothing stored.
func (p *Provider) rotate(ctx context.Context, g grant, refreshHash string, old directory.OAuthToken) (tokenResponse, error) {
	now, jti, refresh := p.now(), p.newJTI("AT"), clock.Token(p.Random, 32)
	res, err := p.mint(ctx, g, jti, now)
	if err != nil {
		return tokenResponse{}, err
	}
	_, err = p.Store.RotateOAuthToken(ctx, refreshHash, func(cur directory.OAuthToken) (directory.OAuthToken, audit.Event, error) {
		if cur.AccessHash != old.AccessHash {
			return cur, audit.Event{}, errRefresh // rotated by a concurrent request meanwhile
		}
		t := p.record(g, jti, now)
		t.FamilyID, t.RefreshHash, t.RefreshExpiresAt = old.FamilyID, keys.HashSecret(refresh), old.RefreshExpiresAt
		return t, p.grantEvent(ctx, g), nil
	})
	if errs.Is(err, errs.NotFound) {
		return tokenResponse{}, errRefresh
	}
	if err != nil {
		return tokenResponse{}, err
	}
	res.RefreshToken = refresh
	return res, nil
}

// refreshGrant is what a refresh of old grants now: an access token with
// the scopes asked for (all of old's refresh token's when none are), and a
// refresh token with old's refresh token's scopes.
func (p *Provider) refreshGrant(ctx context.Context, s server, app directory.App, old directory.OAuthToken, scope string) (grant, error) {
	granted := old.GrantedScopes()
	scopes := granted
	if asked := scopeList(scope); len(asked) > 0 {
		for _, sc := range asked {
			if !slices.Contains(granted, sc) {
				return grant{}, invalidScope("The requested scope is invalid, unknown, or exceeds the scope granted by the resource owner.")
			}
		}
		scopes = asked
	}
	u, err := p.standing(ctx, old.UserID, "")
	if err != nil {
		return grant{}, err
	}
	rule, err := p.entitled(ctx, s, app, u, directory.GrantRefreshToken, scopes)
	if e, ok := err.(*oauthError); ok {
		return grant{}, invalidGrant(e.desc)
	}
	if err != nil {
		return grant{}, err
	}
	return grant{kind: directory.GrantRefreshToken, server: s, client: app, user: &u, sessionHash: old.SessionHash,
		scopes: scopes, amr: old.AMR, authTime: old.AuthTime, lifetime: rule.AccessTokenLifetime, refresh: true,
		refreshScopes: granted}, nil
}
