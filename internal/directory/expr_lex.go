package directory

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/keyward/keyward/internal/errs"
)

type tokKind int

const (
	tokEOF tokKind = iota
	tokLParen
	tokRParen
	tokWord   // attribute path, operator, and/or, or a bare literal
	tokString // a double-quoted value, unescaped
)

type token struct {
	kind tokKind
	pos  int    // byte offset in the expression
	text string // the word, or the unescaped string
}

// describe names a token for an error message.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "the end of the expression"
	case tokLParen:
		return "("
	case tokRParen:
		return ")"
	case tokString:
		return fmt.Sprintf("the value %.64q", t.text)
	}
	return fmt.Sprintf("%.64q", t.text)
}

// invalid builds the Invalid error Parse returns; pos is a byte offset, shown
// counting from 1.
func invalid(pos int, format string, args ...any) error {
	return errs.E(errs.Invalid, "%s at position %d", fmt.Sprintf(format, args...), pos+1)
}

// invalidHint is invalid with advice, if any, after the position.
func invalidHint(pos int, hint string, format string, args ...any) error {
	if hint == "" {
		return invalid(pos, format, args...)
	}
	return errs.E(errs.Invalid, "%s at position %d; %s", fmt.Sprintf(format, args...), pos+1, hint)
}

// checkText refuses text that is too long, is not UTF-8 or holds control
// characters other than tab, CR and LF.
func checkText(s string) error {
	if len(s) > MaxExprBytes {
		return errs.E(errs.Invalid, "expression is %d bytes long; at most %d are allowed", len(s), MaxExprBytes)
	}
	if strings.TrimSpace(s) == "" {
		return errs.E(errs.Invalid, "empty expression")
	}
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return invalid(i, "invalid UTF-8")
			}
		case r < 0x20 && r != '\t' && r != '\r' && r != '\n', r == 0x7f:
			return invalid(i, "control character %U", r)
		}
	}
	return nil
}

// lex splits s into tokens, ending with tokEOF.
func lex(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
		case c == '(':
			toks = append(toks, token{kind: tokLParen, pos: i})
			i++
		case c == ')':
			toks = append(toks, token{kind: tokRParen, pos: i})
			i++
		case c == '"':
			t, end, err := lexString(s, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i = end
		case isWordByte(c):
			j := i
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			toks = append(toks, token{kind: tokWord, pos: i, text: s[i:j]})
			i = j
		case c == '[' || c == ']':
			return nil, invalid(i, "value filters ([ ]) are not supported")
		default:
			r, _ := utf8.DecodeRuneInString(s[i:])
			return nil, invalid(i, "unexpected character %q", r)
		}
	}
	return append(toks, token{kind: tokEOF, pos: len(s)}), nil
}

// lexString reads the quoted string starting at s[start] == '"' and returns it
// with the offset just past its closing quote.
func lexString(s string, start int) (token, int, error) {
	var b strings.Builder
	for i := start + 1; i < len(s); i++ {
		switch s[i] {
		case '"':
			return token{kind: tokString, pos: start, text: b.String()}, i + 1, nil
		case '\\':
			if i+1 >= len(s) {
				break
			}
			i++
			if s[i] != '"' && s[i] != '\\' {
				r, _ := utf8.DecodeRuneInString(s[i:])
				return token{}, 0, invalidHint(i-1, `only \" and \\ are allowed`, `unsupported escape "\%c"`, r)
			}
			b.WriteByte(s[i])
		default:
			b.WriteByte(s[i])
		}
	}
	return token{}, 0, invalid(start, "unterminated string")
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '_' || c == '.' || c == '-'
}

// validPath reports whether p is a dotted attribute path: names of
// [A-Za-z_][A-Za-z0-9_]* separated by single dots.
func validPath(p string) bool {
	for name := range strings.SplitSeq(p, ".") {
		if name == "" || '0' <= name[0] && name[0] <= '9' || strings.Contains(name, "-") {
			return false
		}
	}
	return true
}

// isInteger reports whether w is an optionally negative run of decimal digits.
func isInteger(w string) bool {
	digits := strings.TrimPrefix(w, "-")
	return digits != "" && strings.Trim(digits, "0123456789") == ""
}
