package identitycenter

import (
	"crypto/rand"
	"fmt"
	"io"
	"math/big"
	"regexp"
	"strings"

	"github.com/keyward/keyward/internal/clock"
)

// Identifier shapes, as the AWS service models define them (botocore at
// commit 0e6e2404: sso-admin AccountId, PrincipalId and UUId; identitystore
// IdentityStoreId; organizations OrganizationId and CreateAccountRequestId),
// anchored.
var (
	accountIDRe       = regexp.MustCompile(`^\d{12}$`)
	orgIDRe           = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
	principalIDRe     = regexp.MustCompile(`^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$`)
	uuidRe            = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	identityStoreIDRe = regexp.MustCompile(`^(?:d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`)
	createAccountIDRe = regexp.MustCompile(`^car-[a-z0-9]{8,32}$`)
)

// ValidAccountID reports whether s is a 12-digit account id.
func ValidAccountID(s string) bool { return accountIDRe.MatchString(s) }

// ValidOrgID reports whether s is an organization id.
func ValidOrgID(s string) bool { return orgIDRe.MatchString(s) }

// ValidPrincipalID reports whether s has the shape of a user, group or
// membership id.
func ValidPrincipalID(s string) bool { return principalIDRe.MatchString(s) }

// ValidUUID reports whether s is a lowercase UUID, the shape of SSO Admin's
// request ids.
func ValidUUID(s string) bool { return uuidRe.MatchString(s) }

// ValidIdentityStoreID reports whether s has the shape of an identity store id.
func ValidIdentityStoreID(s string) bool { return identityStoreIDRe.MatchString(s) }

// ValidCreateAccountRequestID reports whether s has the shape of an
// Organizations CreateAccount request id.
func ValidCreateAccountRequestID(s string) bool { return createAccountIDRe.MatchString(s) }

// NewOrgID returns "o-" and ten random lowercase letters and digits.
func NewOrgID(r io.Reader) string {
	return "o-" + randomFrom(r, "abcdefghijklmnopqrstuvwxyz0123456789", 10)
}

// NewAccountID returns a random 12-digit account id that does not start with 0.
func NewAccountID(r io.Reader) string {
	return randomFrom(r, "123456789", 1) + randomFrom(r, "0123456789", 11)
}

// NewInstanceID returns "ssoins-" and 16 lowercase hex digits.
func NewInstanceID(r io.Reader) string { return "ssoins-" + clock.Hex(r, 8) }

// NewIdentityStoreID returns "d-" and 10 lowercase hex digits.
func NewIdentityStoreID(r io.Reader) string { return "d-" + clock.Hex(r, 5) }

// NewPermissionSetID returns "ps-" and 16 lowercase hex digits.
func NewPermissionSetID(r io.Reader) string { return "ps-" + clock.Hex(r, 8) }

// NewPrincipalID returns an identity-store id: the store's ten hex digits, a
// dash and a random UUID, as real identity stores issue them.
func NewPrincipalID(r io.Reader, identityStoreID string) string {
	return strings.TrimPrefix(identityStoreID, "d-") + "-" + NewUUID(r)
}

// NewUUID returns a random (version 4) UUID.
func NewUUID(r io.Reader) string {
	b := clock.Bytes(r, 16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// NewRoleSuffix returns the 16 lowercase hex digits of an AWSReservedSSO role name.
func NewRoleSuffix(r io.Reader) string { return clock.Hex(r, 8) }

// randomFrom returns n characters drawn uniformly from alphabet.
func randomFrom(r io.Reader, alphabet string, n int) string {
	max := big.NewInt(int64(len(alphabet)))
	var sb strings.Builder
	for range n {
		i, err := rand.Int(r, max)
		if err != nil {
			panic("identitycenter: random source failed: " + err.Error())
		}
		sb.WriteByte(alphabet[i.Int64()])
	}
	return sb.String()
}
