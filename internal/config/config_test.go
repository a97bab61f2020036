package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func load(t *testing.T, args []string, env map[string]string) (Config, error) {
	t.Helper()
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	AddFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return Load(fs, func(k string) string { return env[k] })
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "keyward.yaml")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaultsAreValid(t *testing.T) {
	c, err := load(t, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.AWS.Addr != "127.0.0.1:8081" || time.Duration(c.Portal.SessionLifetime) != 8*time.Hour {
		t.Errorf("defaults = %+v", c)
	}
}

func TestFlagsBeatEnvironmentWhichBeatsTheFile(t *testing.T) {
	file := writeFile(t, "aws:\n  addr: 127.0.0.1:1000\n  region: eu-west-1\nportal:\n  session-lifetime: 1h\n")
	c, err := load(t, []string{"--config", file, "--aws-addr", "127.0.0.1:3000"},
		map[string]string{"KEYWARD_AWS_ADDR": "127.0.0.1:2000", "KEYWARD_PORTAL_SESSION_LIFETIME": "2h"})
	if err != nil {
		t.Fatal(err)
	}
	if c.AWS.Addr != "127.0.0.1:3000" {
		t.Errorf("addr = %s, want the flag's", c.AWS.Addr)
	}
	if time.Duration(c.Portal.SessionLifetime) != 2*time.Hour {
		t.Errorf("session lifetime = %v, want the environment's", time.Duration(c.Portal.SessionLifetime))
	}
	if c.AWS.Region != "eu-west-1" {
		t.Errorf("region = %s, want the file's", c.AWS.Region)
	}
}

func TestUnknownFileKeysAreErrors(t *testing.T) {
	file := writeFile(t, "aws:\n  adr: 127.0.0.1:1000\n")
	_, err := load(t, []string{"--config", file}, nil)
	if err == nil || !strings.Contains(err.Error(), "adr") {
		t.Fatalf("err = %v, want one naming the unknown key", err)
	}
}

func TestEveryProblemIsReportedAtOnce(t *testing.T) {
	_, err := load(t, []string{"--aws-addr", "nonsense", "--portal-session-lifetime", "5m", "--log-level", "loud"},
		map[string]string{"KEYWARD_SIGNIN_MAX_FAILURES": "many"})
	if err == nil {
		t.Fatal("bad configuration accepted")
	}
	for _, want := range []string{"aws-addr", "portal-session-lifetime", "log-level", "KEYWARD_SIGNIN_MAX_FAILURES"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s:\n%v", want, err)
		}
	}
}

func TestTrustedProxiesAreACommaSeparatedListOfCIDRs(t *testing.T) {
	c, err := load(t, []string{"--aws-trusted-proxies", "10.0.0.0/8, 192.168.1.1/32"}, nil)
	if err != nil || len(c.AWS.TrustedProxies) != 2 || c.AWS.TrustedProxies[1] != "192.168.1.1/32" {
		t.Fatalf("TrustedProxies = %v, err %v", c.AWS.TrustedProxies, err)
	}
	if _, err := load(t, []string{"--aws-trusted-proxies", "10.0.0.0/8,nonsense"}, nil); err == nil || !strings.Contains(err.Error(), "nonsense") {
		t.Errorf("a bad CIDR: err = %v", err)
	}
}

