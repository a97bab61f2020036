package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

const amzDateFormat = "20060102T150405Z"

// authorizationOf finds and parses the one Authorization header.
func authorizationOf(r *http.Request, h headers) (Authorization, error) {
	vals := h["authorization"]
	switch {
	case len(vals) > 1:
		return Authorization{}, incomplete("The request has more than one Authorization header.")
	case len(vals) == 1 && vals[0] != "":
		return ParseAuthorization(vals[0])
	case r.URL.Query().Has(QuerySignature):
		return Authorization{}, incomplete("This operation does not accept a presigned (query-string) signature; sign the request with an Authorization header.")
	}
	return Authorization{}, missingToken()
}

// signingTime reads X-Amz-Date, checks it against the scope date and the
// server's clock, and returns it.
func (v *Verifier) signingTime(h headers, a Authorization) (time.Time, error) {
	amz, err := h.single("X-Amz-Date")
	if err != nil {
		return time.Time{}, err
	}
	if amz == "" {
		return time.Time{}, incomplete("Authorization header requires existence of a 'X-Amz-Date' header.")
	}
	t, err := time.Parse(amzDateFormat, amz)
	if err != nil || t.Format(amzDateFormat) != amz {
		return time.Time{}, incomplete("X-Amz-Date must be in ISO-8601 basic format 'YYYYMMDDTHHMMSSZ'. Got %s.", quote(amz))
	}
	if !a.Signs("x-amz-date") {
		return time.Time{}, incomplete("SignedHeaders must include 'x-amz-date'.")
	}
	if err := checkScopeDate(a, amz); err != nil {
		return time.Time{}, err
	}
	return t, v.checkSkew(t)
}

// checkScopeDate checks the credential scope is for the day of amz, the
// X-Amz-Date: the signing key is derived from the scope date.
func checkScopeDate(a Authorization, amz string) error {
	if a.Date != amz[:8] {
		return mismatch("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.", a.Date, amz[:8], amz)
	}
	return nil
}

func (v *Verifier) checkSkew(t time.Time) error {
	now, skew := v.now(), v.maxSkew()
	if early := now.Add(-skew); t.Before(early) {
		return mismatch("Signature expired: %s is now earlier than %s (%s - %s.)",
			t.Format(amzDateFormat), early.Format(amzDateFormat), now.Format(amzDateFormat), skewText(skew))
	}
	return v.checkCurrent(t)
}

// checkCurrent refuses a signing time further ahead of the server's clock
// than the allowed skew.
func (v *Verifier) checkCurrent(t time.Time) error {
	now, skew := v.now(), v.maxSkew()
	if late := now.Add(skew); t.After(late) {
		return mismatch("Signature not yet current: %s is still later than %s (%s + %s.)",
			t.Format(amzDateFormat), late.Format(amzDateFormat), now.Format(amzDateFormat), skewText(skew))
	}
	return nil
}

// presignedWindow checks a presigned request's scope date and that it is
// used within its validity: from X-Amz-Date (less the skew, for a client
// clock running ahead) to X-Amz-Date plus X-Amz-Expires (or DefaultExpires).
func (v *Verifier) presignedWindow(p Presigned) error {
	amz := p.SignedAt.Format(amzDateFormat)
	if err := checkScopeDate(p.Authorization, amz); err != nil {
		return err
	}
	if err := v.checkCurrent(p.SignedAt); err != nil {
		return err
	}
	if end, now := p.SignedAt.Add(p.Validity()), v.now(); now.After(end) {
		return mismatch("Request has expired: signed at %s for %d seconds, so valid until %s; it is now %s.",
			amz, int64(p.Validity()/time.Second), end.Format(amzDateFormat), now.Format(amzDateFormat))
	}
	return nil
}

// skewText writes a skew the way AWS does ("15 min") when it is whole minutes.
func skewText(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%d min", d/time.Minute)
	}
	return d.String()
}

// payloadHashOf hashes body and checks it against X-Amz-Content-Sha256. The
// hash that is signed is always the computed one, never the header's claim.
func payloadHashOf(h headers, body []byte) (string, error) {
	sum := sha256.Sum256(body)
	computed := hex.EncodeToString(sum[:])
	claim, err := h.single("X-Amz-Content-Sha256")
	switch {
	case err != nil:
		return "", err
	case claim == "UNSIGNED-PAYLOAD" || strings.HasPrefix(claim, "STREAMING-"):
		return "", incomplete("X-Amz-Content-Sha256 %s is not accepted: this API requires a signed payload.", quote(claim))
	case claim != "" && claim != computed:
		return "", mismatch("The provided 'x-amz-content-sha256' header does not match what was computed.")
	}
	return computed, nil
}

// sessionTokenOf returns X-Amz-Security-Token, which must be signed when sent
// (the signer always signs it, so an unsigned one could never verify).
func sessionTokenOf(h headers, a Authorization) (string, error) {
	token, err := h.single("X-Amz-Security-Token")
	if err != nil {
		return "", err
	}
	return token, mustBeSigned(h, a, "x-amz-security-token")
}

// mustBeSigned refuses a request that carries header name (lowercase) but
// leaves it out of SignedHeaders. Every SDK signs X-Amz-Security-Token and
// X-Amz-Target; an unsigned one could be swapped in transit (X-Amz-Target
// picks the operation an awsJson body is run as).
func mustBeSigned(h headers, a Authorization, name string) error {
	if h.has(name) && !a.Signs(name) {
		return incomplete("SignedHeaders must include '%s' when the request carries one.", name)
	}
	return nil
}

// headers maps lowercase header names to their values. net/http
// canonicalizes keys, but a request built in code may hold "x-amz-date" and
// "X-Amz-Date" side by side; the signer merges those, so we must too.
type headers map[string][]string

func foldHeaders(h http.Header) headers {
	out := make(headers, len(h))
	for _, k := range slices.Sorted(maps.Keys(h)) {
		lk := strings.ToLower(k)
		out[lk] = append(out[lk], h[k]...)
	}
	return out
}

func (h headers) has(name string) bool {
	_, ok := h[name]
	return ok
}

// single returns the value of a header that may appear at most once.
func (h headers) single(name string) (string, error) {
	vals := h[strings.ToLower(name)]
	if len(vals) > 1 {
		return "", incomplete("The request has more than one %s header.", name)
	}
	if len(vals) == 0 {
		return "", nil
	}
	return vals[0], nil
}
