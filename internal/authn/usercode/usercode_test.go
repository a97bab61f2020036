package usercode_test

import (
	"bytes"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/authn/usercode"
)

func TestNewDrawsNormalizedCodesFromTheAlphabet(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		code := usercode.New(rand.Reader)
		if got, ok := usercode.Normalize(code); !ok || got != code {
			t.Fatalf("New gave %q, which normalizes to %q %v", code, got, ok)
		}
		seen[code] = true
	}
	if len(seen) < 199 {
		t.Errorf("200 draws gave %d distinct codes", len(seen))
	}
}

func TestNewPanicsWhenTheRandomSourceFails(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New returned a code from an empty random source")
		}
	}()
	usercode.New(bytes.NewReader(nil))
}

func TestFormatShowsTwoGroupsOfFour(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"a normalized code is split with a dash", "BCDFGHJK", "BCDF-GHJK"},
		{"anything else is shown as it is", "BCD", "BCD"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := usercode.Format(c.in); got != c.want {
				t.Errorf("Format(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestNormalizeReadsWhatPeopleType(t *testing.T) {
	for _, c := range []struct {
		name, typed, want string
		ok                bool
	}{
		{"the code as shown", "BCDF-GHJK", "BCDFGHJK", true},
		{"lower case", "bcdf-ghjk", "BCDFGHJK", true},
		{"spaces instead of the dash", " bcdf ghjk ", "BCDFGHJK", true},
		{"no separator", "BCDFGHJK", "BCDFGHJK", true},
		{"a vowel, which no code has", "BCDF-GHJA", "", false},
		{"a digit", "BCDF-GHJ1", "", false},
		{"one letter short", "BCDF-GHJ", "BCDFGHJ", false},
		{"one letter too many", "BCDF-GHJKL", "BCDFGHJKL", false},
		{"a long s, which Unicode uppercases to S, reads as S", "BCDF-GHJſ", "BCDFGHJS", true},
		{"a Kelvin sign, which does not uppercase to K", "BCDF-GHJ\u212a", "", false},
		{"longer than 32 characters, even of dashes", strings.Repeat("-", 33) + "BCDFGHJK", "", false},
		{"empty", "", "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := usercode.Normalize(c.typed)
			if ok != c.ok || (ok && got != c.want) {
				t.Errorf("Normalize(%q) = %q %v, want %q %v", c.typed, got, ok, c.want, c.ok)
			}
		})
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"BCDF-GHJK", "bcdf ghjk", "BCDFGHJKL", "AEIOU", "ſſſſſſſſ", "", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		code, ok := usercode.Normalize(typed)
		if !ok {
			return
		}
		if len(code) != usercode.Len || strings.Trim(code, usercode.Alphabet) != "" {
			t.Fatalf("Normalize(%q) accepted %q", typed, code)
		}
		if again, ok := usercode.Normalize(usercode.Format(code)); !ok || again != code {
			t.Fatalf("the shown code %q reads back as %q %v", usercode.Format(code), again, ok)
		}
	})
}
