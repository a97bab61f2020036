package oidc

import (
	"context"
	"crypto/sha256"
	"slices"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/keys"
)

// grant is what a token answer is issued for: a client, and for every
// grant but client credentials a person and the session they signed in
// with.
type grant struct {
	kind        string // the grant type, for the log
	server      server
	client      directory.App
	user        *directory.User
	sessionHash string
	scopes      []string
	amr         []string
	authTime    time.Time
	nonce       string
	lifetime    time.Duration // of the access token; zero is the default
	// refresh asks for a refresh token, in familyID's chain (a fresh
	// family when empty), expiring after refreshLifetime (zero: never on
	// its own), with refreshScopes (empty: scopes). A refresh narrows
	// scopes, the access token's, never refreshScopes, the family's grant.
	refresh         bool
	familyID        string
	refreshLifetime time.Duration
	refreshScopes   []string
}

// accessClaims are an access token's claims, as Okta's.
type accessClaims struct {
	Ver      int      `json:"ver"`
	JTI      string   `json:"jti"`
	Issuer   string   `json:"iss"`
	Audience string   `json:"aud"`
	IssuedAt int64    `json:"iat"`
	Expiry   int64    `json:"exp"`
	ClientID string   `json:"cid"`
	UserID   string   `json:"uid,omitempty"`
	Scopes   []string `json:"scp"`
	AuthTime int64    `json:"auth_time,omitempty"`
	Subject  string   `json:"sub"`
}

// idClaims are an ID token's claims, as Okta's.
type idClaims struct {
	Subject           string   `json:"sub"`
	Name              string   `json:"name,omitempty"`
	Email             string   `json:"email,omitempty"`
	Ver               int      `json:"ver"`
	Issuer            string   `json:"iss"`
	Audience          string   `json:"aud"`
	IssuedAt          int64    `json:"iat"`
	Expiry            int64    `json:"exp"`
	JTI               string   `json:"jti"`
	AMR               []string `json:"amr,omitempty"`
	IdP               string   `json:"idp"`
	Nonce             string   `json:"nonce,omitempty"`
	PreferredUsername string   `json:"preferred_username,omitempty"`
	AuthTime          int64    `json:"auth_time,omitempty"`
	AtHash            string   `json:"at_hash"`
}

// issue signs and records the tokens of g: an access token always, a
// refresh token when g asks for one, an ID token when openid was granted
// to a person. It signs first, so a signing failure stores nothing; the
// token and its grant's event are then stored in one transaction.
func (p *Provider) issue(ctx context.Context, g grant) (tokenResponse, error) {
	now, jti := p.now(), p.newJTI("AT")
	t := p.record(g, jti, now)
	t.FamilyID = g.familyID
	if t.FamilyID == "" {
		t.FamilyID = clock.Token(p.Random, 16)
	}
	var refresh string
	if g.refresh {
		refresh = clock.Token(p.Random, 32)
		t.RefreshHash = keys.HashSecret(refresh)
	}
	res, err := p.mint(ctx, g, jti, now)
	if err != nil {
		return tokenResponse{}, err
	}
	if err := p.Store.CreateOAuthToken(ctx, t, p.grantEvent(ctx, g)); err != nil {
		return tokenResponse{}, err
	}
	res.RefreshToken = refresh
	return res, nil
}

// record is the stored form of g's access token jti issued at now.
func (p *Provider) record(g grant, jti string, now time.Time) directory.OAuthToken {
	t := directory.OAuthToken{AccessHash: keys.HashSecret(jti), AuthServerID: g.server.id, ClientID: g.client.ID,
		SessionHash: g.sessionHash, Scopes: g.scopes, AMR: g.amr, AuthTime: g.authTime, CreatedAt: now,
		ExpiresAt: now.Add(g.accessLifetime())}
	if g.user != nil {
		t.UserID = g.user.ID
	}
	if g.refresh && g.refreshLifetime > 0 {
		t.RefreshExpiresAt = now.Add(g.refreshLifetime)
	}
	if g.refresh {
		t.RefreshScopes = g.scopes
		if len(g.refreshScopes) > 0 {
			t.RefreshScopes = g.refreshScopes
		}
	}
	return t
}

func (g grant) accessLifetime() time.Duration {
	if g.lifetime == 0 {
		return accessTokenLifetime
	}
	return g.lifetime
}

// mint signs the access token jti of g, and its ID token when openid was
// granted to a person.
func (p *Provider) mint(ctx context.Context, g grant, jti string, now time.Time) (tokenResponse, error) {
	lifetime := g.accessLifetime()
	ac := accessClaims{Ver: 1, JTI: jti, Issuer: g.server.issuer, Audience: g.server.audience(),
		IssuedAt: now.Unix(), Expiry: now.Add(lifetime).Unix(), ClientID: g.client.ID, Scopes: g.scopes,
		AuthTime: unix(g.authTime), Subject: g.client.ID}
	if g.user != nil {
		ac.UserID, ac.Subject = g.user.ID, g.user.Login()
	}
	claims, err := p.withCustomClaims(ctx, g, directory.ClaimResource, ac)
	if err != nil {
		return tokenResponse{}, err
	}
	access, err := p.sign(ctx, claims)
	if err != nil {
		return tokenResponse{}, err
	}
	res := tokenResponse{TokenType: "Bearer", ExpiresIn: int(lifetime.Seconds()), AccessToken: access,
		Scope: strings.Join(g.scopes, " ")}
	if g.user != nil && slices.Contains(g.scopes, "openid") {
		if res.IDToken, err = p.idToken(ctx, g, access, now); err != nil {
			return tokenResponse{}, err
		}
	}
	return res, nil
}

func (p *Provider) idToken(ctx context.Context, g grant, access string, now time.Time) (string, error) {
	u := g.user
	ic := idClaims{Subject: u.ID, Ver: 1, Issuer: g.server.issuer, Audience: g.client.ID, IssuedAt: now.Unix(),
		Expiry: now.Add(idTokenLifetime).Unix(), JTI: p.newJTI("ID"), AMR: g.amr, IdP: p.orgID(),
		Nonce: g.nonce, AuthTime: unix(g.authTime), AtHash: halfHash(sha256.Sum256([]byte(access)))}
	if slices.Contains(g.scopes, "profile") {
		ic.Name = u.DisplayName()
		ic.PreferredUsername = u.Login()
	}
	if slices.Contains(g.scopes, "email") {
		ic.Email = u.Profile.String("email")
	}
	claims, err := p.withCustomClaims(ctx, g, directory.ClaimIdentity, ic)
	if err != nil {
		return "", err
	}
	return p.sign(ctx, claims)
}

// grantEvent is the system log's record of an issued access token, with
// Okta's event type for the org or a custom server.
func (p *Provider) grantEvent(ctx context.Context, g grant) audit.Event {
	action := "app.oauth2.token.grant.access_token"
	if g.server.custom != nil {
		action = "app.oauth2.as.token.grant.access_token"
	}
	e := audit.New(ctx, action, "AppInstance", g.client.ID)
	e.TargetName = g.client.Label
	if e.Detail == nil {
		e.Detail = map[string]string{}
	}
	e.Detail["grantType"], e.Detail["scopes"], e.Detail["authorizationServer"] = g.kind, strings.Join(g.scopes, " "), g.server.issuer
	return e
}
