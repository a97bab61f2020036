// Package password hashes and verifies passwords with argon2id, encoded as
// PHC strings ($argon2id$v=19$m=...,t=...,p=...$salt$hash). Hashing is memory
// hungry, so a Hasher bounds how many hashes run at once; callers beyond the
// bound wait (or give up when their context ends).
package password

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/keyward/keyward/internal/clock"
)

// Params are argon2id's cost parameters.
type Params struct {
	MemoryKiB   uint32
	Iterations  uint32
	Parallelism uint8
}

// DefaultParams is OWASP's recommended argon2id floor (19 MiB, t=2, p=1),
// sized so a small host can run several sign-ins at once.
var DefaultParams = Params{MemoryKiB: 19 * 1024, Iterations: 2, Parallelism: 1}

const (
	saltLen = 16
	keyLen  = 32
	// MaxLength bounds what is hashed: argon2 takes any length, but an
	// unbounded input is a cheap way to burn CPU.
	MaxLength = 1024
)

// Hasher hashes with fixed parameters and a concurrency bound.
type Hasher struct {
	params Params
	random io.Reader
	slots  chan struct{}
}

// NewHasher returns a Hasher running at most concurrency hashes at once.
func NewHasher(p Params, concurrency int, random io.Reader) *Hasher {
	if concurrency < 1 {
		concurrency = 1
	}
	return &Hasher{params: p, random: random, slots: make(chan struct{}, concurrency)}
}

// ErrTooLong is returned for passwords over MaxLength bytes.
var ErrTooLong = fmt.Errorf("password: longer than %d bytes", MaxLength)

// Hash returns the PHC string of password with a fresh salt.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if len(password) > MaxLength {
		return "", ErrTooLong
	}
	salt := clock.Bytes(h.random, saltLen)
	key, err := h.derive(ctx, password, salt, h.params)
	if err != nil {
		return "", err
	}
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		h.params.MemoryKiB, h.params.Iterations, h.params.Parallelism,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether password matches the PHC string encoded, using the
// parameters recorded in it.
func (h *Hasher) Verify(ctx context.Context, encoded, password string) (bool, error) {
	if len(password) > MaxLength {
		return false, nil
	}
	p, salt, want, err := decode(encoded)
	if err != nil {
		return false, err
	}
	got, err := h.derive(ctx, password, salt, p)
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

func (h *Hasher) derive(ctx context.Context, password string, salt []byte, p Params) ([]byte, error) {
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-h.slots }()
	return argon2.IDKey([]byte(password), salt, p.Iterations, p.MemoryKiB, p.Parallelism, keyLen), nil
}

var errFormat = errors.New("password: not an argon2id PHC string")

// decode parses a PHC string, refusing parameters outside sane bounds so a
// corrupted row cannot make us allocate gigabytes.
func decode(s string) (Params, []byte, []byte, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return Params{}, nil, nil, errFormat
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Iterations, &p.Parallelism); err != nil {
		return Params{}, nil, nil, errFormat
	}
	if p.MemoryKiB < 8 || p.MemoryKiB > 1<<20 || p.Iterations < 1 || p.Iterations > 16 || p.Parallelism < 1 {
		return Params{}, nil, nil, errFormat
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) != keyLen {
		return Params{}, nil, nil, errFormat
	}
	return p, salt, key, nil
}
