package ssooidc

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"regexp"
)

// A code challenge is base64url(SHA-256(verifier)) without padding: 43
// characters. Only S256 is taken: with "plain" the challenge is the
// verifier, and whoever sees the authorization request can redeem the
// code (RFC 7636 §7.2).
var (
	challengeRe = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)
	verifierRe  = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`) // RFC 7636 §4.1
)

const methodS256 = "S256"

// verifies reports whether verifier is the one behind challenge, in
// constant time.
func verifies(verifier, challenge string) bool {
	if !verifierRe.MatchString(verifier) {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	got := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(got), []byte(challenge)) == 1
}
