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

// TestALoginOrEmailWithAnInvisibleCharacterIsRefused: a no-break space
// pasted from a spreadsheet, or a zero-width space, makes a login that
// looks like another person's and that nobody can type; Okta's email
// pattern refuses them, and so does the schema.
func TestALoginOrEmailWithAnInvisibleCharacterIsRefused(t *testing.T) {
	ok := Profile{"login": "alice@example.com", "email": "alice@example.com", "firstName": "A", "lastName": "L"}
	if err := (Schema{}).Validate(ok); err != nil {
		t.Fatalf("a plain profile is refused: %v", err)
	}
	for _, bad := range []string{"alice@example.com\u00a0", "ali\u200bce@example.com", "alice@exa\u200dmple.com",
		"alice\u2028@example.com", "alice@example.com\u3000", "\u202ealice@example.com", "ali\u0085ce@example.com"} {
		for _, attr := range []string{"login", "email"} {
			p := ok.Merge(Profile{attr: bad})
			causes := Causes((Schema{}).Validate(p))
			if len(causes) != 1 || causes[0][:len(attr)+1] != attr+":" {
				t.Errorf("%s %q: causes %q, want it refused", attr, bad, causes)
			}
		}
	}
}
