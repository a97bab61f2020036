package userimport

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/directory"
)

var testSchema = directory.Schema{Custom: map[string]directory.Attribute{
	"shoeSize":  {Name: "shoeSize", Title: "Shoe size", Type: directory.TypeInteger},
	"remote":    {Name: "remote", Title: "Remote", Type: directory.TypeBoolean},
	"languages": {Name: "languages", Title: "Languages", Type: directory.TypeArray},
	"height":    {Name: "height", Title: "Height", Type: directory.TypeNumber},
}}

func problemsOf(t *testing.T, err error) []string {
	t.Helper()
	var ps Problems
	if err != nil && !errors.As(err, &ps) {
		t.Fatalf("not Problems: %v", err)
	}
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

func TestParseCSV(t *testing.T) {
	t.Run("numbers lines as the file does, counting newlines inside quotes", func(t *testing.T) {
		in := "login,lastName\na@example.com,\"two\nlines\"\n\nb@example.com,x\n"
		rows, err := Parse(strings.NewReader(in), CSV, testSchema)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0].Where != "line 2" || rows[1].Where != "line 5" {
			t.Errorf("rows at %q and %q, want line 2 and line 5", rows[0].Where, rows[1].Where)
		}
	})
	t.Run("reads custom attributes as their type and leaves empty cells out", func(t *testing.T) {
		in := "\ufefflogin,shoeSize,remote,languages,title\na@example.com,42,true,en; fr,\n"
		rows, err := Parse(strings.NewReader(in), CSV, testSchema)
		if err != nil {
			t.Fatal(err)
		}
		want := directory.Profile{"login": "a@example.com", "shoeSize": float64(42), "remote": true,
			"languages": []any{"en", "fr"}}
		if d := cmp.Diff(want, rows[0].Profile); d != "" {
			t.Errorf("profile (-want +got):\n%s", d)
		}
	})
	t.Run("names every bad cell", func(t *testing.T) {
		in := "login,shoeSize,remote,activate\na@example.com,big,maybe,perhaps\n"
		_, err := Parse(strings.NewReader(in), CSV, testSchema)
		want := []string{"line 2: shoeSize: Must be of type integer", "line 2: remote: Must be of type boolean",
			"line 2: activate: must be true or false"}
		if d := cmp.Diff(want, problemsOf(t, err)); d != "" {
			t.Errorf("problems (-want +got):\n%s", d)
		}
	})
	// A profile is stored as JSON, which has no NaN or infinity: such a cell
	// passed every check, and the import then failed while writing, after
	// creating the file's groups and earlier batches of users.
	t.Run("refuses a number that is not finite", func(t *testing.T) {
		in := "login,height\na@example.com,NaN\nb@example.com,Inf\nc@example.com,-infinity\nd@example.com,1.85\n"
		_, err := Parse(strings.NewReader(in), CSV, testSchema)
		want := []string{"line 2: height: Must be of type number", "line 3: height: Must be of type number",
			"line 4: height: Must be of type number"}
		if d := cmp.Diff(want, problemsOf(t, err)); d != "" {
			t.Errorf("problems (-want +got):\n%s", d)
		}
	})
	t.Run("refuses more than the row limit", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("login\n")
		for i := range MaxRows + 1 {
			fmt.Fprintf(&b, "u%d@example.com\n", i)
		}
		_, err := Parse(strings.NewReader(b.String()), CSV, testSchema)
		got := problemsOf(t, err)
		if len(got) != 1 || !strings.HasPrefix(got[0], fmt.Sprintf("line %d: row: more than 100000 rows", MaxRows+2)) {
			t.Errorf("problems: %v", got)
		}
	})
	t.Run("refuses a file over 16 MiB", func(t *testing.T) {
		in := "login,title\n" + strings.Repeat("a@example.com,"+strings.Repeat("x", 1000)+"\n", MaxBytes/1000)
		_, err := Parse(strings.NewReader(in), CSV, testSchema)
		got := problemsOf(t, err)
		if len(got) != 1 || !strings.HasPrefix(got[0], "input: size: more than 16777216 bytes") {
			t.Errorf("problems: %v", got)
		}
	})
}

