// Package usercode holds the user codes of device authorization (RFC 8628):
// the short codes a person types on a verification page, for both the AWS
// side's SSO-OIDC and the identity provider's OpenID Connect provider. It
// owns drawing, showing and reading them; it does not own where they are
// stored or how lookups are throttled.
package usercode

import (
	"crypto/rand"
	"io"
	"math/big"
	"strings"
)

// Alphabet is RFC 8628 §6.1's: no vowels, so no words. Eight of them give
// 20^8 (about 2^34.6) codes.
const Alphabet = "BCDFGHJKLMNPQRSTVWXZ"

// Len is a normalized code's length.
const Len = 8

// New draws a normalized code from r.
func New(r io.Reader) string {
	max := big.NewInt(int64(len(Alphabet)))
	b := make([]byte, Len)
	for i := range b {
		n, err := rand.Int(r, max)
		if err != nil {
			panic("usercode: random source failed: " + err.Error())
		}
		b[i] = Alphabet[n.Int64()]
	}
	return string(b)
}

// Format shows a normalized code as XXXX-XXXX.
func Format(code string) string {
	if len(code) != Len {
		return code
	}
	return code[:4] + "-" + code[4:]
}

// Normalize uppercases a typed code and drops dashes and spaces. It reports
// false for anything that cannot be a user code, so no lookup is spent on
// it.
func Normalize(typed string) (string, bool) {
	if len(typed) > 32 {
		return "", false
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(typed) {
		switch {
		case r == '-' || r == ' ':
		case strings.ContainsRune(Alphabet, r):
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	code := b.String()
	return code, len(code) == Len
}
