package oktaapi

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// Answers carrying secrets (a client secret shown once, an activation
// token, a reset link) must not be kept by a browser or a proxy cache:
// every answer of the API, errors included, forbids storing it, as Okta's
// do.
func TestAnswersAreNeverStoredByCaches(t *testing.T) {
	w := newAppWorld(t)
	alice := w.user("alice@example.com")
	send := func(method, path, body string) *httptest.ResponseRecorder {
		t.Helper()
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Authorization", "SSWS "+w.admin)
		rec := httptest.NewRecorder()
		w.a.ServeHTTP(rec, r)
		return rec
	}
	for _, c := range []struct{ name, method, path, body string }{
		{"a new client secret", "POST", "/api/v1/apps", webBody},
		{"a reset link", "POST", "/api/v1/users/" + alice.ID + "/lifecycle/reset_password?sendEmail=false", ""},
		{"a user", "GET", "/api/v1/users/" + alice.ID, ""},
		{"an error", "GET", "/api/v1/users/00uNoSuchUser0000000", ""},
	} {
		rec := send(c.method, c.path, c.body)
		if rec.Code >= 500 || rec.Header().Get("Cache-Control") != "no-store" || rec.Header().Get("Pragma") != "no-cache" {
			t.Errorf("%s: %d with Cache-Control %q, Pragma %q; want no-store and no-cache", c.name, rec.Code,
				rec.Header().Get("Cache-Control"), rec.Header().Get("Pragma"))
		}
	}
}
