package e2e

import (
	"net/http"
	"net/url"
	"testing"
)

// wantNoStore checks a response carrying a secret forbids caching it:
// Cache-Control: no-store, and Pragma: no-cache for HTTP/1.0 caches, as
// RFC 6749 §5.1 requires of OAuth token responses.
func wantNoStore(t *testing.T, what string, w wire) {
	t.Helper()
	if got := w.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("%s: Cache-Control = %q, want no-store", what, got)
	}
	if got := w.Header.Get("Pragma"); got != "no-cache" {
		t.Errorf("%s: Pragma = %q, want no-cache", what, got)
	}
}

func TestResponsesCarryingSecretsAreNotCached(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	b := s.browser()
	b.signIn(aliceName, alicePassword)

	reg := s.restJSON(t, "/client/register", map[string]any{"clientName": "cache", "clientType": "public"})
	wantNoStore(t, "RegisterClient (a client secret)", reg)
	c := s.registerClient(t, "cache")
	auth := s.restJSON(t, "/device_authorization", map[string]string{"clientId": c.ID, "clientSecret": c.Secret, "startUrl": s.main.StartURL})
	wantNoStore(t, "StartDeviceAuthorization (a device code)", auth)
	d := s.startDevice(t, c)
	wantNoStore(t, "CreateToken while pending (an OAuth error)", s.pollToken(t, c, d.Code))
	b.approve(d.URIComplete, true)
	tok := s.pollToken(t, c, d.Code)
	wantNoStore(t, "CreateToken (an access token)", tok)

	q := url.Values{"account_id": {st.AccountID}, "role_name": {"DevOps"}}
	creds := s.portalGET(t, "/federation/credentials?"+q.Encode(), tok.ok(t)["accessToken"].(string))
	if creds.Status != http.StatusOK {
		t.Fatalf("GetRoleCredentials: %d %s", creds.Status, creds.Body)
	}
	wantNoStore(t, "GetRoleCredentials (role credentials)", creds)
}
