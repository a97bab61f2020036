package identitycenter

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/keyward/keyward/internal/errs"
)

// FuzzAccessControlAttribute checks that no key and source panic the
// validator, that every refusal is a client error, and that what it
// accepts is a key of 1 to 128 characters and a known ${path:...}, whose
// session tags then keep STS's lengths.
func FuzzAccessControlAttribute(f *testing.F) {
	f.Add("dept", "${path:enterprise.department}")
	f.Add("email", "${path:emails[primary eq true].value}")
	f.Add("", "${path:userName}")
	f.Add("k", "${path:")
	f.Add("k", "${path:userName}}")
	f.Fuzz(func(t *testing.T, key, source string) {
		c := AccessControlConfig{Attributes: []AccessControlAttribute{{Key: key, Source: source}}}
		err := c.Validate()
		if err != nil {
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("refusal %v is not Invalid", err)
			}
			return
		}
		if n := utf8.RuneCountInString(key); n < 1 || n > 128 || !strings.HasPrefix(source, "${path:") {
			t.Fatalf("accepted key %q with source %q", key, source)
		}
		u := User{Profile: Profile{UserName: strings.Repeat("u", 300), Title: source}}
		for _, tag := range c.SessionTags(u, map[string]string{key: source}) {
			if n := utf8.RuneCountInString(tag.Value); n > 256 {
				t.Fatalf("tag %q has a value of %d characters", tag.Key, n)
			}
		}
	})
}

// FuzzPolicyRef checks that no reference panics the validator and that
// one it accepts makes an ARN of its name and path.
func FuzzPolicyRef(f *testing.F) {
	f.Add("Deploy", "/ci/")
	f.Add("Deploy", "")
	f.Add("a b", "ci")
	f.Fuzz(func(t *testing.T, name, path string) {
		r := PolicyRef{Name: name, Path: path}
		if err := r.Validate(); err != nil {
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("refusal %v is not Invalid", err)
			}
			return
		}
		if arn := r.ARN("111122223333"); !strings.HasSuffix(arn, r.NormalPath()+name) || strings.ContainsAny(name, "/ ") {
			t.Fatalf("accepted %q %q as %s", name, path, arn)
		}
	})
}
