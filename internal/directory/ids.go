package directory

import (
	"crypto/rand"
	"io"
	"math/big"
	"strings"
)

// Id prefixes, as Okta's ids start (00u user, 00g group, 00T API token, ra
// role assignment). Ids are opaque to clients; the prefix only helps a
// person reading a log tell them apart.
const (
	userPrefix   = "00u"
	groupPrefix  = "00g"
	tokenPrefix  = "00T"
	rolePrefix   = "ra"
	factorPrefix = "fac"
	idLength     = 20
)

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// NewUserID returns a fresh user id.
func NewUserID(r io.Reader) string { return newID(r, userPrefix) }

// NewGroupID returns a fresh group id.
func NewGroupID(r io.Reader) string { return newID(r, groupPrefix) }

// NewTokenID returns a fresh API token id.
func NewTokenID(r io.Reader) string { return newID(r, tokenPrefix) }

// NewFactorID returns a fresh factor enrolment id.
func NewFactorID(r io.Reader) string { return newID(r, factorPrefix) }

// NewRoleID returns a fresh role assignment id.
func NewRoleID(r io.Reader) string { return newID(r, rolePrefix) }

// newID is prefix followed by random base62 characters up to idLength.
func newID(r io.Reader, prefix string) string {
	var b strings.Builder
	b.WriteString(prefix)
	max := big.NewInt(int64(len(base62)))
	for b.Len() < idLength {
		n, err := rand.Int(r, max)
		if err != nil {
			panic("directory: reading randomness: " + err.Error())
		}
		b.WriteByte(base62[n.Int64()])
	}
	return b.String()
}

// ValidID reports whether s could be an id this package made: letters and
// digits only, of the usual length. It lets handlers refuse junk before a
// lookup.
func ValidID(s string) bool {
	if len(s) < 2 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(base62, s[i]) < 0 {
			return false
		}
	}
	return true
}
