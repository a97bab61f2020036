package awsconfig

import (
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// meaning is what the AWS CLI sees: every section's settings.
func meaning(f *File) map[Section]Values {
	out := map[Section]Values{}
	for _, l := range f.lines {
		if l.typ == headerLine {
			out[l.sec], _ = f.Section(l.sec)
		}
	}
	return out
}

func headers(f *File) []Section {
	var out []Section
	for _, l := range f.lines {
		if l.typ == headerLine {
			out = append(out, l.sec)
		}
	}
	return out
}

// FuzzParse checks that any file keyward accepts renders back byte for
// byte, and that edits change exactly what they say: after setting a key,
// deleting a key, deleting a section and putting a new one, the file still
// parses and every other section means what it meant.
func FuzzParse(f *testing.F) {
	for _, s := range []string{personal, strings.ReplaceAll(personal, "\n", "\r\n"), "[a]\nk = 1", "\ufeff[default]\n",
		"[a]\nk =\n  x = 1\n\n  # c\n  y = 2\nj = 3\n", "[a]\n  k = 1\n    more\n j = 2\n", "[a]\nk = 1\n[b\n", "k = v\n",
		"[profile x]\n[profile  x]\n", "[a] # c\nk:v\n", "[a]\nk = v\n\n[b]\n"} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, creds bool) {
		k := configFile
		if creds {
			k = credentialsFile
		}
		file, err := parse("fuzz", k, data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("not a ParseError: %v", err)
			}
			return
		}
		if got := file.bytes(); string(got) != string(data) {
			t.Fatalf("round trip changed the file:\n%q\n%q", data, got)
		}
		want := meaning(file)
		edits(file, want)
		if file.err != nil {
			return // a section name keyward will not write; nothing changed
		}
		again, err := parse("fuzz", k, file.bytes())
		if err != nil {
			t.Fatalf("the edited file does not parse: %v\n%q\n%q", err, data, file.bytes())
		}
		if diff := cmp.Diff(want, meaning(again)); diff != "" {
			t.Fatalf("edits changed more than they should (-want +got):\n%s\n%q\n%q", diff, data, file.bytes())
		}
	})
}

// edits makes a few edits to f and the same ones to want.
func edits(f *File, want map[Section]Values) {
	secs := headers(f)
	if len(secs) > 0 {
		s := secs[0]
		f.Set(s, KV{"keyward_fuzz", " v "})
		if f.err != nil {
			return
		}
		want[s] = maps.Clone(want[s])
		want[s]["keyward_fuzz"] = "v"
		for key := range want[s] {
			if key != "keyward_fuzz" {
				f.Delete(s, key)
				delete(want[s], key)
				break
			}
		}
	}
	if len(secs) > 1 {
		f.DeleteSection(secs[1])
		delete(want, secs[1])
	}
	put := ProfileSection("fuzz-new")
	if k := f.kind; k == credentialsFile {
		put = Section{Name: "fuzz-new"}
	}
	f.PutSection(put, []KV{{"region", "eu-west-1"}})
	want[put] = Values{"region": "eu-west-1"}
}

// FuzzName checks that every profile name the Namer makes can be written
// and read back as itself.
func FuzzName(f *testing.F) {
	for _, s := range []string{"Acme Corp - Prod", "a]b", "x\ny", "\"q\"", "profile x", "default", "#;=:", "\xff"} {
		f.Add(s)
	}
	n, err := NewNamer("{{.AccountName}}")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, account string) {
		name, err := n.Name(Role{AccountName: account})
		if err != nil {
			return
		}
		file, _ := parse("fuzz", configFile, nil)
		file.Set(ProfileSection(name), KV{"region", "x"})
		if file.err != nil {
			t.Fatalf("name %q from %q is not writable: %v", name, account, file.err)
		}
		again, err := parse("fuzz", configFile, file.bytes())
		if err != nil {
			t.Fatalf("%q does not parse: %v", file.bytes(), err)
		}
		if got := again.Profiles(); len(got) != 1 || got[0] != name {
			t.Fatalf("profiles %q, want [%q]", got, name)
		}
	})
}
