package iam

import (
	"regexp"
	"strings"

	"github.com/keyward/keyward/internal/errs"
)

// Tag limits on roles and policies (Tag, in session.go), as IAM enforces them.
const (
	MaxTags        = 50
	MaxTagKeyLen   = 128
	MaxTagValueLen = 256
)

var tagRe = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// ValidateTags checks each tag's key and value and that no key repeats
// (case-insensitively, as IAM compares them). field is the request's
// member name, e.g. "tags".
func ValidateTags(field string, tags []Tag) error {
	if len(tags) > MaxTags {
		return Invalid(field, "", "Member must have length less than or equal to 50")
	}
	seen := map[string]bool{}
	for _, t := range tags {
		if err := ValidateTag(field, t); err != nil {
			return err
		}
		k := strings.ToLower(t.Key)
		if seen[k] {
			return errs.E(errs.Invalid, "Duplicate tag keys found. Please note that Tag keys are case insensitive.").WithCode("InvalidInput")
		}
		seen[k] = true
	}
	return nil
}

// ValidateTag checks one tag's key and value against IAM's and STS's
// model: 1 to 128 characters of key and at most 256 of value, counted in
// characters (not bytes), of letters, digits, spaces and _.:/=+-@.
func ValidateTag(field string, t Tag) error {
	switch {
	case t.Key == "":
		return Invalid(field+".member.key", t.Key, "Member must have length greater than or equal to 1")
	case len([]rune(t.Key)) > MaxTagKeyLen:
		return Invalid(field+".member.key", t.Key, "Member must have length less than or equal to 128")
	case !tagRe.MatchString(t.Key):
		return Invalid(field+".member.key", t.Key, `Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`)
	case len([]rune(t.Value)) > MaxTagValueLen:
		return Invalid(field+".member.value", t.Value, "Member must have length less than or equal to 256")
	case !tagRe.MatchString(t.Value):
		return Invalid(field+".member.value", t.Value, `Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]*`)
	}
	return nil
}

// MergeTags adds or replaces add's tags in tags (keys compare
// case-insensitively; a replaced tag keeps the new key's spelling) and
// refuses a result of more than MaxTags.
func MergeTags(tags, add []Tag) ([]Tag, error) {
	out := append([]Tag(nil), tags...)
	for _, t := range add {
		i := indexTag(out, t.Key)
		if i < 0 {
			out = append(out, t)
			continue
		}
		out[i] = t
	}
	if len(out) > MaxTags {
		return nil, errs.E(errs.Invalid, "The number of tags has reached the maximum limit.").WithCode("LimitExceeded")
	}
	return out, nil
}

// RemoveTags drops the tags with keys (case-insensitively); absent keys are
// ignored, as IAM ignores them.
func RemoveTags(tags []Tag, keys []string) []Tag {
	var out []Tag
	for _, t := range tags {
		drop := false
		for _, k := range keys {
			drop = drop || strings.EqualFold(k, t.Key)
		}
		if !drop {
			out = append(out, t)
		}
	}
	return out
}

func indexTag(tags []Tag, key string) int {
	for i, t := range tags {
		if strings.EqualFold(t.Key, key) {
			return i
		}
	}
	return -1
}

// Invalid is IAM's ValidationError for one member: "1 validation error
// detected: Value 'v' at 'field' failed to satisfy constraint: constraint".
func Invalid(field, value, constraint string) *errs.Error {
	return errs.E(errs.Invalid, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s",
		clip(value), field, constraint).WithCode("ValidationError")
}

// clip keeps an echoed value short.
func clip(s string) string {
	if r := []rune(s); len(r) > 128 {
		return string(r[:128]) + "..."
	}
	return s
}
