package totp

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"time"
)

const (
	// Digits is the length of a code.
	Digits = 6
	// Period is the length of one time step.
	Period = 30 * time.Second
	// Skew is how many steps either side of now Verify accepts (clock drift).
	Skew = 1
)

// Step returns the RFC 6238 time step holding t: whole periods since the
// Unix epoch, rounded down.
func Step(t time.Time) int64 {
	p := int64(Period / time.Second)
	s := t.Unix()
	if s < 0 {
		return (s - p + 1) / p
	}
	return s / p
}

// Code returns the code an authenticator app shows for secret at t.
func Code(secret []byte, t time.Time) string {
	return digits(secret, uint64(Step(t)), Digits)
}

// Verify checks code against secret at now. It accepts the steps now-1, now
// and now+1 (clock drift) but refuses any step <= lastStep, so a code is
// accepted once (replay). It returns the matched step, which the caller stores
// as the new lastStep; a new enrolment passes 0. When a code matches two steps
// the later one is returned, so neither can be replayed. Codes are compared in
// constant time; a code that is not exactly six ASCII digits, or an empty
// secret, is refused without computing anything. Verify does not throttle:
// the caller must rate-limit attempts.
func Verify(secret []byte, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	if len(secret) == 0 || !wellFormed(code) {
		return 0, false
	}
	cur := Step(now)
	for s := cur - Skew; s <= cur+Skew; s++ {
		if s <= lastStep || s < 0 {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(digits(secret, uint64(s), Digits)), []byte(code)) == 1 {
			step, ok = s, true
		}
	}
	return step, ok
}

// wellFormed reports whether code is exactly Digits ASCII digits.
func wellFormed(code string) bool {
	if len(code) != Digits {
		return false
	}
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return false
		}
	}
	return true
}

// digits is RFC 4226 HOTP: the n-digit code for counter, zero-padded.
func digits(secret []byte, counter uint64, n int) string {
	mod := uint32(1)
	for range n {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", n, truncate(secret, counter)%mod)
}

// truncate is RFC 4226 section 5.3: HMAC-SHA-1 of the big-endian counter,
// then 31 bits taken at the offset named by the last nibble.
func truncate(secret []byte, counter uint64) uint32 {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac := hmac.New(sha1.New, secret)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	return binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
}
