package organizations

import (
	"testing"
	"unicode/utf8"

	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// FuzzValidateTags checks that no tag panics the validator, that what it
// accepts keeps the model's lengths, and that every refusal is a client
// error with a Reason.
func FuzzValidateTags(f *testing.F) {
	f.Add("env", "prod")
	f.Add("aws:owner", "x")
	f.Add("", "v")
	f.Add("k", "<script>")
	f.Fuzz(func(t *testing.T, key, value string) {
		err := validateTags([]ic.Tag{{Key: key, Value: value}})
		if err == nil {
			if n := utf8.RuneCountInString(key); n < 1 || n > 128 || utf8.RuneCountInString(value) > 256 {
				t.Fatalf("accepted key %q and value %q", key, value)
			}
			return
		}
		if e, ok := errs.As(err); !ok || e.Kind == errs.Internal || e.Reason == "" {
			t.Fatalf("refusal %#v is not a client error with a Reason", err)
		}
	})
}
