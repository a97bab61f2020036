package cli

import (
	"os"
	"path/filepath"
	"regexp"
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
