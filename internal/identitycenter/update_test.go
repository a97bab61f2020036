package identitycenter

import (
	"encoding/json"
	"testing"

	"github.com/keyward/keyward/internal/errs"
)

func TestApplyUserUpdate(t *testing.T) {
	cases := []struct {
		name, path, value string
		check             func(Profile) bool
		wantErr           bool
	}{
		{"a top-level string is replaced", "displayName", `"Alice A."`, func(p Profile) bool { return p.DisplayName == "Alice A." }, false},
		{"paths ignore case", "DISPLAYNAME", `"X"`, func(p Profile) bool { return p.DisplayName == "X" }, false},
		{"a name part is replaced alone", "name.givenName", `"Ally"`, func(p Profile) bool { return p.Name.GivenName == "Ally" && p.Name.FamilyName == "Smith" }, false},
		{"the whole name is replaced", "name", `{"GivenName":"A","FamilyName":"B"}`, func(p Profile) bool { return p.Name == Name{GivenName: "A", FamilyName: "B"} }, false},
		{"null clears a value", "nickName", `null`, func(p Profile) bool { return p.NickName == "" }, false},
		{"emails are replaced", "emails", `[{"Value":"a@x.io","Primary":true}]`, func(p Profile) bool { return p.PrimaryEmail() == "a@x.io" }, false},
		{"an unknown path is refused", "shoeSize", `"42"`, nil, true},
		{"a wrong type is refused", "displayName", `42`, nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := Profile{UserName: "alice", DisplayName: "Alice", NickName: "al", Name: Name{GivenName: "Alice", FamilyName: "Smith"}}
			err := ApplyUserUpdate(&p, c.path, json.RawMessage(c.value))
			if c.wantErr {
				if !errs.Is(err, errs.Invalid) {
					t.Fatalf("err = %v, want an Invalid error", err)
				}
				return
			}
			if err != nil || !c.check(p) {
				t.Fatalf("err = %v, profile = %+v", err, p)
			}
		})
	}
}
