package iam

import (
	"regexp"
	"strings"
	"testing"
)

// globRegexp is glob's reference: the same pattern as a regular expression.
func globRegexp(pattern string, fold bool) *regexp.Regexp {
	var b strings.Builder
	if fold {
		b.WriteString("(?i)")
	}
	b.WriteString(`(?s)^`)
	for _, r := range pattern {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		case litStar:
			b.WriteString(`\*`)
		case litQuestion:
			b.WriteString(`\?`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

func TestGlob(t *testing.T) {
	for _, c := range []struct {
		pattern, s string
		fold, want bool
	}{
		{"", "", false, true},
		{"", "a", false, false},
		{"*", "", false, true},
		{"**", "abc", false, true},
		{"a*b*c", "aXbYbZc", false, true},
		{"a*b*c", "aXbYbZ", false, false},
		{"a?c", "abc", false, true},
		{"a?c", "ac", false, false},
		{"*Role", "iam:DeleteRole", false, true},
		{"iam:delete*", "IAM:DeleteRole", true, true},
		{"iam:delete*", "IAM:DeleteRole", false, false},
		{"x" + string(rune(litStar)), "x*", false, true},
		{"x" + string(rune(litStar)), "xy", false, false},
		{"x" + string(rune(litQuestion)), "x?", false, true},
	} {
		if got := glob(c.pattern, c.s, c.fold); got != c.want {
			t.Errorf("glob(%q, %q, fold %v) = %v, want %v", c.pattern, c.s, c.fold, got, c.want)
		}
	}
}

func TestMatchARN(t *testing.T) {
	for _, c := range []struct {
		pattern, arn string
		want         bool
	}{
		{"*", "anything", true},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/k/l", true},
		{"arn:aws:s3:::b*", "arn:aws:s3:::b/k", true},
		{"arn:aws:*:role/X", "arn:aws:iam::1:role/X", false},
		{"arn:aws:iam::*", "arn:aws:iam::1:role/X", true},
		{"arn:aws:iam::1:role/X", "arn:aws:iam::1", false},
		{"arn:*:iam::1:role/X", "arn:aws:iam::1:role/X", true},
		{"arn:aws:iam::1:*", "*", false},
		{"*:*", "a:b", true},
	} {
		if got := matchARN(c.pattern, c.arn); got != c.want {
			t.Errorf("matchARN(%q, %q) = %v, want %v", c.pattern, c.arn, got, c.want)
		}
	}
}

// FuzzGlob checks glob against a regular expression built from the same
// pattern.
func FuzzGlob(f *testing.F) {
	f.Add("a*b?c", "aXXbYc", false)
	f.Add("iam:*Role", "IAM:deleterole", true)
	f.Add("*\x00*", "a*b", false)
	f.Fuzz(func(t *testing.T, pattern, s string, fold bool) {
		// glob works on bytes and folds ASCII only; policy text is ASCII.
		if len(pattern) > 64 || len(s) > 256 || !ascii(pattern) || !ascii(s) {
			return
		}
		if got, want := glob(pattern, s, fold), globRegexp(pattern, fold).MatchString(s); got != want {
			t.Fatalf("glob(%q, %q, fold %v) = %v, the regexp says %v", pattern, s, fold, got, want)
		}
	})
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
