package web

import (
	"html"
	"net/http"
	"strings"
	"testing"
)

func TestAPersonWhoIsNotSignedInIsAskedToSignInAndComesBack(t *testing.T) {
	f := newFixture(t, nil)
	ended := f.session()
	f.serve(http.MethodPost, "/start/signout", "", ended)
	for _, tt := range []struct {
		name   string
		cookie *http.Cookie
		path   string
	}{
		{"no cookie, the portal", nil, "/start"},
		{"no cookie, an account", nil, "/start/account/111122223333"},
		{"no cookie, the device link", nil, "/device?user_code=BCDF-GHJK"},
		{"a signed-out session, credentials", ended, "/start/credentials?account_id=111122223333&role_name=DevOps"},
		{"a cookie that was never a session", &http.Cookie{Name: sessionCookie, Value: "forged"}, "/start"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := f.serve(http.MethodGet, tt.path, "", tt.cookie)
			if got.status != http.StatusOK || !strings.Contains(got.body, `id="signin"`) {
				t.Fatalf("GET %s = %d, want 200 with the sign-in form\n%s", tt.path, got.status, got.body)
			}
			if next := `name="next" value="` + html.EscapeString(tt.path) + `"`; !strings.Contains(got.body, next) {
				t.Errorf("the form does not return to %s\n%s", tt.path, got.body)
			}
		})
	}
	t.Run("a decision posted after the session ended says so", func(t *testing.T) {
		got := f.serve(http.MethodPost, "/device", "user_code=BCDF-GHJK&action=allow", ended)
		if got.status != http.StatusUnauthorized || got.shownError() != "Your session has ended. Sign in again." ||
			!strings.Contains(got.body, `id="signin"`) {
			t.Errorf("POST /device = %d %q, want 401 with the sign-in form saying the session ended", got.status, got.shownError())
		}
	})
}

func TestASignedInPersonSeesTheirAccountsRolesAndCredentials(t *testing.T) {
	f := newFixture(t, nil)
	alice := f.session()
	for _, tt := range []struct{ path, want string }{
		{"/start", `<strong>Dev</strong>`},
		{"/start/account/111122223333", `<strong class="role-name">DevOps</strong>`},
		{"/start/credentials?account_id=111122223333&role_name=DevOps", `export AWS_ACCESS_KEY_ID="ASIA`},
		{"/device", `id="enter-code"`},
	} {
		got := f.serve(http.MethodGet, tt.path, "", alice)
		if got.status != http.StatusOK || !strings.Contains(got.body, tt.want) || !strings.Contains(got.body, `id="signed-in-user">alice<`) {
			t.Errorf("GET %s = %d, want 200 showing %s to alice\n%s", tt.path, got.status, tt.want, got.body)
		}
	}
}
