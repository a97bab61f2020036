package e2e

import (
	"strings"
	"testing"
)

// TestCredentialCLILogoutEndsTheSignIn: keyward logout does what `aws sso
// logout` does: the role credentials cached for the sign-in's profiles are
// not handed out afterwards, so whoever signs in next on this laptop does
// not get them.
func TestCredentialCLILogoutEndsTheSignIn(t *testing.T) {
	_, _, _, k := signedInCLI(t)
	const profile = "Dev-DevOps"
	k.credentials(t, profile) // now cached

	k.mustRun(t, "logout")
	if _, msg, code := k.run("", "credentials", profile); code != 1 ||
		!strings.Contains(msg, "sign in again with `keyward login --sso-session kw`") {
		t.Errorf("credentials %s after logout (its role credentials were cached) exited %d:\n%s", profile, code, msg)
	}
}
