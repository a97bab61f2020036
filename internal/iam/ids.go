package iam

import (
	"encoding/base32"
	"encoding/base64"
	"io"

	"github.com/keyward/keyward/internal/clock"
)

// Prefixes of IAM unique ids and access key ids, as AWS issues them.
const (
	PrefixRoleID             = "AROA"
	PrefixAccessKeyID        = "AKIA" // long-term keys
	PrefixTemporaryAccessKey = "ASIA" // session credentials
)

// randomBase32 returns n characters of IAM's id alphabet (A-Z, 2-7, which is
// base32's), uniformly: each character is five random bits.
func randomBase32(r io.Reader, n int) string {
	return base32.StdEncoding.EncodeToString(clock.Bytes(r, (n*5+7)/8))[:n]
}

// NewRoleID returns an IAM role id: "AROA" and 17 characters.
func NewRoleID(r io.Reader) string { return PrefixRoleID + randomBase32(r, 17) }

// NewAccessKeyID returns a long-term access key id: "AKIA" and 16 characters.
func NewAccessKeyID(r io.Reader) string { return PrefixAccessKeyID + randomBase32(r, 16) }

// NewTemporaryAccessKeyID returns a session access key id: "ASIA" and 16 characters.
func NewTemporaryAccessKeyID(r io.Reader) string {
	return PrefixTemporaryAccessKey + randomBase32(r, 16)
}

// NewSecretAccessKey returns a 40-character secret access key (A-Z, a-z,
// 0-9, + and /): 240 random bits in base64.
func NewSecretAccessKey(r io.Reader) string {
	return base64.StdEncoding.EncodeToString(clock.Bytes(r, 30))
}
