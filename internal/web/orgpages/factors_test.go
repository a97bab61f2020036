package orgpages

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/authn/totp"
)

// An authenticator app's secret is shown once, while it is being set up.
// Posting a wrong code "to confirm" an app that is already active must
// not show its secret again: whoever holds a session (a stolen cookie)
// would copy it and carry the person's second factor away for good.
func TestAnActiveAuthenticatorAppsSecretIsNeverShownAgain(t *testing.T) {
	o := newOrg(t)
	id, secret := o.addTOTP()
	b := o.browser()
	b.signIn(nil) // no policy asks for the second factor

	w := b.do("POST", "/app/totp/"+id, url.Values{"code": {"000000"}})
	if body := w.Body.String(); strings.Contains(body, totp.Base32Grouped(secret)) || strings.Contains(body, totp.Base32(secret)) {
		t.Fatalf("POST /app/totp/%s: %d shows the active app's secret", id, w.Code)
	}
	if w.Code == http.StatusOK || w.Code >= 500 {
		t.Errorf("POST /app/totp/%s: %d, want a refusal", id, w.Code)
	}
}
