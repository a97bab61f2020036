package orgpages

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/authn/orgsignin"
	"github.com/keyward/keyward/internal/directory"
)

// anyPassword is a sign-in service that takes any password and starts a
// session; the sign-in state travels as plain JSON.
type anyPassword struct{ SignIn }

func (anyPassword) Seal(st orgsignin.State) string {
	b, _ := json.Marshal(st)
	return url.QueryEscape(string(b))
}
func (anyPassword) Open(v string) (orgsignin.State, error) {
	var st orgsignin.State
	s, _ := url.QueryUnescape(v)
	return st, json.Unmarshal([]byte(s), &st)
}
func (anyPassword) Password(_ context.Context, st orgsignin.State, _, _ string) (orgsignin.State, error) {
	st.UserID, st.Step = "00u1", orgsignin.StepDone
	return st, nil
}
func (anyPassword) StartSession(context.Context, orgsignin.State, string, string) (string, directory.Session, error) {
	now := time.Now()
	return "v", directory.Session{LastActive: now, ExpiresAt: now.Add(time.Hour)}, nil
}

// signInHeadedFor signs in with the login form's next field and returns
// where the browser is sent at the end.
func signInHeadedFor(t *testing.T, next string) string {
	t.Helper()
	h := (&Pages{SignIn: anyPassword{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler()
	post := func(path string, form url.Values, cookies []*http.Cookie) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range cookies {
			r.AddCookie(c)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("POST %s: %d %s", path, w.Code, w.Body)
		}
		return w
	}
	w := post("/login", url.Values{"username": {"alice@example.com"}, "next": {next}}, nil)
	w = post("/login/step", url.Values{"password": {"x"}}, w.Result().Cookies())
	return w.Header().Get("Location")
}

// Browsers drop tabs and newlines anywhere in a URL, so "/\t/evil.example"
// is "//evil.example", another site: a return address with one must not
// survive the sign-in, or the org URL is an open redirect.
func TestASignInNeverSendsThePersonToAnotherSite(t *testing.T) {
	for _, next := range []string{"/\t/evil.example/", "/\t\\evil.example", "//evil.example", "https://evil.example/", "/\\evil.example"} {
		loc := signInHeadedFor(t, next)
		clean := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(loc)
		if !strings.HasPrefix(clean, "/") || strings.HasPrefix(clean, "//") {
			t.Errorf("next %q: signed in and sent to %q, which a browser reads as %q", next, loc, clean)
		}
	}
	if loc := signInHeadedFor(t, "/app/UserHome?tab=apps"); loc != "/app/UserHome?tab=apps" {
		t.Errorf("a path on this site: sent to %q", loc)
	}
}
