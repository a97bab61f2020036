package oidc

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
)

// maxToken bounds a JWT before it is parsed (go-jose's own bounds aside).
const maxToken = 16 << 10

// ownAlgs are the algorithms keyward's own tokens are signed with and the
// only ones accepted back: never "none", never HS256.
var ownAlgs = []jose.SignatureAlgorithm{jose.RS256}

// sign serializes claims as a JWT signed by the active OIDC key.
func (p *Provider) sign(ctx context.Context, claims any) (string, error) {
	s, err := p.Keys.Active(ctx)
	if err != nil {
		return "", err
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256,
		Key: jose.JSONWebKey{Key: s.Private, KeyID: s.Key.ID, Algorithm: string(jose.RS256)}}, nil)
	if err != nil {
		return "", err
	}
	return jwt.Signed(signer).Claims(claims).Serialize()
}

// verify checks raw is a JWT signed by one of the published OIDC keys and
// reads its claims into dst. Time and audience checks are the caller's.
func (p *Provider) verify(ctx context.Context, raw string, dst any) error {
	if len(raw) > maxToken || strings.Count(raw, ".") != 2 {
		return errBadToken
	}
	tok, err := jwt.ParseSigned(raw, ownAlgs)
	if err != nil || len(tok.Headers) != 1 {
		return errBadToken
	}
	cert, ok, err := p.Keys.PublishedCertificate(ctx, tok.Headers[0].KeyID)
	if err != nil {
		return err
	}
	if !ok || tok.Claims(cert.PublicKey, dst) != nil {
		return errBadToken
	}
	return nil
}

// errBadToken is any token that is not one of ours, whatever the reason:
// the caller names the token in its own error.
var errBadToken = invalidGrant("The token is not valid.")

// newJTI is a fresh token id with Okta's kind prefix ("AT", "ID").
func (p *Provider) newJTI(kind string) string { return kind + "." + clock.Token(p.Random, 32) }

// halfHash is an OIDC at_hash: the left half of the SHA-256 of the access
// token, base64url.
func halfHash(sum [32]byte) string { return base64.RawURLEncoding.EncodeToString(sum[:16]) }

// unix is t in seconds, or zero for the zero time.
func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// jwksOf is the public JWK Set of keys.
func jwksOf(keys []directory.SigningKey) (jose.JSONWebKeySet, error) {
	var set jose.JSONWebKeySet
	for _, k := range keys {
		cert, err := x509.ParseCertificate(k.Certificate)
		if err != nil {
			return set, err
		}
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: cert.PublicKey, KeyID: k.ID, Algorithm: k.Algorithm, Use: "sig"})
	}
	return set, nil
}
