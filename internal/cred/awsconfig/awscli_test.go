package awsconfig

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// awsCLI is the Debian AWS CLI v2 (a pip CLI v1 may shadow `aws` on PATH).
// A missing CLI skips the test, except in CI where it fails it.
func awsCLI(t *testing.T) string {
	t.Helper()
	const path = "/usr/bin/aws"
	if _, err := exec.LookPath(path); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required in CI (apt-get install awscli): %v", path, err)
		}
		t.Skipf("%s not found; apt-get install awscli", path)
	}
	return path
}

// runAWS runs the AWS CLI on p's files only, with nothing from the
// environment that could change what it reads.
func runAWS(t *testing.T, p Paths, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(awsCLI(t), args...)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + filepath.Dir(filepath.Dir(p.Config)), "AWS_PAGER=",
		"AWS_CONFIG_FILE=" + p.Config, "AWS_SHARED_CREDENTIALS_FILE=" + p.Credentials}
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// TestAWSCLIReadsWhatWeWrite syncs profiles into a hand-written config,
// sets keys in a credentials file, and asks the real AWS CLI what it sees.
func TestAWSCLIReadsWhatWeWrite(t *testing.T) {
	awsCLI(t)
	p := testPaths(t)
	writeFile(t, p.Config, personal, 0o600)
	writeFile(t, p.Credentials, "# mine\n[mine]\naws_access_key_id = AKIAMINE\n", 0o600)
	sh, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	admin := role("111122223333", "Acme Prod", "AdministratorAccess")
	admin.Region = "eu-north-1"
	plan := plan(t, sh.Config, corp, []Role{admin, role("444455556666", "Dev", "ReadOnly")}, SyncOptions{})
	plan.Apply(sh.Config)
	sh.Credentials.Set(Section{Name: "Dev-ReadOnly"}, KV{"aws_access_key_id", "ASIAEXAMPLE"}, KV{"aws_session_token", "tok/en+=="})
	for _, f := range []*File{sh.Config, sh.Credentials} {
		if err := f.Save(); err != nil {
			t.Fatal(err)
		}
	}

	out, err := runAWS(t, p, "configure", "list-profiles")
	if err != nil {
		t.Fatalf("list-profiles: %v: %s", err, out)
	}
	want := slices.Concat(sh.Config.Profiles(), sh.Credentials.Profiles())
	slices.Sort(want)
	got := strings.Fields(out)
	slices.Sort(got)
	if diff := cmp.Diff(slices.Compact(want), got); diff != "" {
		t.Errorf("profiles the AWS CLI lists (-ours +its):\n%s", diff)
	}
	for _, c := range []struct{ profile, key, want string }{
		{"Acme-Prod-AdministratorAccess", "sso_account_id", "111122223333"},
		{"Acme-Prod-AdministratorAccess", "region", "eu-north-1"},
		{"Dev-ReadOnly", "sso_session", "corp"},
		{"Dev-ReadOnly", "keyward_source", "sso-session corp"},
		{"Dev-ReadOnly", "aws_session_token", "tok/en+=="},
		{"work", "region", "eu-west-1"},              // the person's `Region : eu-west-1`
		{"work", "s3.max_concurrent_requests", "20"}, // the nested sub-section, untouched
		{"mine", "aws_access_key_id", "AKIAMINE"},
	} {
		out, err := runAWS(t, p, "configure", "get", c.key, "--profile", c.profile)
		if err != nil || out != c.want {
			t.Errorf("aws configure get %s --profile %s = %q, %v; want %q", c.key, c.profile, out, err, c.want)
		}
	}
}

// TestAWSCLIRefusesWhatWeRefuse checks keyward's parse errors against the
// AWS CLI's: a file keyward refuses is one the CLI cannot read either,
// except the cases badFiles marks.
func TestAWSCLIRefusesWhatWeRefuse(t *testing.T) {
	awsCLI(t)
	for _, tc := range badFiles {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := testPaths(t)
			writeFile(t, p.Config, tc.in, 0o600)
			out, err := runAWS(t, p, "configure", "get", "region")
			refused := strings.Contains(out, "Unable to parse config file")
			if refused == tc.cliReads {
				t.Errorf("the AWS CLI refused: %v, want %v (exit %v: %s)", refused, !tc.cliReads, err, out)
			}
		})
	}
}
