package directory

import (
	_ "embed"
	"fmt"
	"strings"
	"unicode/utf8"
)

// PasswordPolicy is the password complexity rule. History is checked by
// the caller, which holds the hasher.
type PasswordPolicy struct {
	MinLength int // characters
	History   int // how many previous passwords may not be reused
}

// DefaultPasswordPolicy is Okta's default: at least 8 characters, not the
// last 4 passwords.
var DefaultPasswordPolicy = PasswordPolicy{MinLength: 8, History: 4}

// MaxPasswordBytes bounds what is hashed.
const MaxPasswordBytes = 256

//go:embed common-passwords.txt
var commonList string

var common = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range strings.Fields(commonList) {
		m[p] = true
	}
	return m
}()

// Check refuses a password that is too short or too long, contains the
// person's login name or first or last name, or is a commonly used
// password. The error is errs.Invalid with Reason ReasonValidation and
// Okta's wording of the rule broken.
func (p PasswordPolicy) Check(pw string, u User) error {
	lower := strings.ToLower(pw)
	switch {
	case !utf8.ValidString(pw) || strings.ContainsRune(pw, 0):
		return passwordError("Password must be valid text")
	case utf8.RuneCountInString(pw) < p.MinLength:
		return passwordError("Password requirements were not met. Password requirements: at least %d characters.", p.MinLength)
	case len(pw) > MaxPasswordBytes:
		return passwordError("Password requirements were not met. Password requirements: at most %d bytes.", MaxPasswordBytes)
	case common[lower]:
		return passwordError("Password requirements were not met. Password requirements: not a commonly used password.")
	}
	for _, part := range personalParts(u) {
		if len(part) >= 3 && strings.Contains(lower, part) {
			return passwordError("Password requirements were not met. Password requirements: no parts of your username or name.")
		}
	}
	return nil
}

// personalParts are the lower-cased pieces of the person's login and name
// a password may not contain.
func personalParts(u User) []string {
	local, _, _ := strings.Cut(u.Login(), "@")
	parts := []string{strings.ToLower(local)}
	for _, name := range []string{"firstName", "lastName"} {
		parts = append(parts, strings.ToLower(u.Profile.String(name)))
	}
	return parts
}

func passwordError(format string, args ...any) error {
	return validationError([]string{"password: " + fmt.Sprintf(format, args...)})
}
