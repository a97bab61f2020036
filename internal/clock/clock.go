// Package clock injects time and randomness, so expiry, skew, rotation and
// generated identifiers are testable. Production code takes a Clock and an
// io.Reader of random bytes; tests pass a Fake and a seeded reader.
package clock

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"io"
	"sync"
	"time"
)

// Clock tells the time.
type Clock interface {
	Now() time.Time
}

// Real is the system clock.
type Real struct{}

// Now returns the current UTC time.
func (Real) Now() time.Time { return time.Now().UTC() }

// Fake is a settable clock for tests. It is safe for concurrent use.
type Fake struct {
	mu  sync.Mutex
	now time.Time
}

// NewFake returns a Fake set to t.
func NewFake(t time.Time) *Fake { return &Fake{now: t.UTC()} }

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Advance moves the fake time forward by d.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

// Random is the default source of randomness.
var Random io.Reader = rand.Reader

// Bytes reads n random bytes from r. A failing random source is not
// recoverable, so it panics rather than hand out predictable secrets.
func Bytes(r io.Reader, n int) []byte {
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		panic("clock: random source failed: " + err.Error())
	}
	return b
}

// Hex returns n random bytes as lowercase hex (2n characters).
func Hex(r io.Reader, n int) string { return hex.EncodeToString(Bytes(r, n)) }

// Token returns n random bytes as unpadded URL-safe base64, for secrets
// handed to clients.
func Token(r io.Reader, n int) string {
	return base64.RawURLEncoding.EncodeToString(Bytes(r, n))
}
