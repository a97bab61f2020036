package oktaapi

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/directory"
)

// searchUsers are the users a fuzzed expression is matched against.
var searchUsers = []directory.User{
	{ID: "00u0000000000000000a", Status: directory.Active, Created: time.Unix(1.7e9, 0), LastUpdated: time.Unix(1.7e9, 0),
		Profile: directory.Profile{"login": "alice@example.com", "email": "alice@example.com", "firstName": "Alice",
			"lastName": "Liddell", "department": "Sales", "contractor": true, "level": json.Number("3"), "badges": []any{"a", "b"}}},
	{ID: "00u0000000000000000b", Status: directory.Deprovisioned, Profile: directory.Profile{"login": "b@example.com"}},
	{},
}

// FuzzUserSearch runs q, filter and search through userQuery, and each
// expression it accepts over a few users.
func FuzzUserSearch(f *testing.F) {
	for _, s := range []string{
		`profile.department eq "Sales"`, `status eq "ACTIVE" and profile.email eq "alice@example.com"`,
		`profile.lastName sw "Lid" or (profile.firstName co "li" and not (id eq "x"))`, `profile.contractor eq true`,
		`lastUpdated gt "2024-01-01T00:00:00.000Z"`, `profile.level ge 2`, `profile.badges eq "a"`, `profile.nickName pr`,
		`(((`, `profile.department ne "x"`, `"unterminated`, `status eq`, `profile. eq "x"`, `a eq "\u0000"`,
	} {
		f.Add("", s, "")
		f.Add("", "", s)
		f.Add(s, "", "")
	}
	f.Fuzz(func(t *testing.T, q, filter, search string) {
		uq, _, err := userQuery(q, filter, search)
		wantInvalid(t, "users", err)
		if err == nil {
			for _, u := range searchUsers {
				uq.Keep(u)
			}
		}
		gkeep, _, err := groupQuery(q, filter, search)
		wantInvalid(t, "groups", err)
		if err == nil {
			gkeep(directory.Group{ID: "00g0000000000000000a", Type: directory.OktaGroup, Name: "Sales", Description: "Sells"})
		}
	})
}
