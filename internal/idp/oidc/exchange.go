package oidc

import (
	"context"
	"strings"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/keys"
)

// Token types of token exchange (RFC 8693 §3) and Okta's web-SSO token.
const (
	tokenTypeAccess = "urn:ietf:params:oauth:token-type:access_token"
	tokenTypeID     = "urn:ietf:params:oauth:token-type:id_token"
	tokenTypeWebSSO = "urn:okta:oauth:token-type:web_sso_token"
	appAudience     = "urn:okta:apps:"
)

// tokenExchange trades a person's ID token (subject) and access token
// (actor), both issued to this client by the org server, for a web-SSO
// token for one app (audience urn:okta:apps:<id>): the app must name this
// client its allowed web-SSO client, and the person must be assigned to it
// and still signed in. It is the second step of okta-aws-cli's web flow.
func (p *Provider) tokenExchange(ctx context.Context, s server, app directory.App, f map[string]string) (tokenResponse, error) {
	if err := exchangeShape(s, f); err != nil {
		return tokenResponse{}, err
	}
	at, sessionHash, err := p.actor(ctx, s, app, f["actor_token"])
	if err != nil {
		return tokenResponse{}, err
	}
	if err := p.subject(ctx, s, app, f["subject_token"], at.UserID); err != nil {
		return tokenResponse{}, err
	}
	u, err := p.standing(ctx, at.UserID, sessionHash)
	if err == nil {
		err = p.assured(ctx, u, at.AMR)
	}
	if err != nil {
		return tokenResponse{}, err
	}
	target, err := p.webSSOApp(ctx, app, u, strings.TrimPrefix(f["audience"], appAudience))
	if err != nil {
		return tokenResponse{}, err
	}
	tok, err := p.sealWebSSO(ctx, webSSO{AppID: target.ID, UserID: u.ID, SessionHash: sessionHash, ClientID: app.ID})
	if err != nil {
		return tokenResponse{}, err
	}
	return tokenResponse{TokenType: "N_A", ExpiresIn: int(webSSOLifetime.Seconds()), AccessToken: tok,
		IssuedTokenType: tokenTypeWebSSO}, nil
}

// exchangeShape checks the parameters of the one exchange keyward serves.
func exchangeShape(s server, f map[string]string) error {
	switch {
	case s.custom != nil:
		return invalidRequest("Web-SSO tokens are issued by the org authorization server (/oauth2/v1/token).")
	case f["requested_token_type"] != tokenTypeWebSSO:
		return invalidRequest("The requested_token_type must be " + tokenTypeWebSSO + ".")
	case f["subject_token_type"] != tokenTypeID || f["subject_token"] == "":
		return invalidRequest("The subject_token must be an ID token (subject_token_type " + tokenTypeID + ").")
	case f["actor_token_type"] != tokenTypeAccess || f["actor_token"] == "":
		return invalidRequest("The actor_token must be an access token (actor_token_type " + tokenTypeAccess + ").")
	case !strings.HasPrefix(f["audience"], appAudience) || len(f["audience"]) > 128:
		return invalidRequest("The audience must name an app: urn:okta:apps:<app id>.")
	}
	return nil
}

// actor verifies the access token: ours, from this server, issued to this
// client for a person, unexpired and not revoked.
func (p *Provider) actor(ctx context.Context, s server, app directory.App, raw string) (directory.OAuthToken, string, error) {
	var c accessClaims
	if err := p.verify(ctx, raw, &c); err != nil {
		return directory.OAuthToken{}, "", invalidGrant("The actor_token is invalid or expired.")
	}
	if c.Issuer != s.issuer || c.ClientID != app.ID || c.UserID == "" || p.now().Unix() >= c.Expiry {
		return directory.OAuthToken{}, "", invalidGrant("The actor_token is invalid or expired.")
	}
	t, err := p.Store.OAuthTokenByAccess(ctx, keys.HashSecret(c.JTI))
	if errs.Is(err, errs.NotFound) {
		return t, "", invalidGrant("The actor_token was revoked.")
	}
	return t, t.SessionHash, err
}

// subject verifies the ID token: ours, for this client, about the same
// person, unexpired.
func (p *Provider) subject(ctx context.Context, s server, app directory.App, raw, userID string) error {
	var c idClaims
	if err := p.verify(ctx, raw, &c); err != nil {
		return invalidGrant("The subject_token is invalid or expired.")
	}
	if c.Issuer != s.issuer || c.Audience != app.ID || c.Subject != userID || p.now().Unix() >= c.Expiry {
		return invalidGrant("The subject_token is invalid or expired.")
	}
	return nil
}

// webSSOApp is the active app id names, if it allows client to get
// web-SSO tokens for it and u is assigned to it.
func (p *Provider) webSSOApp(ctx context.Context, client directory.App, u directory.User, id string) (directory.App, error) {
	foreign := invalidRequest("The audience is not an app this client may get web-SSO tokens for.")
	if id == "" {
		return directory.App{}, foreign
	}
	app, err := p.Apps.App(ctx, id)
	if errs.Is(err, errs.NotFound) || (err == nil && (app.Status != directory.AppActive ||
		app.Settings[directory.AWSFedWebSSOClient] != client.ID)) {
		return app, foreign
	}
	if err != nil {
		return app, err
	}
	if _, err := p.Apps.AppUser(ctx, app.ID, u.ID); errs.Is(err, errs.NotFound) {
		return app, invalidGrant("The user is not assigned to the app.")
	} else if err != nil {
		return app, err
	}
	return app, nil
}
