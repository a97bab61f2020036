package scimclient

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Error is a target's answer other than success: its HTTP status and its
// own words (SCIM error detail).
type Error struct {
	Status    int
	Detail    string
	ScimType  string
	RequestID string
	// RetryAfter is the answer's Retry-After (at most 5 minutes); 0 when
	// it had none.
	RetryAfter time.Duration
}

// RetryAfterOf returns err's Retry-After, or 0.
func RetryAfterOf(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("SCIM target answered %d", e.Status)
	if e.ScimType != "" {
		msg += " (" + e.ScimType + ")"
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Retryable reports whether the same request may succeed later: throttling
// and server errors.
func (e *Error) Retryable() bool { return e.Status == 429 || e.Status >= 500 }

// Permanent reports whether retrying cannot help: a 4xx other than 409
// (which is adopted) and 429 (which is retried).
func (e *Error) Permanent() bool {
	return e.Status >= 400 && e.Status < 500 && e.Status != 409 && e.Status != 429
}

// StatusOf returns err's target status, or 0 when err is not a target's
// answer (a network error, for instance).
func StatusOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// IsPermanent reports whether err is a target's permanent refusal.
func IsPermanent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Permanent()
}

// errorBody is the SCIM error schema, with AWS's string status.
type errorBody struct {
	Detail             string          `json:"detail"`
	Status             json.RawMessage `json:"status"`
	ScimType           string          `json:"scimType"`
	ExceptionRequestID string          `json:"exceptionRequestId"`
	Message            string          `json:"message"` // AWS JSON-protocol errors
}

// parseError reads a failed response's body (at most maxResourceBody
// bytes, already read) into an Error for status; a body that is not a
// SCIM error keeps a short excerpt as the detail.
func parseError(status int, body []byte) *Error {
	e := &Error{Status: status}
	var b errorBody
	if err := json.Unmarshal(body, &b); err != nil {
		e.Detail = excerpt(body)
		return e
	}
	e.Detail, e.ScimType, e.RequestID = cmpOr(b.Detail, b.Message), b.ScimType, b.ExceptionRequestID
	if s, ok := statusValue(b.Status); ok && s >= 400 && s < 600 && e.Status == 0 {
		e.Status = s
	}
	return e
}

// statusValue reads "409" or 409.
func statusValue(raw json.RawMessage) (int, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return 0, false
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		n, err := strconv.Atoi(s)
		return n, err == nil
	}
	var n int
	return n, json.Unmarshal(raw, &n) == nil
}

// excerpt is up to 200 printable bytes of a non-JSON body.
func excerpt(body []byte) string {
	s := strings.ToValidUTF8(string(body), "")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "…"
	}
	return s
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
