package identitycenter

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/keyward/keyward/internal/errs"
)

// The character classes of AWS's text fields, from the botocore models.
// None admits control characters other than tab, newline and carriage
// return, nor format characters (unicode.Cf: bidi overrides such as U+202E,
// zero-width U+200B..U+200D, U+2060, U+FEFF), which let a name display as
// something other than what it is.
var (
	// identityText is the identity store's SensitiveStringType:
	// [\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r \u00a0\u3000]+
	identityText = visibleOr("\t\n\r \u00a0\u3000")
	// groupDisplayName is GroupDisplayName: the same without U+3000.
	groupDisplayName = visibleOr("\t\n\r \u00a0")
	// printableASCII is Organizations' CreateAccountName: [\u0020-\u007E]+
	printableASCII = func(r rune) bool { return ' ' <= r && r <= '~' }
)

// visibleOr accepts letters, marks, symbols, numbers and punctuation, and
// the runes in extra.
func visibleOr(extra string) func(rune) bool {
	return func(r rune) bool {
		return unicode.In(r, unicode.L, unicode.M, unicode.S, unicode.N, unicode.P) ||
			strings.ContainsRune(extra, r)
	}
}

// checkChars refuses value, the content of field, unless it is valid UTF-8
// made only of runes allowed accepts. The error names the field and the
// first offending rune, so the client knows what to fix; nothing is
// rewritten.
func checkChars(field, value string, allowed func(rune) bool) *errs.Error {
	if !utf8.ValidString(value) {
		return errs.E(errs.Invalid, "%s: must be valid UTF-8", field)
	}
	n := 0
	for _, r := range value {
		n++
		if !allowed(r) {
			return errs.E(errs.Invalid, "%s: must not contain %s (found U+%04X at character %d)", field, kindOf(r), r, n)
		}
	}
	return nil
}

// kindOf names the class of a refused rune for an error message.
func kindOf(r rune) string {
	switch {
	case unicode.IsControl(r):
		return "control characters"
	case unicode.Is(unicode.Cf, r):
		return "invisible format characters (bidi overrides, zero-width spaces)"
	case unicode.IsSpace(r):
		return "this kind of space"
	}
	return fmt.Sprintf("the character %q", r)
}
