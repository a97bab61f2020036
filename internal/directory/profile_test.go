package directory

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestTextsAreWhatSearchComparesAfterARoundTrip(t *testing.T) {
	p := Profile{"s": "Sales", "n": json.Number("42.50"), "f": 42.5, "b": true,
		"l": []any{"Ops", json.Number("7"), []any{"deep"}}, "null": nil}
	for name, want := range map[string][]string{
		"s": {"Sales"}, "n": {"42.5"}, "f": {"42.5"}, "b": {"true"},
		"l": {"Ops", "7", "deep"}, "null": nil, "absent": nil,
	} {
		if got := p.Texts(name); !reflect.DeepEqual(got, want) {
			t.Errorf("Texts(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestLoginsDifferingInUnicodeFormAreOneLogin: a login is looked up and
// kept unique by its normalized form, so the same text in composed and
// decomposed form (and any case) is one login.
func TestLoginsDifferingInUnicodeFormAreOneLogin(t *testing.T) {
	composed, decomposed := "Jos\u00e9@example.com", "jose\u0301@EXAMPLE.com"
	if NormalizeLogin(composed) != NormalizeLogin(decomposed) {
		t.Fatalf("%q and %q normalize to %q and %q", composed, decomposed, NormalizeLogin(composed), NormalizeLogin(decomposed))
	}
}