func TestFileProblemsNameTheYAMLKeyAndLineInTheFilesTerms(t *testing.T) {
	file := writeFile(t, "aws:\n  addr: [1, 2]\n  trusted-proxies: 10.0.0.0/8\n  colour: blue\n"+
		"signin:\n  max-failures: many\n  lockout-duration: forever\nportal: 3\nlog:\n  level: warn\n")
	_, err := load(t, []string{"--config", file}, nil)
	if err == nil {
		t.Fatal("a bad file was accepted")
	}
	for _, want := range []string{
		"aws.addr (line 2): want a single value, got a list",
		"aws.colour (line 4): unknown setting",
		`signin.max-failures (line 6): "many" is not a whole number`,
		`signin.lockout-duration (line 7): "forever" is not a duration`,
		`portal (line 8): want a section of settings, got "3"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error lacks %q:\n%v", want, err)
		}
	}
	for _, goType := range []string{"config.", "int", "[]string", "!!"} {
		if strings.Contains(err.Error(), goType) {
			t.Errorf("the error speaks Go or YAML internals (%s):\n%v", goType, err)
		}
	}
}

func TestAFileSetsListsAsYAMLSequencesAndEmptyValues(t *testing.T) {
	file := writeFile(t, "aws:\n  trusted-proxies:\n    - 10.0.0.0/8\n    - 192.168.0.0/16\n  url:\n")
	c, err := load(t, []string{"--config", file}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.AWS.TrustedProxies) != 2 || c.AWS.TrustedProxies[1] != "192.168.0.0/16" || c.AWS.URL != "" {
		t.Errorf("from the file: proxies %v, url %q", c.AWS.TrustedProxies, c.AWS.URL)
	}
}

func TestTheRegionMustLookLikeARegion(t *testing.T) {
	for _, ok := range []string{"us-east-1", "eu-central-2", "us-gov-west-1", "ap-southeast-4"} {
		if _, err := load(t, []string{"--aws-region", ok}, nil); err != nil {
			t.Errorf("region %s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "us-east", "US-EAST-1", "us_east_1", "us-east-1; rm -rf /", "moon"} {
		if _, err := load(t, []string{"--aws-region", bad}, nil); err == nil || !strings.Contains(err.Error(), "aws-region") {
			t.Errorf("region %q: err = %v, want a refusal", bad, err)
		}
	}
}

func TestHelpShowsEachFlagsTypeAndDefault(t *testing.T) {
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	AddFlags(fs)
	usage := fs.FlagUsages()
	for _, want := range []string{
		`--aws-addr string`, `(default "127.0.0.1:8081")`,
		`--portal-session-lifetime duration`, `(default 8h0m0s)`,
		`--signin-max-failures int`, `(default 5)`,
		`--aws-trusted-proxies list`, `YAML aws.trusted-proxies`,
	} {
		if !strings.Contains(usage, want) {
			t.Errorf("--help lacks %q:\n%s", want, usage)
		}
	}
}

func TestPublicURLsAreOnlySchemeHostAndPort(t *testing.T) {
	for _, flag := range []string{"--aws-url", "--idp-url"} {
		for _, ok := range []string{"https://keyward.example.com", "https://keyward.example.com/", "http://127.0.0.1:8081", "https://[::1]:8443"} {
			if _, err := load(t, []string{flag, ok}, nil); err != nil {
				t.Errorf("%s %s refused: %v", flag, ok, err)
			}
		}
		// Each would be pasted in front of /start, /device, /oauth2/... and
		// make every URL keyward hands out wrong.
		for _, bad := range []string{"https://keyward.example.com?x=1", "https://keyward.example.com?",
			"https://keyward.example.com#top", "https://keyward.example.com/start"} {
			_, err := load(t, []string{flag, bad}, nil)
			if err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(flag, "--")+` "`+bad+`" must be an http(s) URL`) {
				t.Errorf("%s %s: err = %v, want a refusal naming the setting", flag, bad, err)
			}
		}
		_, err := load(t, []string{flag, "https://admin:hunter22@keyward.example.com"}, nil)
		if err == nil || !strings.Contains(err.Error(), "user name or password") {
			t.Errorf("%s with a user and password: err = %v, want a refusal", flag, err)
		}
		if err != nil && strings.Contains(err.Error(), "hunter22") {
			t.Errorf("the refusal prints the password: %v", err)
		}
	}
}

// keyward tells an https:// public URL by its prefix (Secure cookies, the
// http:// refusal with TLS on), so HTTPS://host would quietly serve
// session cookies without Secure.
func TestAPublicURLsSchemeMustBeLowerCase(t *testing.T) {
	for _, args := range [][]string{
		{"--idp-url", "HTTPS://org.keyward.example"},
		{"--aws-url", "Https://aws.keyward.example"},
		{"--idp-tls", "local-ca", "--idp-url", "HTTP://org.keyward.example"},
	} {
		_, err := load(t, args, nil)
		if err == nil || !strings.Contains(err.Error(), "lower case") {
			t.Errorf("%v: err = %v, want a refusal asking for a lower-case scheme", args, err)
		}
	}
}

// A store URL carries the database password; a file that misplaces it
// must not have the error (printed at start, kept in service logs) show it.
func TestAFileProblemNeverShowsAStorePassword(t *testing.T) {
	for _, content := range []string{
		"store: postgres://keyward:s3cret-pw@db.internal/keyward\n",
		"store:\n  url: [postgres://keyward:s3cret-pw@db.internal/keyward]\n",
		"aws: postgresql://keyward:s3cret-pw@db.internal/keyward\n",
	} {
		_, err := load(t, []string{"--config", writeFile(t, content)}, nil)
		if err == nil {
			t.Fatalf("%q was accepted", content)
		}
		if strings.Contains(err.Error(), "s3cret-pw") {
			t.Errorf("the error shows the password:\n%v", err)
		}
		if !strings.Contains(err.Error(), "line ") {
			t.Errorf("the error no longer names the line:\n%v", err)
		}
	}
}

// A store URL (or any URL with a password) put under the wrong key must
// not have its password printed by whichever check refuses it: the start's
// error ends up in service logs.
func TestNoProblemShowsAPasswordFromAMisplacedURL(t *testing.T) {
	const url = "postgres://keyward:s3cret-pw@db.internal/keyward"
	for _, content := range []string{
		"aws:\n  addr: " + url + "\n",
		"aws:\n  region: " + url + "\n",
		"aws:\n  trusted-proxies: [" + url + "]\n",
		"idp:\n  admin-login: " + url + "\n",
		"idp:\n  tls: " + url + "\n",
		"metrics:\n  addr: " + url + "\n",
		"log:\n  level: " + url + "\n",
		"portal:\n  session-lifetime: " + url + "\n",
		"signin:\n  max-failures: " + url + "\n",
	} {
		_, err := load(t, []string{"--config", writeFile(t, content)}, nil)
		if err == nil {
			t.Fatalf("%q was accepted", content)
		}
		if strings.Contains(err.Error(), "s3cret-pw") {
			t.Errorf("%q: the error shows the password:\n%v", content, err)
		}
	}
	_, err := load(t, []string{"--idp-tls", "local-ca", "--idp-url", "http://admin:s3cret-pw@org.keyward.example"}, nil)
	if err == nil || strings.Contains(err.Error(), "s3cret-pw") {
		t.Errorf("an http:// org URL with a password and TLS on: err = %v, want a refusal without the password", err)
	}
}

// The management account's email is stored once, at the first start, and
// AWS Organizations shows it (MasterAccountEmail, the account's Email): a
// value Organizations would refuse for any account must not get in.
func TestTheManagementEmailMustBeAnEmailAddress(t *testing.T) {
	for _, bad := range []string{"", "management", "a@b", "root@keyward .example", "x@" + strings.Repeat("a", 60) + ".example"} {
		_, err := load(t, []string{"--aws-management-email", bad}, nil)
		if err == nil || !strings.Contains(err.Error(), "aws-management-email") {
			t.Errorf("--aws-management-email %q: err = %v, want a refusal naming the setting", bad, err)
		}
	}
	if _, err := load(t, []string{"--aws-management-email", "aws-root+prod@corp.example"}, nil); err != nil {
		t.Errorf("a plain address was refused: %v", err)
	}
}
