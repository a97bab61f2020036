// Package totp is the authenticator-app sign-in factor: RFC 6238 time-based
// one-time passwords with the parameters every authenticator app accepts
// (HMAC-SHA-1, 6 digits, 30-second steps).
//
// It owns secret generation, code generation and verification (drift window
// and replay refusal by time step), otpauth:// enrolment URIs, the base32 text
// people type when they cannot scan, and the enrolment QR code as inline SVG.
//
// It does not own storage of the secret or of the last accepted step, sealing
// (encrypting) the secret at rest, or throttling guesses: a 6-digit code is
// only safe behind a caller that rate-limits attempts per user (the store's
// rate limits). It takes the time as an argument and never reads a clock.
package totp

import (
	"encoding/base32"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/keyward/keyward/internal/errs"
)

// SecretSize is the length of a generated secret in bytes: 160 bits, the
// length RFC 4226 recommends.
const SecretSize = 20

// Key is a new enrolment: the secret (raw bytes, to be sealed by the caller)
// and its otpauth URI (to show as a QR code, never to store).
type Key struct {
	Secret []byte
	URI    string
}

// Generate makes a new enrolment with a SecretSize-byte secret read from
// random. The issuer names this service and the account names the user in the
// app's list. An issuer holding a colon is errs.Invalid (the label uses a
// colon to separate the two), as is an empty account.
func Generate(random io.Reader, issuer, account string) (Key, error) {
	if strings.Contains(issuer, ":") {
		return Key{}, errs.E(errs.Invalid, "totp: the issuer must not contain a colon")
	}
	if account == "" {
		return Key{}, errs.E(errs.Invalid, "totp: the account name is empty")
	}
	secret := make([]byte, SecretSize)
	if _, err := io.ReadFull(random, secret); err != nil {
		return Key{}, fmt.Errorf("totp: read random secret: %w", err)
	}
	return Key{Secret: secret, URI: URI(secret, issuer, account)}, nil
}

// URI returns the otpauth:// key URI (Google Authenticator's Key Uri Format)
// for secret:
//
//	otpauth://totp/Issuer:account?secret=BASE32&issuer=Issuer&algorithm=SHA1&digits=6&period=30
//
// Both label parts are path-escaped, with colons escaped too (%3A), and the
// issuer parameter is query-escaped with spaces as %20 (some apps do not read
// '+' as a space). An empty issuer leaves out the prefix and the parameter.
// The issuer must not contain a colon; Generate checks that.
func URI(secret []byte, issuer, account string) string {
	label := labelEscape(account)
	q := "secret=" + Base32(secret)
	if issuer != "" {
		label = labelEscape(issuer) + ":" + label
		q += "&issuer=" + queryEscape(issuer)
	}
	q += "&algorithm=SHA1&digits=6&period=30"
	return "otpauth://totp/" + label + "?" + q
}

func labelEscape(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
}

// queryEscape escapes s for a query value. QueryEscape writes a space as '+'
// and a literal '+' as %2B, so every remaining '+' was a space.
func queryEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

var noPad = base32.StdEncoding.WithPadding(base32.NoPadding)

// Base32 returns secret as authenticator apps take it typed in: RFC 4648
// base32, upper case, no padding.
func Base32(secret []byte) string {
	return noPad.EncodeToString(secret)
}

// Base32Grouped returns Base32(secret) in groups of four characters separated
// by spaces, for people to read off a page and type (apps ignore the spaces).
func Base32Grouped(secret []byte) string {
	s := Base32(secret)
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}
