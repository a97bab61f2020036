package oktaapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/keyward/keyward/internal/errs"
)

// oktaTime is Okta's timestamp: RFC 3339 in UTC with milliseconds.
const oktaTime = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(oktaTime) }

// nullTime is a time Okta sends as null until it first happens.
func nullTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := formatTime(t)
	return &s
}

// each maps items to their wire form; an empty list is [] on the wire,
// never null.
func each[T, J any](items []T, wire func(T) J) []J {
	out := make([]J, 0, len(items))
	for _, item := range items {
		out = append(out, wire(item))
	}
	return out
}

// maxBody bounds every request body: Okta's objects are small.
const maxBody = 64 << 10

// decodeBody reads r's JSON body into v: at most maxBody bytes, one JSON
// value, numbers kept as json.Number. An empty body is an error when
// required is set, and leaves v alone otherwise.
func decodeBody(r *http.Request, v any, required bool) error {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return malformed("The request body is larger than %d bytes.", maxBody)
	}
	if err != nil {
		return malformed("The request body could not be read.")
	}
	if !utf8.Valid(body) {
		return malformed("The request body was not well-formed: it is not valid UTF-8.")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if required {
			return malformed("The request body was not well-formed: it is empty.")
		}
		return nil
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return malformed("The request body was not well-formed: %s", describe(err))
	}
	if d.More() {
		return malformed("The request body was not well-formed: more than one JSON value.")
	}
	return nil
}

func describe(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return "invalid JSON at byte " + strconv.FormatInt(syn.Offset, 10)
	case errors.As(err, &typ):
		return typ.Field + " must be " + typ.Type.Kind().String()
	}
	return "invalid JSON"
}

func malformed(format string, args ...any) error {
	return errs.E(errs.Invalid, format, args...).WithCode(codeMalformed)
}

// boolParam reads an optional boolean query parameter.
func boolParam(r *http.Request, name string, def bool) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, errs.E(errs.Invalid, "%s: must be true or false", name)
	}
	return b, nil
}

// validText reports whether s is UTF-8 without NUL characters, as every
// string keyward stores must be.
func validText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }
