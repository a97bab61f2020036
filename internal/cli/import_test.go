package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/app"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/config"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// idpState is what an import may change, read straight from the store.
type idpState struct {
	users  map[string]directory.User // by login
	groups map[string][]string       // login → group names
	events int
}

func readIdP(t testing.TB, dir string) idpState {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = dir
	db, err := app.OpenExistingStore(context.Background(), cfg, clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := db.(interface{ IdP() store.IdP }).IdP()
	ctx := context.Background()
	st := idpState{users: map[string]directory.User{}, groups: map[string][]string{}}
	for p := (store.Page{Limit: 200}); ; {
		users, next, err := s.ListUsers(ctx, store.UserQuery{}, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range users {
			st.users[u.Login()] = u
			gs, err := s.UserGroups(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range gs {
				st.groups[u.Login()] = append(st.groups[u.Login()], g.Name)
			}
		}
		if p.Token = next; next == "" {
			break
		}
	}
	for p := (store.Page{Limit: 500}); ; {
		events, next, err := db.ListEvents(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		st.events += len(events)
		if p.Token = next; next == "" {
			break
		}
	}
	return st
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

const peopleCSV = `login,email,firstName,lastName,title,groups,activate,password
alice@example.com,alice@example.com,Alice,Liddell,Engineer,Engineering;Everyone-Else,,
bob@example.com,bob@example.com,Bob,Builder,,Engineering,true,Correct-Horse-42
"carol@example.com",carol@example.com,Carol,"Danvers, PhD",Pilot,,TRUE,
`

const peopleJSON = `[
 {"profile": {"login": "alice@example.com", "email": "alice@example.com", "firstName": "Alice",
   "lastName": "Liddell", "title": "Engineer"}, "groups": ["Engineering", "Everyone-Else"]},
 {"profile": {"login": "bob@example.com", "email": "bob@example.com", "firstName": "Bob",
   "lastName": "Builder"}, "groups": ["Engineering"], "activate": true, "password": "Correct-Horse-42"},
 {"profile": {"login": "carol@example.com", "email": "carol@example.com", "firstName": "Carol",
   "lastName": "Danvers, PhD", "title": "Pilot"}, "activate": true}
]`

func TestImportCreatesUsersGroupsAndMemberships(t *testing.T) {
	for name, file := range map[string]struct{ name, content string }{
		"from a CSV file":   {"people.csv", peopleCSV},
		"from a JSON file":  {"people.json", peopleJSON},
		"from CSV on stdin": {"-", peopleCSV},
	} {
		t.Run(name, func(t *testing.T) {
			dir := served(t)
			before := readIdP(t, dir)
			args := []string{"admin", "import", "--data-dir", dir}
			stdin := ""
			if file.name == "-" {
				args, stdin = append(args, "-", "--format", "csv"), file.content
			} else {
				args = append(args, writeFile(t, file.name, file.content))
			}
			code, out, errOut := run(t, stdin, nil, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if !strings.HasPrefix(out, "imported: 3 created, 0 updated, 3 memberships added, 2 groups created, 0 unchanged in ") {
				t.Errorf("summary: %q", out)
			}
			if strings.Contains(out+errOut, "Correct-Horse-42") {
				t.Error("the password was echoed")
			}
			after := readIdP(t, dir)
			if len(after.users) != len(before.users)+3 {
				t.Fatalf("%d users, want %d", len(after.users), len(before.users)+3)
			}
			checkUser(t, after, "alice@example.com", directory.Staged, "Engineer", "Engineering,Everyone-Else")
			checkUser(t, after, "bob@example.com", directory.Active, "", "Engineering")
			checkUser(t, after, "carol@example.com", directory.Provisioned, "Pilot", "")
			if !after.users["bob@example.com"].Password.Set() || after.users["alice@example.com"].Password.Set() {
				t.Error("only bob should have a password")
			}
			if h := after.users["bob@example.com"].Password.Hash; !strings.HasPrefix(h, "$argon2id$") {
				t.Errorf("bob's password is stored as %q", h)
			}
			if got := after.users["carol@example.com"].Profile.String("lastName"); got != "Danvers, PhD" {
				t.Errorf("a quoted cell read as %q", got)
			}
		})
	}
}

func checkUser(t *testing.T, st idpState, login string, status directory.Status, title, groups string) {
	t.Helper()
	u, ok := st.users[login]
	if !ok {
		t.Fatalf("no user %s", login)
	}
	if u.Status != status || u.Profile.String("title") != title || strings.Join(st.groups[login], ",") != groups {
		t.Errorf("%s: %s, title %q, groups %v; want %s, %q, %s", login, u.Status, u.Profile.String("title"),
			st.groups[login], status, title, groups)
	}
}

func TestImportingTheSameFileTwiceChangesNothingTheSecondTime(t *testing.T) {
	for _, file := range []string{"people.csv", "people.json"} {
		t.Run("with "+file, func(t *testing.T) {
			dir := served(t)
			content := peopleCSV
			if strings.HasSuffix(file, ".json") {
				content = peopleJSON
			}
			path := writeFile(t, file, content)
			if code, _, errOut := run(t, "", nil, "admin", "import", "--data-dir", dir, path); code != 0 {
				t.Fatalf("first run: exit %d: %s", code, errOut)
			}
			before := readIdP(t, dir)
			code, out, errOut := run(t, "", nil, "admin", "import", "--data-dir", dir, path)
			if code != 0 {
				t.Fatalf("second run: exit %d: %s", code, errOut)
			}
			if !strings.HasPrefix(out, "imported: 0 created, 0 updated, 0 memberships added, 0 groups created, 3 unchanged") {
				t.Errorf("summary: %q", out)
			}
			if after := readIdP(t, dir); after.events != before.events {
				t.Errorf("the second run wrote %d events", after.events-before.events)
			}
		})
	}
}

func TestImportRefusesAFileWithABadRowAndChangesNothing(t *testing.T) {
	cases := map[string]struct {
		name, content string
		want          []string
	}{
		"CSV": {"bad.csv", `login,email,firstName,lastName,shoeSize,groups,password
ok@example.com,ok@example.com,Ok,Fine,,Engineering,
dup@example.com,not-an-email,Dee,Up,,,
DUP@example.com,dup@example.com,Dee,Up,,,
short@example.com,short@example.com,Shorty,Pass,,,abc
,nobody@example.com,No,Login,,,
`, []string{
			"line 1: shoeSize: unknown column",
			"line 3: email: Does not match required pattern",
			"line 4: login: DUP@example.com is also on line 3",
			"line 5: password: Password requirements were not met",
			"line 6: login: The field cannot be left blank",
		}},
		"JSON": {"bad.json", `[
 {"profile": {"login": "ok@example.com", "email": "ok@example.com", "firstName": "Ok", "lastName": "Fine"}},
 {"profile": {"login": "bad@example.com", "email": "nope", "firstName": "B", "lastName": "Ad"}},
 {"profile": {"login": "x@example.com"}, "groupz": ["Engineering"]},
 {"profile": {"login": "OK@example.com", "email": "ok@example.com", "firstName": "Ok", "lastName": "Fine"}},
 {"profile": {"login": "p@example.com", "email": "p@example.com", "firstName": "Pat", "lastName": "Smith"}, "password": "short"},
 {"profile": {"email": "m@example.com", "firstName": "M", "lastName": "Issing"}}
]`, []string{
			"record 1: email: Does not match required pattern",
			"record 2: groupz: unknown field",
			"record 3: login: OK@example.com is also on record 0",
			"record 4: password: Password requirements were not met",
			"record 5: login: The field cannot be left blank",
		}},
	}
	for name, c := range cases {
		t.Run("in "+name, func(t *testing.T) {
			dir := served(t)
			before := readIdP(t, dir)
			code, out, errOut := run(t, "", nil, "admin", "import", "--data-dir", dir, writeFile(t, c.name, c.content))
			if code == 0 {
				t.Fatalf("exit 0: %s", out)
			}
			for _, want := range c.want {
				if !strings.Contains(errOut, want) {
					t.Errorf("the errors do not say %q:\n%s", want, errOut)
				}
			}
			if strings.Contains(errOut, "line 2:") || strings.Contains(errOut, "record 0:") {
				t.Errorf("a good row was reported:\n%s", errOut)
			}
			after := readIdP(t, dir)
			if len(after.users) != len(before.users) || after.events != before.events {
				t.Errorf("users %d → %d, events %d → %d", len(before.users), len(after.users), before.events, after.events)
			}
		})
	}
}

func TestImportDryRunPrintsThePlanAndWritesNothing(t *testing.T) {
	dir := served(t)
	if code, _, errOut := run(t, "", nil, "admin", "import", "--data-dir", dir,
		writeFile(t, "first.csv", "login,email,firstName,lastName,groups\nbob@example.com,bob@example.com,Bob,B,\n")); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	before := readIdP(t, dir)
	file := writeFile(t, "next.csv", `login,email,firstName,lastName,title,department,groups
alice@example.com,alice@example.com,Alice,A,,,Contractors
bob@example.com,,,,Builder,Construction,Engineering
`)
	code, out, errOut := run(t, "", nil, "admin", "import", "--data-dir", dir, "--dry-run", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := `create group Contractors
create group Engineering
create alice@example.com
add alice@example.com to Contractors
update bob@example.com: title, department
add bob@example.com to Engineering
1 to create, 1 to update, 2 memberships to add, 2 groups to create, 0 unchanged
`
	if out != want {
		t.Errorf("dry run printed:\n%s\nwant:\n%s", out, want)
	}
	after := readIdP(t, dir)
	if len(after.users) != len(before.users) || after.events != before.events {
		t.Errorf("the dry run wrote: users %d → %d, events %d → %d", len(before.users), len(after.users), before.events, after.events)
	}
}

func TestImportUpdatesOnlyTheAttributesARowGives(t *testing.T) {
	dir := served(t)
	if code, _, errOut := run(t, "", nil, "admin", "import", "--data-dir", dir, writeFile(t, "people.csv", peopleCSV)); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	before := readIdP(t, dir)
	code, out, errOut := run(t, "", nil, "admin", "import", "--data-dir", dir,
		writeFile(t, "titles.csv", "login,firstName,title,department\nALICE@example.com,,Principal Engineer,R&D\n"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(out, "imported: 0 created, 1 updated, 0 memberships added, 0 groups created, 0 unchanged") {
		t.Errorf("summary: %q", out)
	}
	after := readIdP(t, dir)
	old, now := before.users["alice@example.com"], after.users["alice@example.com"]
	want := old.Profile.Merge(directory.Profile{"title": "Principal Engineer", "department": "R&D"})
	if !same(now.Profile, want) {
		t.Errorf("profile %v, want %v", now.Profile, want)
	}
	if now.Status != old.Status || strings.Join(after.groups["alice@example.com"], ",") != "Engineering,Everyone-Else" {
		t.Errorf("status %s, groups %v changed", now.Status, after.groups["alice@example.com"])
	}
	if after.events != before.events+1 {
		t.Errorf("%d events written, want 1 (the profile update)", after.events-before.events)
	}
}

func same(a, b directory.Profile) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b.String(k) != (directory.Profile{k: v}).String(k) {
			return false
		}
	}
	return true
}

func TestImportNeedsAFormatItKnows(t *testing.T) {
	dir := served(t)
	for _, args := range [][]string{{"-"}, {"people.txt"}, {"-", "--format", "xml"}} {
		code, _, errOut := run(t, "", nil, append([]string{"admin", "import", "--data-dir", dir}, args...)...)
		if code == 0 || !strings.Contains(errOut, "format") && !strings.Contains(errOut, ".csv or .json") {
			t.Errorf("%v: exit %d: %s", args, code, errOut)
		}
	}
}
