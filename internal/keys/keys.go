// Package keys owns keyward's master key and what is derived from it: the
// sealer that encrypts secrets at rest (access-key secrets) and in transit
// (self-contained session tokens), and the identity provider's signing
// keys (SigningKeys: created on first use, rotated with an overlap, stored
// sealed, their list read from the store at most once a minute) and the local TLS certificate authority (CA: one root stored the
// same way, issuing short-lived leaves in memory). The master key lives in a 0600 file (in
// the data directory unless the operator names another, which replicas
// share); nothing derived from it is ever stored.
package keys

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/keyward/keyward/internal/clock"
)

// MasterKeySize is the length of the master key in bytes.
const MasterKeySize = 32

// Load reads the master key at path; a missing file is an error that
// wraps fs.ErrNotExist.
func Load(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read master key: %w", err)
	}
	if len(b) != MasterKeySize {
		return nil, fmt.Errorf("master key %s has %d bytes, want %d", path, len(b), MasterKeySize)
	}
	return b, nil
}

// LoadOrCreate reads the master key at path, creating it (mode 0600) with
// fresh random bytes if the file does not exist. The key is written whole
// to a temporary file and then linked into place, so processes starting
// together on one shared path end up with the same key.
func LoadOrCreate(path string, random io.Reader) ([]byte, error) {
	b, err := Load(path)
	if !errors.Is(err, os.ErrNotExist) {
		return b, err
	}
	key := clock.Bytes(random, MasterKeySize)
	tmp := path + ".new-" + clock.Hex(random, 8)
	if err := os.WriteFile(tmp, key, 0o600); err != nil {
		return nil, fmt.Errorf("create master key: %w", err)
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); errors.Is(err, os.ErrExist) {
		return Load(path) // another process made it first
	} else if err != nil {
		return nil, fmt.Errorf("create master key: %w", err)
	}
	return key, nil
}

// Sealer encrypts and authenticates small secrets with AES-256-GCM under a
// key derived from the master key for one purpose, so a value sealed for one
// use cannot be opened as another.
type Sealer struct {
	aead   cipher.AEAD
	random io.Reader
}

// NewSealer derives the sealing key for purpose from master.
func NewSealer(master []byte, purpose string, random io.Reader) (*Sealer, error) {
	k, err := hkdf.Key(sha256.New, master, nil, "keyward "+purpose, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead, random: random}, nil
}

// Seal encrypts plaintext, binding it to aad (which is not encrypted).
func (s *Sealer) Seal(plaintext, aad []byte) []byte {
	nonce := clock.Bytes(s.random, s.aead.NonceSize())
	return s.aead.Seal(nonce, nonce, plaintext, aad)
}

// ErrUnseal is returned for anything that does not open: tampered, truncated
// or sealed under another key, purpose or aad.
var ErrUnseal = errors.New("keys: sealed value does not open")

// Open decrypts a value produced by Seal with the same aad.
func (s *Sealer) Open(sealed, aad []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n+s.aead.Overhead() {
		return nil, ErrUnseal
	}
	out, err := s.aead.Open(nil, sealed[:n], sealed[n:], aad)
	if err != nil {
		return nil, ErrUnseal
	}
	return out, nil
}
