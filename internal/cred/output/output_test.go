package output

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var creds = Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "se/cr+et=", SessionToken: "tok",
	Expiration: time.Date(2026, 12, 2, 23, 0, 0, 0, time.UTC), Region: "eu-west-1"}

func TestProcessIsVersionOneWithExpiration(t *testing.T) {
	var got map[string]any
	if err := json.Unmarshal(Process(creds), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"Version": 1.0, "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "se/cr+et=",
		"SessionToken": "tok", "Expiration": "2026-12-02T23:00:00Z"}
	if d := cmp.Diff(want, got); d != "" {
		t.Error(d)
	}
}

func TestLongLivedKeysHaveNoExpiration(t *testing.T) {
	var got map[string]any
	json.Unmarshal(Process(Credentials{AccessKeyID: "AKIA", SecretAccessKey: "s"}), &got)
	if _, ok := got["Expiration"]; ok {
		t.Errorf("long-lived keys carry an Expiration: %v", got)
	}
}

// TestBashReadsBackWhatEnvWrote evaluates the exports in a real bash, with
// values that would break out of naive quoting.
func TestBashReadsBackWhatEnvWrote(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	nasty := creds
	nasty.SecretAccessKey = `it's $(touch /tmp/pwned) "quoted" \ back` + "`id`"
	lines, err := Env(nasty, "bash")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bash, "-c", lines+`printf %s "$AWS_SECRET_ACCESS_KEY"`).Output()
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != nasty.SecretAccessKey {
		t.Errorf("bash read %q, want %q", out, nasty.SecretAccessKey)
	}
}

func TestEnvSyntaxPerShell(t *testing.T) {
	for _, c := range []struct{ shell, want string }{
		{"bash", "export AWS_ACCESS_KEY_ID='ASIAEXAMPLE'"},
		{"fish", "set -gx AWS_ACCESS_KEY_ID 'ASIAEXAMPLE'"},
		{"powershell", "$Env:AWS_ACCESS_KEY_ID = 'ASIAEXAMPLE'"},
		{"cmd", `set "AWS_ACCESS_KEY_ID=ASIAEXAMPLE"`},
	} {
		t.Run(c.shell+" sets the key id", func(t *testing.T) {
			got, err := Env(creds, c.shell)
			if err != nil || !strings.Contains(got, c.want+"\n") {
				t.Errorf("%v\n%s\nwant a line %q", err, got, c.want)
			}
		})
	}
	t.Run("an unknown shell is refused by name", func(t *testing.T) {
		if _, err := Env(creds, "tcsh"); err == nil || !strings.Contains(err.Error(), "tcsh") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("cmd refuses a value it cannot quote", func(t *testing.T) {
		bad := creds
		bad.SessionToken = "a%PATH%b"
		if _, err := Env(bad, "cmd"); err == nil {
			t.Error("accepted")
		}
	})
}

func TestEnvironDropsOtherIdentities(t *testing.T) {
	got := Environ([]string{"HOME=/h", "AWS_PROFILE=other", "AWS_ACCESS_KEY_ID=OLD", "AWS_REGION=us-east-1",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI=http://x"}, creds, "KEYWARD_PROFILE=dev")
	want := []string{"HOME=/h", "AWS_ACCESS_KEY_ID=ASIAEXAMPLE", "AWS_SECRET_ACCESS_KEY=se/cr+et=",
		"AWS_SESSION_TOKEN=tok", "AWS_CREDENTIAL_EXPIRATION=2026-12-02T23:00:00Z", "AWS_REGION=eu-west-1",
		"AWS_DEFAULT_REGION=eu-west-1", "KEYWARD_PROFILE=dev"}
	if d := cmp.Diff(want, got); d != "" {
		t.Error(d)
	}
}

// psQuotes are PowerShell's single-quote characters: its language
// specification (§2.3.5.2, single-quote-character) counts the typographic
// ones too, so each of them ends a verbatim string unless doubled.
const psQuotes = "'\u2018\u2019\u201a\u201b"

// readPSVerbatim reads a PowerShell verbatim string literal at the start
// of s, as the specification's grammar does, and returns its value and
// what follows it.
func readPSVerbatim(s string) (value, rest string, ok bool) {
	r := []rune(s)
	if len(r) == 0 || !strings.ContainsRune(psQuotes, r[0]) {
		return "", "", false
	}
	var b strings.Builder
	for i := 1; i < len(r); i++ {
		if !strings.ContainsRune(psQuotes, r[i]) {
			b.WriteRune(r[i])
			continue
		}
		if i+1 < len(r) && strings.ContainsRune(psQuotes, r[i+1]) {
			b.WriteRune(r[i])
			i++
			continue
		}
		return b.String(), string(r[i+1:]), true
	}
	return "", "", false
}

// TestPowerShellValuesStayInsideTheirQuotes: a value holding a typographic
// quote, which PowerShell reads as a quote, does not end its string.
func TestPowerShellValuesStayInsideTheirQuotes(t *testing.T) {
	nasty := creds
	nasty.SessionToken = "tok\u2019; Remove-Item -Recurse ~; \u2018it's\u201a\u201b"
	lines, err := Env(nasty, "powershell")
	if err != nil {
		t.Fatal(err)
	}
	const set = "$Env:AWS_SESSION_TOKEN = "
	for _, l := range strings.Split(lines, "\n") {
		if lit, ok := strings.CutPrefix(l, set); ok {
			v, rest, ok := readPSVerbatim(lit)
			if !ok || v != nasty.SessionToken || rest != "" {
				t.Errorf("PowerShell reads %q as %q followed by the command %q", l, v, rest)
			}
			return
		}
	}
	t.Errorf("no %s line in\n%s", set, lines)
}
