package orgpages

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/directory"
)

// brokenLinks is a sign-in service whose store fails behind every link.
type brokenLinks struct{ SignIn }

func (brokenLinks) LinkUser(context.Context, string, directory.UserTokenPurpose) (directory.User, error) {
	return directory.User{}, errors.New("database is locked")
}

// A link's token is a bearer secret that stays live when its page fails:
// the log of the failure must not carry it.
func TestAFailingLinkPageLogsNoToken(t *testing.T) {
	const token = "kw-live-link-token-0123456789abcdef"
	var logged bytes.Buffer
	h := (&Pages{SignIn: brokenLinks{}, Log: slog.New(slog.NewTextHandler(&logged, nil))}).Handler()
	for _, path := range []string{"/welcome/" + token, "/reset_password/" + token} {
		for _, method := range []string{"GET", "POST"} {
			logged.Reset()
			form := url.Values{"password": {"Correct-Horse-9"}, "confirm": {"Correct-Horse-9"}}
			r := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusInternalServerError {
				t.Fatalf("%s %s: %d, want 500", method, path, w.Code)
			}
			if !strings.Contains(logged.String(), "database is locked") {
				t.Errorf("%s %s: the failure is not logged: %q", method, path, logged.String())
			}
			if strings.Contains(logged.String(), token) {
				t.Errorf("%s %s: the log carries the link's token: %q", method, path, logged.String())
			}
		}
	}
}
