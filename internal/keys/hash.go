package keys

import (
	"crypto/sha256"
	"encoding/hex"
)

// HashSecret is how opaque secrets handed to clients (session cookies,
// bearer and refresh tokens, device codes, client secrets) are stored: hex
// SHA-256. They carry at least 128 bits of entropy, so a fast hash suffices
// and lookups stay indexable.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
