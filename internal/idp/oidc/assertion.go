package oidc

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// assertionAlgs are the algorithms a client assertion may be signed with:
// a public-key algorithm whose key the client registered. HS256 (which
// would take a public key as its secret) and "none" never parse.
var assertionAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.ES256}

// Bounds on a client assertion's validity (Okta's: at most an hour).
const (
	maxAssertionLifetime = time.Hour
	clockSkew            = time.Minute
)

// assertedClient authenticates a client by its signed JWT (private_key_jwt,
// RFC 7523 §2.2): iss and sub name the client, aud is this server's token
// endpoint, the signature is by a key in the client's registered JWKS,
// and the jti is used once.
func (p *Provider) assertedClient(ctx context.Context, f map[string]string, s server) (directory.App, error) {
	raw := f["client_assertion"]
	if f["client_assertion_type"] != jwtBearer {
		return directory.App{}, invalidClient("The client_assertion_type must be " + jwtBearer + ".")
	}
	if raw == "" || len(raw) > maxToken || strings.Count(raw, ".") != 2 {
		return directory.App{}, invalidClient("The client_assertion is not a signed JWT.")
	}
	tok, err := jwt.ParseSigned(raw, assertionAlgs)
	if err != nil || len(tok.Headers) != 1 {
		return directory.App{}, invalidClient("The client_assertion must be a JWT signed with RS256 or ES256.")
	}
	var unverified jwt.Claims
	if err := tok.UnsafeClaimsWithoutVerification(&unverified); err != nil || unverified.Issuer == "" {
		return directory.App{}, invalidClient("The client_assertion has no iss claim naming the client.")
	}
	app, err := p.client(ctx, unverified.Issuer)
	if err != nil {
		return app, err
	}
	if app.OAuth.TokenEndpointAuthMethod != directory.AuthPrivateKeyJWT ||
		(f["client_id"] != "" && f["client_id"] != app.ID) {
		return app, errClientAuth
	}
	claims, err := verifyAssertion(tok, app)
	if err != nil {
		return app, err
	}
	if err := p.checkAssertion(ctx, claims, app, s); err != nil {
		return app, err
	}
	return app, nil
}

// verifyAssertion checks the signature with the key the header's kid
// names in the client's JWKS (the only key, when there is no kid).
func verifyAssertion(tok *jwt.JSONWebToken, app directory.App) (jwt.Claims, error) {
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(app.OAuth.JWKS, &set); err != nil {
		return jwt.Claims{}, invalidClient("The client has no usable public keys registered.")
	}
	candidates := set.Keys
	if kid := tok.Headers[0].KeyID; kid != "" {
		candidates = set.Key(kid)
	} else if len(candidates) != 1 {
		return jwt.Claims{}, invalidClient("The client_assertion has no kid, and the client has several keys.")
	}
	for _, k := range candidates {
		if !k.IsPublic() {
			continue
		}
		var c jwt.Claims
		if tok.Claims(k.Key, &c) == nil {
			return c, nil
		}
	}
	return jwt.Claims{}, invalidClient("The client_assertion signature is invalid.")
}

// checkAssertion checks the claims and spends the jti.
func (p *Provider) checkAssertion(ctx context.Context, c jwt.Claims, app directory.App, s server) error {
	now := p.now()
	switch {
	case c.Subject != app.ID:
		return invalidClient("The client_assertion's sub must be the client id, as its iss is.")
	case !c.Audience.Contains(s.endpoint("token")):
		return invalidClient("The client_assertion's aud must be " + s.endpoint("token") + ".")
	case c.Expiry == nil || !now.Before(c.Expiry.Time().Add(clockSkew)):
		return invalidClient("The client_assertion has expired.")
	case c.Expiry.Time().After(now.Add(maxAssertionLifetime + clockSkew)):
		return invalidClient("The client_assertion token has an expiration too far into the future.")
	case c.NotBefore != nil && c.NotBefore.Time().After(now.Add(clockSkew)):
		return invalidClient("The client_assertion is not valid yet (its nbf is in the future); check the client's clock.")
	case c.IssuedAt != nil && c.IssuedAt.Time().After(now.Add(clockSkew)):
		return invalidClient("The client_assertion was issued in the future; check the client's clock.")
	case c.ID == "" || len(c.ID) > 256:
		return invalidClient("The client_assertion needs a jti claim (at most 256 characters).")
	}
	err := p.Store.RememberKey(ctx, "oidc-jti:"+app.ID+":"+c.ID, c.Expiry.Time().Add(clockSkew))
	if errs.Is(err, errs.Conflict) {
		return invalidClient("The client_assertion token has already been used (its jti was seen before).")
	}
	return err
}
