package samlidp_test

import (
	"encoding/base32"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/authn/totp"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/web/orgpages"
)

// TestStepUpThroughTheOrgPages runs the second-factor step the SSO
// endpoint sends a password-only session to on the real org pages, and
// comes back to the parked request with the new session.
func TestStepUpThroughTheOrgPages(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	must(t, f.s.PutSignOnPolicy(ctx, directory.SignOnPolicy{GroupID: f.eng.ID, RequireMFA: true,
		IdleLifetime: time.Hour, MaxLifetime: 8 * time.Hour}))
	e, err := f.signIn.BeginTOTP(ctx, f.alice)
	must(t, err)
	_, q, _ := strings.Cut(e.URI, "secret=")
	q, _, _ = strings.Cut(q, "&")
	secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(q)
	must(t, err)
	must(t, f.signIn.ConfirmTOTP(ctx, f.alice.ID, e.FactorID, totp.Code(secret, f.clk.Now())))
	f.clk.Advance(time.Minute) // the enrolment's code is spent

	mux := http.NewServeMux()
	f.h.Routes(mux)
	mux.Handle("/", (&orgpages.Pages{SignIn: f.signIn, Directory: f.s, SecureCookies: true}).Handler())
	jar := map[string]*http.Cookie{}
	do := func(method, target string, form url.Values) *httptest.ResponseRecorder {
		var cookies []*http.Cookie
		for _, c := range jar {
			cookies = append(cookies, c)
		}
		f.srv = mux
		w := f.do(method, target, form, cookies...)
		for _, c := range w.Result().Cookies() {
			if c.MaxAge < 0 {
				delete(jar, c.Name)
			} else {
				jar[c.Name] = c
			}
		}
		return w
	}
	jar["keyward_org_session"] = f.session(t, f.alice, "pwd")
	query := "?" + redirectQuery(t, authnRequest(f.app, "_stepup", ""), "", nil, "", 0)

	w := do("GET", ssoPath(f.app)+query, nil)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/login/step" {
		t.Fatalf("SSO: status %d to %q, want the second-factor step", w.Code, w.Header().Get("Location"))
	}
	if w = do("GET", "/login/step", nil); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `name="code"`) {
		t.Fatalf("the org pages' step: status %d\n%s", w.Code, w.Body)
	}
	w = do("POST", "/login/step", url.Values{"code": {totp.Code(secret, f.clk.Now())}})
	back := w.Header().Get("Location")
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(back, ssoPath(f.app)+"?resume=") {
		t.Fatalf("after the code: status %d to %q, want back to the SSO endpoint", w.Code, back)
	}
	p := postedForm(t, do("GET", back, nil))
	f.spAccepts(t, f.app, p)
	if got := parseDoc(t, decode(t, p.SAMLResponse)).SelectAttrValue("InResponseTo", ""); got != "_stepup" {
		t.Errorf("InResponseTo %q, want the parked request's _stepup", got)
	}
}
