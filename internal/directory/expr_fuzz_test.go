package directory

import (
	"testing"

	"github.com/keyward/keyward/internal/errs"
)

var fuzzGrammars = []Grammar{UserFilter(), UserSearch(), GroupFilter(), GroupSearch(), LogFilter()}

var fuzzRecords = []Record{
	nil,
	rec{},
	rec{
		"status": "ACTIVE", "id": "00u1", "lastUpdated": "2014-01-01T00:00:00Z", "published": "not a time",
		"profile.login": "Isaac.Brock@example.com", "profile.lastName": "Smith", "profile.age": "42",
		"eventType": "user.session.start", "a": "\xff", "b": "",
	},
	multi{"target.id": {"00u1", "00g2"}, "published": {"2020-01-01T00:00:00.5+02:00"}, "a": {"", "x"}},
}

// FuzzParse checks that Parse never panics, refuses with errs.Invalid only,
// refuses anything longer than MaxExprBytes, and that what it accepts matches
// records without panicking and survives a round trip through String.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`profile.department eq "Engineering"`,
		`status eq "ACTIVE" and (profile.lastName sw "S" or profile.firstName co "an")`,
		`lastUpdated gt "2013-06-01T00:00:00.000Z"`,
		`profile.email pr`,
		`(status lt "STAGED" or status gt "STAGED")`,
		`profile.department EQ "Engineering"`,
		`profile.nickname eq "say \"hi\" \\o/"`,
		`target.id ne "00g2" or published ge "2020-01-01T00:00:00Z"`,
		`profile.age gt -9 and profile.admin eq true`,
		`(((a pr)))`, `a eq`, `"x`, `a eq "x")`, "a eq \"\x00\"",
	} {
		for i := range fuzzGrammars {
			f.Add(s, uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, s string, which uint8) {
		g := fuzzGrammars[int(which)%len(fuzzGrammars)]
		e, err := Parse(s, g)
		if err != nil {
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("Parse(%q) error %v is not errs.Invalid", s, err)
			}
			return
		}
		if len(s) > MaxExprBytes {
			t.Fatalf("Parse accepted %d bytes", len(s))
		}
		canon := e.String()
		if len(canon) > MaxExprBytes {
			return
		}
		again, err := Parse(canon, g)
		if err != nil {
			t.Fatalf("Parse(%q) succeeded but its canonical form %q fails: %v", s, canon, err)
		}
		if again.String() != canon {
			t.Fatalf("canonical form %q parses to %q", canon, again.String())
		}
		for _, r := range fuzzRecords {
			if e.Match(r) != again.Match(r) {
				t.Fatalf("%q and its canonical form %q disagree on %v", s, canon, r)
			}
		}
	})
}
