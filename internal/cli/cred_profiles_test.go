package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A process-style profile may also carry the AWS CLI's sso_* keys (left by
// an earlier sync or by hand); `profiles list` must show the role keyward
// resolves for it, which is keyward_*'s.
func TestProfilesListShowsTheRoleTheProfileResolvesTo(t *testing.T) {
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".aws", "config"), []byte(`[profile both]
credential_process = keyward credentials --profile both
keyward_sso_session = kw
keyward_account_id = 111122223333
keyward_role_name = Admin
sso_session = old
sso_account_id = 444455556666
sso_role_name = ReadOnly
region = eu-west-1
`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "", map[string]string{"HOME": home, "KEYWARD_VAULT": "file"}, "profiles", "list")
	if code != 0 {
		t.Fatalf("profiles list: %d %s", code, errOut)
	}
	if !regexp.MustCompile(`both\s+sso-session kw\s+111122223333\s+Admin\s+eu-west-1`).MatchString(out) {
		t.Errorf("profiles list shows\n%s\nwant both's keyward_* sign-in, account and role", out)
	}
}

// [profile default] is the default profile to the AWS CLI and the SDKs
// (the Go SDK prefers it to [default]); keyward lists it as "default", so
// it must read it as "default" too, not as a profile with no settings.
func TestProfileDefaultIsTheDefaultProfile(t *testing.T) {
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".aws", "config"), []byte(`[profile default]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin
region = eu-west-1

[profile ops]
role_arn = arn:aws:iam::444455556666:role/Ops
source_profile = default
`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "", map[string]string{"HOME": home, "KEYWARD_VAULT": "file"}, "profiles", "list")
	if code != 0 {
		t.Fatalf("profiles list: %d %s", code, errOut)
	}
	if !regexp.MustCompile(`default\s+sso-session corp\s+111122223333\s+Admin\s+eu-west-1`).MatchString(out) {
		t.Errorf("profiles list shows\n%s\nwant default's sign-in, account, role and region", out)
	}
	// Its credentials need the sign-in, which is not there: the error must
	// say so, not that default holds no role.
	code, _, errOut = run(t, "", map[string]string{"HOME": home, "KEYWARD_VAULT": "file"}, "credentials", "ops")
	if code == 0 || !strings.Contains(errOut, "no [sso-session corp]") {
		t.Errorf("credentials ops: %d %s\nwant the missing sign-in of its source_profile default", code, errOut)
	}
}
