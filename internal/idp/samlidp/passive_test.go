package samlidp_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/directory"
)

// IsPassive="true" (SAML core §3.4.1) forbids the IdP to take over the
// person's screen: where a sign-in (or a second factor, or ForceAuthn's new
// sign-in) would be needed, the SP gets a Response with the status
// Responder/NoPassive at its ACS URL, in response to its request, instead
// of the person landing on the sign-in page.
func TestIsPassiveNeverShowsTheSignInPage(t *testing.T) {
	f := newFixture(t)
	old := f.session(t, f.alice)
	f.clk.Advance(10 * time.Minute)
	passive := func(extra string) string {
		return "?" + redirectQuery(t, authnRequest(f.app, "_passive", ` IsPassive="true"`+extra), "relay/p", nil, "", 0)
	}
	cases := []struct {
		name    string
		query   string
		cookies []*http.Cookie
	}{
		{"a person without a session", passive(""), nil},
		{"a ForceAuthn request on an older session", passive(` ForceAuthn="true"`), []*http.Cookie{old}},
	}
	for _, tc := range cases {
		t.Run(tc.name+" gets NoPassive at the ACS URL", func(t *testing.T) {
			w := f.do("GET", ssoPath(f.app)+tc.query, nil, tc.cookies...)
			p := postedForm(t, w)
			root := parseDoc(t, decode(t, p.SAMLResponse))
			active, err := f.keys.Active(t.Context())
			must(t, err)
			if _, err := verifiedBy(t, root, active.Key.Certificate, f.clk.Now()); err != nil {
				t.Errorf("the response's signature does not verify: %v", err)
			}
			var codes []string
			for sc := root.FindElement("./Status/StatusCode"); sc != nil; sc = sc.SelectElement("StatusCode") {
				codes = append(codes, sc.SelectAttrValue("Value", ""))
			}
			got := map[string]any{"action": p.Action, "relay": p.RelayState, "inResponseTo": root.SelectAttrValue("InResponseTo", ""),
				"destination": root.SelectAttrValue("Destination", ""), "status": codes,
				"assertion": root.FindElement("//Assertion") != nil}
			want := map[string]any{"action": acsURL, "relay": "relay/p", "inResponseTo": "_passive", "destination": acsURL,
				"status":    []string{"urn:oasis:names:tc:SAML:2.0:status:Responder", "urn:oasis:names:tc:SAML:2.0:status:NoPassive"},
				"assertion": false}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("the posted response (-want +got):\n%s", diff)
			}
			if e := lastEvent(t, f.s); e.Outcome != audit.Deny || e.Detail["status"] != "urn:oasis:names:tc:SAML:2.0:status:NoPassive" {
				t.Errorf("last event %s %s %v, want the refusal logged", e.Action, e.Outcome, e.Detail)
			}
		})
	}
	t.Run("a session that needs a second factor gets NoPassive rather than the step", func(t *testing.T) {
		must(t, f.s.PutSignOnPolicy(t.Context(), directory.SignOnPolicy{GroupID: f.eng.ID, RequireMFA: true,
			IdleLifetime: time.Hour, MaxLifetime: 8 * time.Hour}))
		defer func() { must(t, f.s.DeleteSignOnPolicy(t.Context(), f.eng.ID)) }()
		p := postedForm(t, f.do("GET", ssoPath(f.app)+passive(""), nil, f.session(t, f.alice)))
		root := parseDoc(t, decode(t, p.SAMLResponse))
		if sc := root.FindElement("./Status/StatusCode/StatusCode"); sc == nil ||
			sc.SelectAttrValue("Value", "") != "urn:oasis:names:tc:SAML:2.0:status:NoPassive" {
			t.Errorf("response %s, want the NoPassive status", decode(t, p.SAMLResponse))
		}
	})
	t.Run("a POST request, which carries no session cookie, comes back as a GET and gets NoPassive", func(t *testing.T) {
		w := f.do("POST", ssoPath(f.app), postForm(authnRequest(f.app, "_passive", ` IsPassive="true"`), ""))
		loc := w.Header().Get("Location")
		if w.Code != http.StatusSeeOther || !strings.HasPrefix(loc, ssoPath(f.app)+"?resume=") {
			t.Fatalf("status %d to %q, want 303 to the SSO path's resume URL", w.Code, loc)
		}
		p := postedForm(t, f.do("GET", loc, nil, w.Result().Cookies()...))
		root := parseDoc(t, decode(t, p.SAMLResponse))
		if sc := root.FindElement("./Status/StatusCode/StatusCode"); sc == nil ||
			sc.SelectAttrValue("Value", "") != "urn:oasis:names:tc:SAML:2.0:status:NoPassive" || root.SelectAttrValue("InResponseTo", "") != "_passive" {
			t.Errorf("response %s, want the NoPassive status in response to _passive", decode(t, p.SAMLResponse))
		}
	})
	t.Run("a session that will do is answered as usual", func(t *testing.T) {
		p := postedForm(t, f.do("GET", ssoPath(f.app)+passive(""), nil, old))
		f.spAccepts(t, f.app, p)
	})
}
