package awsconfig

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// personal is a config a person might have written by hand: comments of
// both kinds, odd spacing, a nested sub-section, a continuation line, an
// sso-session, a services section and an unknown section.
const personal = `# my AWS config
[default]
region = us-east-1
output=json

; work
[profile work]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin
Region : eu-west-1
s3 =
  max_concurrent_requests = 20
  addressing_style = path
cli_pager =
# trailing comment of work

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[services local]
sts =
  endpoint_url = http://127.0.0.1:4566

[plugins]
cli_legacy_plugin_path = /opt/plugins
`

func mustParse(t *testing.T, k kind, s string) *File {
	t.Helper()
	f, err := parse(filepath.Join(t.TempDir(), "config"), k, []byte(s))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return f
}

func TestParse(t *testing.T) {
	t.Run("an untouched file renders byte for byte", func(t *testing.T) {
		for _, s := range []string{personal, strings.ReplaceAll(personal, "\n", "\r\n"),
			strings.TrimSuffix(personal, "\n"), "\ufeff" + personal, "", "\n\n"} {
			if got := string(mustParse(t, configFile, s).bytes()); got != s {
				t.Errorf("round trip changed the file:\n%s", cmp.Diff(s, got))
			}
		}
	})
	t.Run("values read as the AWS CLI reads them", func(t *testing.T) {
		f := mustParse(t, configFile, personal)
		work, ok := f.Section(ProfileSection("work"))
		if !ok {
			t.Fatal("no [profile work]")
		}
		want := Values{"sso_session": "corp", "sso_account_id": "111122223333", "sso_role_name": "Admin",
			"region": "eu-west-1", "s3": "\nmax_concurrent_requests = 20\naddressing_style = path", "cli_pager": ""}
		if diff := cmp.Diff(want, work); diff != "" {
			t.Errorf("[profile work] (-want +got):\n%s", diff)
		}
		if got := work.Get("REGION"); got != "eu-west-1" {
			t.Errorf("Get(REGION) = %q", got)
		}
		def, _ := f.Section(ProfileSection("default"))
		if def.Get("output") != "json" {
			t.Errorf("[default] output = %q", def.Get("output"))
		}
		if _, ok := f.Section(Section{Name: "plugins"}); !ok {
			t.Error("[plugins] not found")
		}
		if _, ok := f.Section(Section{Type: "services", Name: "local"}); !ok {
			t.Error("[services local] not found")
		}
	})
	t.Run("profiles and sso-sessions are listed in file order", func(t *testing.T) {
		f := mustParse(t, configFile, personal)
		if diff := cmp.Diff([]string{"default", "work"}, f.Profiles()); diff != "" {
			t.Errorf("Profiles (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"corp"}, f.SSOSessions()); diff != "" {
			t.Errorf("SSOSessions (-want +got):\n%s", diff)
		}
	})
	t.Run("credentials-file headers are profile names as they stand", func(t *testing.T) {
		f := mustParse(t, credentialsFile, "[default]\naws_access_key_id = A\n[profile x]\naws_access_key_id = B\n")
		if diff := cmp.Diff([]string{"default", "profile x"}, f.Profiles()); diff != "" {
			t.Errorf("Profiles (-want +got):\n%s", diff)
		}
		v, _ := f.Section(Section{Name: "profile x"})
		if v.Get("aws_access_key_id") != "B" {
			t.Errorf("[profile x] = %v", v)
		}
	})
	t.Run("a continuation line joins the value, comments inside it do not", func(t *testing.T) {
		f := mustParse(t, configFile, "[a]\nk = one\n  # note\n\n   two\nj = 3\n")
		v, _ := f.Section(Section{Name: "a"})
		if diff := cmp.Diff(Values{"k": "one\n\ntwo", "j": "3"}, v); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

// badFiles are files keyward refuses, with the line and reason it gives.
// The AWS CLI refuses them too (TestAWSCLIRefusesWhatWeRefuse), except
// where cliReads says it reads them: keyward is stricter there because
// an edit could not say which copy it meant.
var badFiles = []struct {
	name, in string
	line     int
	msg      string
	cliReads bool
}{
	{"a truncated section header", "[default]\nregion = us-east-1\n[profile ad", 3, "section header is not closed", false},
	{"a truncated setting", "[default]\nregion = us-east-1\nsso_sta", 3, "expected key = value", false},
	{"a setting before any section", "region = us-east-1\n", 1, "expected a [section] header", false},
	{"an empty header", "[]\n", 1, "section header has no name", false},
	{"a repeated section", "[profile a]\nk = 1\n[profile a]\n", 3, "section [profile a] appears again (first at line 1)", false},
	{"a repeated section, spaced differently", "[profile a]\n[profile  a]\n", 2, "section [profile  a] appears again", true},
	{"a repeated key, in another case", "[a]\nregion = x\nRegion = y\n", 3, `key "region" appears again in [a] (first at line 2)`, false},
	{"an indented header that continues a setting", "[default]\nregion = a\n [profile x]\nregion = q\n", 4, `key "region" appears again`, false},
	{"a key without a name", "[a]\n = x\n", 2, "the setting has no key", false},
	{"a nested line without =", "[a]\ns3 =\n  max_concurrent_requests\n", 3, "a nested setting must be key = value", false},
	{"a lone carriage return", "[a]\nk = 1\rj = 2\n", 2, "carriage return", true},
	{"bytes that are not UTF-8", "[a]\nk = \xff\n", 2, "not UTF-8", false},
}

func TestParseErrors(t *testing.T) {
	for _, tc := range badFiles {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse("/x/config", configFile, []byte(tc.in))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.Line != tc.line || !strings.Contains(pe.Msg, tc.msg) {
				t.Errorf("got line %d %q, want line %d containing %q", pe.Line, pe.Msg, tc.line, tc.msg)
			}
			if want := "/x/config line "; !strings.HasPrefix(pe.Error(), want) {
				t.Errorf("Error() = %q, want it to start with %q", pe.Error(), want)
			}
		})
	}
	t.Run("a file over 4 MiB", func(t *testing.T) {
		big := "[a]\n" + strings.Repeat("# padding padding padding\n", MaxFileSize/20)
		_, err := parse("/x/config", configFile, []byte(big))
		if err == nil || !strings.Contains(err.Error(), "larger than 4 MiB") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("the path under home reads as ~", func(t *testing.T) {
		home := t.TempDir()
		t.Setenv("HOME", home)
		_, err := parse(filepath.Join(home, ".aws", "config"), configFile, []byte("[default]\n[profile x"))
		if want := "~/.aws/config line 2: section header is not closed"; err == nil || err.Error() != want {
			t.Errorf("err = %v, want %q", err, want)
		}
	})
}
