package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/cred/sso"
)

// profiles is a config file in memory.
type profiles map[string]map[string]string

func (p profiles) Profile(name string) (map[string]string, bool) { v, ok := p[name]; return v, ok }
func (p profiles) SSOSession(name string) (map[string]string, bool) {
	v, ok := p["sso-session "+name]
	return v, ok
}

func TestProfilesThatCannotGiveCredentialsSayWhatToRun(t *testing.T) {
	r := &Resolver{Keep: &sso.MemoryKeeper{}, Profiles: profiles{
		"plain":            {"region": "eu-west-1"},
		"loop-a":           {"role_arn": "arn:aws:iam::111122223333:role/A", "source_profile": "loop-b"},
		"loop-b":           {"role_arn": "arn:aws:iam::111122223333:role/B", "source_profile": "loop-a"},
		"no-session":       {"sso_session": "corp", "sso_account_id": "111122223333", "sso_role_name": "Admin"},
		"half-sso":         {"sso_session": "corp"},
		"sso-session corp": {"sso_start_url": "https://d-123.awsapps.com/start"},
	}}
	for _, c := range []struct{ name, profile, want string }{
		{"an unknown profile names the commands that make profiles", "nope", "keyward profiles sync"},
		{"a profile with no role and no kept keys says how to add keys", "plain", "keyward add plain"},
		{"a source_profile loop is refused before any call", "loop-a", `source_profile leads back to "loop-a"`},
		{"an sso-session without a region says to pass one", "no-session", "--region"},
		{"an SSO profile missing its account and role says what it needs", "half-sso", "sso_account_id"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := r.Credentials(context.Background(), c.profile)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want it to mention %q", err, c.want)
			}
		})
	}
}
