package picker

import (
	"context"
	"strings"
	"testing"
)

var roles = []string{"dev / Admin", "dev / ReadOnly", "prod / ReadOnly"}

func TestNumberedListWithoutATerminal(t *testing.T) {
	for _, c := range []struct {
		name, typed string
		want        int
		err         string
	}{
		{"a number chooses its item", "2\n", 1, ""},
		{"an item's exact text chooses it", "prod / ReadOnly\n", 2, ""},
		{"a number out of range is refused", "4\n", 0, "4 is not between 1 and 3"},
		{"other text is refused", "staging\n", 0, `"staging" is neither a number nor one of the choices`},
		{"an empty answer cancels", "\n", 0, ErrCancelled.Error()},
		{"end of input cancels", "", 0, ErrCancelled.Error()},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out strings.Builder
			got, err := Pick(context.Background(), "Role:", roles, strings.NewReader(c.typed), &out, false)
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("got %d, %v; want %d", got, err, c.want)
			}
			if !strings.Contains(out.String(), "   2) dev / ReadOnly\n") {
				t.Errorf("the list does not number the items:\n%s", out.String())
			}
		})
	}
}

func TestNothingToChooseFrom(t *testing.T) {
	if _, err := Pick(context.Background(), "Role:", nil, strings.NewReader("1\n"), &strings.Builder{}, false); err == nil {
		t.Error("an empty list picked something")
	}
}
