package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/cred/credtest"
)

// profiles is a config file in memory.
type profiles map[string]map[string]string

func (p profiles) Profile(name string) (map[string]string, bool) { v, ok := p[name]; return v, ok }
func (p profiles) SSOSession(name string) (map[string]string, bool) {
	return p.Section("sso-session", name)
}
func (p profiles) Section(kind, name string) (map[string]string, bool) {
	v, ok := p[kind+" "+name]
	return v, ok
}

func TestProfilesThatCannotGiveCredentialsSayWhatToRun(t *testing.T) {
	r := &Resolver{Keep: &credtest.Keeper{}, Profiles: profiles{
		"plain":             {"region": "eu-west-1"},
		"loop-a":            {"role_arn": "arn:aws:iam::111122223333:role/A", "source_profile": "loop-b"},
		"loop-b":            {"role_arn": "arn:aws:iam::111122223333:role/B", "source_profile": "loop-a"},
		"no-session":        {"sso_session": "corp", "sso_account_id": "111122223333", "sso_role_name": "Admin"},
		"half-sso":          {"sso_session": "corp"},
		"sso-session corp":  {"sso_start_url": "https://d-123.awsapps.com/start"},
		"okta-no-section":   {"keyward_okta_session": "gone", "keyward_role_arn": "arn:aws:iam::111122223333:role/Dev"},
		"okta-no-role":      {"keyward_okta_session": "corp"},
		"okta-bad-org":      {"keyward_okta_session": "typo", "keyward_role_arn": "arn:aws:iam::111122223333:role/Dev"},
		"okta-signed-out":   {"keyward_okta_session": "corp", "keyward_role_arn": "arn:aws:iam::111122223333:role/Dev"},
		"keyward-okta corp": {"okta_org_url": "https://corp.okta.com", "okta_client_id": "0oa1cli", "okta_app_id": "0oa2aws"},
		"keyward-okta typo": {"okta_org_url": "corp.okta.com", "okta_client_id": "0oa1cli"},
	}}
	for _, c := range []struct{ name, profile, want string }{
		{"an unknown profile names the commands that make profiles", "nope", "keyward profiles sync"},
		{"a profile with no role and no kept keys says how to add keys", "plain", "keyward add plain"},
		{"a source_profile loop is refused before any call", "loop-a", `source_profile leads back to "loop-a"`},
		{"an sso-session without a region says to pass one", "no-session", "--region"},
		{"an SSO profile missing its account and role says what it needs", "half-sso", "sso_account_id"},
		{"an Okta profile whose section is missing says how to sign in", "okta-no-section", "keyward login --okta-org URL --okta-client-id ID --okta-session gone"},
		{"an Okta profile without a role says which key it needs", "okta-no-role", "keyward_role_arn"},
		{"an Okta section with an org that is no URL says so", "okta-bad-org", `Okta org "corp.okta.com" is not a URL`},
		{"an Okta profile never signed in says what to run", "okta-signed-out", "keyward login --okta-org https://corp.okta.com --okta-client-id 0oa1cli --okta-session corp"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := r.Credentials(context.Background(), c.profile)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want it to mention %q", err, c.want)
			}
		})
	}
}

func TestAProfileSettingBothSpellingsResolvesKeywardsRole(t *testing.T) {
	r := &Resolver{Keep: &credtest.Keeper{}, Profiles: profiles{
		"both": {"keyward_sso_session": "kw", "keyward_account_id": "111122223333", "keyward_role_name": "Admin",
			"sso_session": "old", "sso_account_id": "444455556666", "sso_role_name": "ReadOnly"},
		"sso-session kw":  {"sso_start_url": "https://kw.example/start", "sso_region": "eu-west-1"},
		"sso-session old": {"sso_start_url": "https://old.example/start", "sso_region": "us-east-1"},
	}}
	role, err := r.Role("both")
	if err != nil {
		t.Fatal(err)
	}
	if role.Client == nil || role.Role.AccountID != "111122223333" || role.Role.RoleName != "Admin" {
		t.Errorf("role = %+v, want keyward_account_id's 111122223333 and keyward_role_name's Admin", role.Role)
	}
}

func TestSignInFollowsSourceProfile(t *testing.T) {
	r := &Resolver{Keep: &credtest.Keeper{}, Profiles: profiles{
		"sso":     {"sso_session": "corp", "sso_account_id": "111122223333", "sso_role_name": "Admin"},
		"process": {"keyward_sso_session": "kw", "keyward_account_id": "111122223333", "keyward_role_name": "Admin"},
		"okta":    {"keyward_okta_session": "corp", "keyward_role_arn": "arn:aws:iam::111122223333:role/Dev"},
		"chained": {"role_arn": "arn:aws:iam::444455556666:role/Ops", "source_profile": "hop"},
		"hop":     {"role_arn": "arn:aws:iam::444455556666:role/Hop", "source_profile": "okta"},
		"keys":    {"credential_process": "keyward credentials keys"},
		"loop":    {"role_arn": "arn:aws:iam::111122223333:role/A", "source_profile": "loop"},
	}}
	for profile, want := range map[string]string{"sso": "sso-session corp", "process": "sso-session kw",
		"okta": "keyward-okta corp", "chained": "keyward-okta corp", "keys": "", "loop": "", "missing": ""} {
		if got := r.SignIn(profile); got != want {
			t.Errorf("SignIn(%q) = %q, want %q", profile, got, want)
		}
	}
}
