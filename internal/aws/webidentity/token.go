// Package webidentity verifies OpenID Connect ID tokens for STS's
// AssumeRoleWithWebIdentity: it parses a token (size-bounded, signature
// algorithms pinned to RS256/RS384/RS512/ES256/ES384), fetches its
// issuer's signing keys (discovery document, then jwks_uri, over HTTPS
// trusted by the system roots or by a certificate thumbprint registered
// with the IAM OIDC provider, bounded and cached), checks the signature
// with the key the token names, and checks the registered audience and
// the token's times. It owns the token's and the key set's checks; it
// does not own which provider an account trusts (IAM's OIDC providers)
// nor what the token may assume (the role's trust policy, in STS).
package webidentity

import (
	"encoding/json"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// Limits of a token, as STS's model bounds WebIdentityToken.
const (
	MaxTokenLen = 20000
	MinTokenLen = 4
	// Skew is how far the issuer's clock may be from ours for exp, nbf
	// and iat.
	Skew = 5 * time.Minute
)

// Algorithms are the only signature algorithms accepted: never "none",
// never an HMAC (whose "secret" an attacker could take from the public
// key).
var Algorithms = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.ES256, jose.ES384}

// Claims are what a verified token asserts.
type Claims struct {
	Issuer   string
	Subject  string
	Audience []string
	AZP      string   // authorized party, when present
	AMR      []string // authentication methods, when present
	Expiry   time.Time
	IssuedAt time.Time
	// Tags, TransitiveTagKeys and SourceIdentity are what the token asks
	// the session to carry (the https://aws.amazon.com/tags and
	// https://aws.amazon.com/source_identity claims).
	Tags              []iam.Tag
	TransitiveTagKeys []string
	SourceIdentity    string
}

// wire is the token's JSON claims.
type wire struct {
	jwt.Claims
	AZP string          `json:"azp,omitempty"`
	AMR json.RawMessage `json:"amr,omitempty"`

	AWSTags        json.RawMessage `json:"https://aws.amazon.com/tags,omitempty"`
	SourceIdentity string          `json:"https://aws.amazon.com/source_identity,omitempty"`
}

// Token is a parsed, not yet verified, token.
type Token struct {
	jws    *jwt.JSONWebToken
	claims wire
}

// Parse reads a compact JWS without verifying it, so that its issuer can
// be looked up: it must be of bounded size, signed with one of Algorithms
// with a single signature, and carry JSON claims.
func Parse(token string) (*Token, error) {
	if len(token) < MinTokenLen || len(token) > MaxTokenLen {
		return nil, Invalid("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)")
	}
	jws, err := jwt.ParseSigned(token, Algorithms)
	if err != nil || len(jws.Headers) != 1 {
		return nil, Invalid("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)")
	}
	t := &Token{jws: jws}
	if err := jws.UnsafeClaimsWithoutVerification(&t.claims); err != nil {
		return nil, Invalid("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)")
	}
	return t, nil
}

// Issuer is the token's iss claim, unverified.
func (t *Token) Issuer() string { return t.claims.Issuer }

// Invalid is STS's InvalidIdentityToken error.
func Invalid(msg string) error {
	return errs.E(errs.Invalid, "%s", msg).WithCode("InvalidIdentityToken")
}

// Expired is STS's ExpiredTokenException for a web identity token.
func Expired(now, exp time.Time) error {
	return errs.E(errs.Invalid, "Token expired: current date/time %d must be before the expiration date/time%d", now.Unix(), exp.Unix()).
		WithCode("ExpiredTokenException")
}