func TestParseJSON(t *testing.T) {
	t.Run("reads records and names bad ones by index", func(t *testing.T) {
		in := `[{"profile": {"login": "a@example.com", "shoeSize": 42, "title": null}, "groups": [" Eng ", "eng"]},
			{"profile": {"login": "b@example.com"}, "activate": "yes"},
			{"profile": {"login": "c@example.com"}, "group": ["Eng"]}]`
		rows, err := Parse(strings.NewReader(in), JSON, testSchema)
		want := []string{"record 1: activate: must be true or false", "record 2: group: unknown field: want profile, groups, activate or password"}
		if d := cmp.Diff(want, problemsOf(t, err)); d != "" {
			t.Errorf("problems (-want +got):\n%s", d)
		}
		if d := cmp.Diff([]string{"login", "shoeSize"}, rows[0].Attrs); d != "" {
			t.Errorf("attributes (-want +got):\n%s", d)
		}
		if d := cmp.Diff([]string{"Eng"}, rows[0].Groups); d != "" {
			t.Errorf("groups (-want +got):\n%s", d)
		}
	})
	// A file cut short or two exports run together is not what its
	// author meant to import: it is refused, saying so. An empty or cut
	// file was refused with a bare "EOF", and whatever followed the
	// array's end was dropped while the rows before it were imported.
	t.Run("refuses a file that is empty, cut short, or goes on after the array", func(t *testing.T) {
		for in, want := range map[string]string{
			"":   "input: row: want a JSON array of objects",
			"  ": "input: row: want a JSON array of objects",
			"[":  "input: row: not well-formed JSON: the file ends inside the array",
			`[{"profile": {"login": "a@example.com"}},`:                                          "input: row: not well-formed JSON: the file ends inside the array",
			`[{"profile": {"login": "a@example.com"}}`:                                           "input: row: not well-formed JSON: the file ends inside the array",
			`[{"profile": {"login": "a@example.com"}}][{"profile": {"login": "b@example.com"}}]`: "input: row: not well-formed JSON: more follows the array",
			`[] x`: "input: row: not well-formed JSON: more follows the array",
		} {
			_, err := Parse(strings.NewReader(in), JSON, testSchema)
			if got := problemsOf(t, err); len(got) != 1 || got[0] != want {
				t.Errorf("%q: problems %q, want %q", in, got, want)
			}
		}
	})
	t.Run("wants an array", func(t *testing.T) {
		_, err := Parse(strings.NewReader(`{"profile": {}}`), JSON, testSchema)
		if got := problemsOf(t, err); len(got) != 1 || got[0] != "input: row: want a JSON array of objects" {
			t.Errorf("problems: %v", got)
		}
	})
}

// FuzzParse feeds any bytes to both formats: Parse never panics, and a
// file it takes without problems has a login on every row and no login
// twice.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"login,shoeSize,remote,languages,groups,activate,password\na@example.com,42,true,en;fr,Eng;Ops,true,Pw-123456\n",
		"\ufefflogin,height\na@example.com,NaN\n",
		"login\n\"a@example.com\nb\"\n",
		`[{"profile": {"login": "a@example.com", "shoeSize": 42}, "groups": ["Eng"], "activate": true, "password": "x"}]`,
		`[{"profile": {"login": 5}}, {"group": []}]`,
		`{"profile": {}}`,
		"",
		`[{"profile": {"login": "a@example.com"}}][]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, format := range []Format{CSV, JSON} {
			rows, err := Parse(bytes.NewReader(in), format, testSchema)
			var ps Problems
			if err != nil && !errors.As(err, &ps) {
				t.Fatalf("%s: not Problems: %v", format, err)
			}
			if err != nil {
				continue
			}
			seen := map[string]bool{}
			for _, r := range rows {
				login := directory.NormalizeLogin(r.Login)
				if login == "" || seen[login] {
					t.Fatalf("%s: row %s taken with login %q", format, r.Where, r.Login)
				}
				seen[login] = true
			}
		}
	})
}
