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
