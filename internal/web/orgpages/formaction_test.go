package orgpages

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/web/look"
)

func TestReturnOrigin(t *testing.T) {
	tests := []struct{ name, next, want string }{
		{"an org server authorization request returns to its loopback redirect URI",
			"/oauth2/v1/authorize?client_id=c&redirect_uri=http%3A%2F%2F127.0.0.1%3A8123%2Fcallback", "http://127.0.0.1:8123"},
		{"a custom server's authorization request returns to its https redirect URI",
			"/oauth2/default/v1/authorize?redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb%3Fx%3D1", "https://app.example.com"},
		{"a dashboard path stays on this site", "/app/UserHome", ""},
		{"a SAML app's sign-on stays on this site", "/app/amazon_aws/0oa1/sso/saml?redirect_uri=https%3A%2F%2Fevil.example", ""},
		{"a redirect URI with another scheme opens nothing", "/oauth2/v1/authorize?redirect_uri=javascript%3Aalert(1)", ""},
		{"a redirect URI whose host would break the policy opens nothing",
			"/oauth2/v1/authorize?redirect_uri=https%3A%2F%2Fa.example%3B%20script-src%20*", ""},
		{"an authorization request with no redirect URI opens nothing", "/oauth2/v1/authorize?client_id=c", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := returnOrigin(tt.next); got != tt.want {
				t.Errorf("returnOrigin(%q) = %q, want %q", tt.next, got, tt.want)
			}
		})
	}
}

func TestAllowReturnOpensOnlyFormAction(t *testing.T) {
	w := httptest.NewRecorder()
	w.Header().Set("Content-Security-Policy", look.CSP)
	allowReturn(w, "/oauth2/v1/authorize?redirect_uri=http%3A%2F%2F127.0.0.1%3A8123%2Fcallback")
	want := strings.Replace(look.CSP, "form-action 'self'", "form-action 'self' http://127.0.0.1:8123", 1)
	if got := w.Header().Get("Content-Security-Policy"); got != want {
		t.Errorf("CSP = %q, want %q", got, want)
	}
	w = httptest.NewRecorder()
	w.Header().Set("Content-Security-Policy", look.CSP)
	allowReturn(w, "/app/UserHome")
	if got := w.Header().Get("Content-Security-Policy"); got != look.CSP {
		t.Errorf("a sign-in headed for the dashboard changed the CSP to %q", got)
	}
}

func FuzzReturnOrigin(f *testing.F) {
	f.Add("/oauth2/v1/authorize?redirect_uri=http%3A%2F%2F127.0.0.1%3A8123%2Fcallback")
	f.Add("/oauth2/aus1/v1/authorize?redirect_uri=https%3A%2F%2F%5B%3A%3A1%5D%3A9%2F")
	f.Add("/app/UserHome")
	f.Fuzz(func(t *testing.T, next string) {
		o := returnOrigin(next)
		if o == "" {
			return
		}
		scheme, host, ok := strings.Cut(o, "://")
		if !ok || (scheme != "http" && scheme != "https") || !originHost.MatchString(host) {
			t.Errorf("returnOrigin(%q) = %q, not an origin a CSP may name", next, o)
		}
	})
}
