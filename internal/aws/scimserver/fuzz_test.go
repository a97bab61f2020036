package scimserver

import (
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/errs"
)

func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{`userName eq "bjensen"`, `id eq "a" and manager eq "b"`, `members eq "x\"y"`,
		`userName co "a"`, `a eq "b" or c eq "d"`, `(a eq "b")`, `emails[type eq "work"]`, `x eq true`, `"`, ``,
		`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager eq "m"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fs, err := parseFilter(s)
		if err != nil {
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("error %v is not errs.Invalid", err)
			}
			return
		}
		if len(fs) < 1 || len(fs) > 2 || len(s) > maxFilter {
			t.Fatalf("%q parsed to %d comparisons", s, len(fs))
		}
		for _, c := range fs {
			if c.Attr != strings.ToLower(c.Attr) || !validAttrPath(c.Attr) {
				t.Fatalf("attribute %q is not a lowercased attribute path", c.Attr)
			}
		}
	})
}

func FuzzParsePatchPath(f *testing.F) {
	for _, s := range []string{`userName`, `name.givenName`, `emails[type eq "work"].value`, `members[value eq "u"]`,
		`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`, `emails[`, `a]b[`, `.x`,
		`urn:ietf:params:scim:schemas:core:2.0:User:userName`, `emails[primary eq true]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parsePatchPath(s)
		if err != nil {
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("error %v is not errs.Invalid", err)
			}
			return
		}
		if !validName(p.Attr) || p.Sub != "" && !validName(p.Sub) {
			t.Fatalf("%q parsed to %+v", s, p)
		}
	})
}

func TestParsePatchPath(t *testing.T) {
	tests := []struct {
		in   string
		want patchPath
	}{
		{`userName`, patchPath{Attr: "username"}},
		{`name.givenName`, patchPath{Attr: "name", Sub: "givenname"}},
		{`emails[type eq "work"].value`, patchPath{Attr: "emails", Filter: &cond{Attr: "type", Value: "work"}, Sub: "value"}},
		{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`,
			patchPath{URN: schemaEnterprise, Attr: "manager", Sub: "value"}},
		{`urn:ietf:params:scim:schemas:core:2.0:User:userName`, patchPath{Attr: "username"}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parsePatchPath(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got.URN != tc.want.URN || got.Attr != tc.want.Attr || got.Sub != tc.want.Sub ||
				(got.Filter == nil) != (tc.want.Filter == nil) || got.Filter != nil && *got.Filter != *tc.want.Filter {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
	for _, bad := range []string{"", "emails[type eq \"a\"", "emails[type co \"a\"]", "a.b.c", "1abc", "emails[type eq \"a\"]x"} {
		t.Run(bad+" is invalid", func(t *testing.T) {
			if _, err := parsePatchPath(bad); !errs.Is(err, errs.Invalid) {
				t.Errorf("err = %v", err)
			}
		})
	}
}
