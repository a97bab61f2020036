package awsauth

import (
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/iam"
)

// Access key ids carry their account the way AWS's do: the 16 characters
// after the four-letter prefix are 80 bits in base32, and bits 46 to 7 of
// the first 48 (big-endian) are the account id. The other 40 bits are
// random. GetAccessKeyInfo reads the account back with AccountOfKeyID,
// without a lookup; AWS's published decoding gives the same answer.
const accountMask = 0x7fffffffff80

// newTemporaryKeyID returns an ASIA key id encoding accountID; an account
// id that is not a number of at most 12 digits (none keyward issues) gets
// a plain random id.
func newTemporaryKeyID(r io.Reader, accountID string) string {
	n, err := strconv.ParseUint(accountID, 10, 64)
	if err != nil || len(accountID) != 12 {
		return iam.NewTemporaryAccessKeyID(r)
	}
	b := clock.Bytes(r, 10)
	z := uint64(b[0])<<40 | uint64(b[1])<<32 | uint64(binary.BigEndian.Uint32(b[2:6]))
	z = z&^accountMask | n<<7&accountMask
	b[0], b[1] = byte(z>>40), byte(z>>32)
	binary.BigEndian.PutUint32(b[2:6], uint32(z))
	return iam.PrefixTemporaryAccessKey + base32.StdEncoding.EncodeToString(b)
}

// AccountOfKeyID decodes the account id an access key id carries, as AWS
// encodes it: a 12-digit id, or an error when id is not 20 characters of
// IAM's key alphabet.
func AccountOfKeyID(id string) (string, error) {
	if len(id) != 20 {
		return "", fmt.Errorf("awsauth: an access key id has 20 characters")
	}
	b, err := base32.StdEncoding.DecodeString(id[4:])
	if err != nil {
		return "", fmt.Errorf("awsauth: %q is not an access key id", id)
	}
	z := uint64(b[0])<<40 | uint64(b[1])<<32 | uint64(binary.BigEndian.Uint32(b[2:6]))
	return fmt.Sprintf("%012d", z&accountMask>>7), nil
}
