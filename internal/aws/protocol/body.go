package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/keyward/keyward/internal/errs"
)

// MaxBody bounds every API request body. The largest legitimate input is an
// inline policy (32 KiB) inside a JSON envelope.
const MaxBody = 256 << 10

// ReadBody reads r's body, refusing more than max bytes.
func ReadBody(r *http.Request, max int64) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	if r.ContentLength > max {
		return nil, tooLarge(max)
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, max+1))
	if err != nil {
		return nil, errs.E(errs.Invalid, "could not read the request body").WithCode("SerializationException")
	}
	if int64(len(b)) > max {
		return nil, tooLarge(max)
	}
	return b, nil
}

func tooLarge(max int64) error {
	return errs.E(errs.Invalid, "the request body exceeds %d bytes", max).WithCode("SerializationException")
}

// DecodeJSON decodes one JSON object from body into v. An empty body is an
// empty object. Unknown members are ignored, as AWS services do; anything that
// is not a single well-typed JSON object is a SerializationException.
func DecodeJSON(body []byte, v any) error {
	body = bytes.Trim(body, jsonSpace)
	if len(body) == 0 {
		body = []byte("{}")
	}
	if body[0] != '{' {
		return serialization("the request body must be a JSON object")
	}
	// encoding/json would silently turn invalid UTF-8, and escapes of
	// unpaired UTF-16 surrogates, into U+FFFD: it would store something
	// other than what the client sent.
	if !utf8.Valid(body) {
		return serialization(fmt.Sprintf("the request body is not valid UTF-8 (byte %d)", invalidUTF8At(body)))
	}
	if i := loneSurrogateAt(body); i >= 0 {
		return serialization(fmt.Sprintf("the request body escapes an unpaired UTF-16 surrogate at byte %d, which is not a character", i))
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return serialization(describeJSONError(err))
	}
	if dec.More() {
		return serialization("the request body has data after the JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return serialization("the request body has data after the JSON object")
	}
	return nil
}

// invalidUTF8At returns the offset of the first byte of b that does not
// start a valid UTF-8 sequence.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// loneSurrogateAt returns the offset of the first \uXXXX escape in b that
// is a UTF-16 surrogate not part of a high-low pair, or -1. A backslash
// only occurs inside JSON strings, so no string tracking is needed.
func loneSurrogateAt(b []byte) int {
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		r, ok := escapedRune(b[i:])
		switch {
		case !ok:
			i++ // any other escape: skip the escaped character
		case utf16.IsSurrogate(r) && r < 0xDC00:
			if low, ok := escapedRune(b[i+6:]); !ok || low < 0xDC00 || low > 0xDFFF {
				return i
			}
			i += 11
		case utf16.IsSurrogate(r):
			return i
		default:
			i += 5
		}
	}
	return -1
}

// escapedRune decodes a \uXXXX escape at the start of b.
func escapedRune(b []byte) (rune, bool) {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[2:6]), 16, 16)
	return rune(n), err == nil
}

// jsonSpace is JSON's whitespace (RFC 8259 §2); other Unicode spaces are
// not allowed around a JSON text.
const jsonSpace = " \t\r\n"

func serialization(msg string) error {
	return errs.E(errs.Invalid, "%s", msg).WithCode("SerializationException")
}

func describeJSONError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return fmt.Sprintf("field %s must be %s, not %s", te.Field, jsonKind(te.Type.Kind().String()), te.Value)
		}
		return fmt.Sprintf("expected %s, got %s", jsonKind(te.Type.Kind().String()), te.Value)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("malformed JSON at byte %d: %v", se.Offset, se)
	}
	return "malformed JSON: " + err.Error()
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "slice", "array":
		return "a list"
	case "struct", "map":
		return "an object"
	case "bool":
		return "a boolean"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "an integer"
	default:
		return "a number"
	}
}
