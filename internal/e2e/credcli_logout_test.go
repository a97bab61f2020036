package e2e

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestCredentialCLILogoutEndsTheSignIn: keyward logout does what `aws sso
// logout` does. The access token stops working at the portal (sso:Logout),
// and the role credentials cached for the sign-in's profiles are
// not handed out afterwards, so whoever signs in next on this laptop does
// not get them.
func TestCredentialCLILogoutEndsTheSignIn(t *testing.T) {
	_, c, _, k := signedInCLI(t)
	const profile = "Dev-DevOps"
	k.credentials(t, profile) // now cached
	cache, err := os.ReadFile(c.tokenCache())
	must(t, err)
	var tok struct{ AccessToken string }
	must(t, json.Unmarshal(cache, &tok))

	k.mustRun(t, "logout")
	if _, msg, code := k.run("", "credentials", profile); code != 1 ||
		!strings.Contains(msg, "sign in again with `keyward login --sso-session kw`") {
		t.Errorf("credentials %s after logout (its role credentials were cached) exited %d:\n%s", profile, code, msg)
	}
	out := c.mustFail(t, "sso", "list-accounts", "--access-token", tok.AccessToken, "--region", "us-east-1", "--output", "json")
	if !strings.Contains(out, "UnauthorizedException") {
		t.Errorf("list-accounts with the access token keyward logout ended printed\n%s\nwant UnauthorizedException", out)
	}
}

// TestCredentialCLILoginAgainStartsFromTheNewSignIn: signing in again (to
// pick up changed access, or as someone else) drops the role credentials
// cached from the sign-in it replaces, as logout does; the next fetch gets
// keys from the new sign-in, not the old one's until they expire.
func TestCredentialCLILoginAgainStartsFromTheNewSignIn(t *testing.T) {
	s, _, _, k := signedInCLI(t)
	const profile = "Dev-DevOps"
	before := k.credentials(t, profile)
	if again := k.credentials(t, profile); again.AccessKeyId != before.AccessKeyId {
		t.Fatalf("a second fetch got new keys (%s, then %s): the credentials were not cached", before.AccessKeyId, again.AccessKeyId)
	}
	k.login(t, s, "--sso-session", "kw")
	if after := k.credentials(t, profile); after.AccessKeyId == before.AccessKeyId {
		t.Errorf("after signing in again, credentials %s handed out the old sign-in's cached keys %s", profile, after.AccessKeyId)
	}
}
