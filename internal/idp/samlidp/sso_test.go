package samlidp_test

import (
	"context"
	"crypto"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

func TestIdPInitiatedSignIn(t *testing.T) {
	f := newFixture(t)
	cookie := f.session(t, f.alice)
	w := f.do("GET", ssoPath(f.app), nil, cookie)
	p := postedForm(t, w)
	if p.Action != acsURL {
		t.Errorf("form posts to %q, want the registered ACS URL %q", p.Action, acsURL)
	}
	if csp := w.Header().Get("Content-Security-Policy"); strings.Contains(csp, "form-action") ||
		!strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP %q does not let the form post (and the ACS's redirects) go anywhere with only this site's script", csp)
	}
	info := f.spAccepts(t, f.app, p)
	sessions, err := f.s.ListIdPSessions(t.Context(), f.alice.ID)
	must(t, err)
	got := map[string]any{"nameID": info.NameID, "department": info.Values.GetAll("department"),
		"displayName": info.Values.GetAll("displayName"), "groups": info.Values.GetAll("groups"),
		"sessionNotOnOrAfter": info.SessionNotOnOrAfter.UTC(), "responseSigned": info.ResponseSignatureValidated}
	want := map[string]any{"nameID": "alice.liddell@example.com", "department": []string{"Research"},
		"displayName": []string{"Alice Liddell"}, "groups": []string{"AWS-Admins"},
		"sessionNotOnOrAfter": sessions[0].ExpiresAt.Truncate(time.Millisecond), "responseSigned": true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("what the SP reads (-want +got):\n%s", diff)
	}
	t.Run("the sign-in is in the system log with the app as target", func(t *testing.T) {
		e := lastEvent(t, f.s)
		got := []string{e.Action, e.Outcome, e.TargetType, e.TargetID, e.Actor.ID}
		want := []string{"user.authentication.sso", audit.Success, "AppInstance", f.app.ID, f.alice.ID}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("event (-want +got):\n%s", diff)
		}
	})
}

func lastEvent(t testing.TB, s store.IdP) audit.Event {
	t.Helper()
	evs, _, err := s.ListEvents(context.Background(), store.Page{Limit: 1})
	must(t, err)
	return evs[0]
}

func TestSPInitiatedSignIn(t *testing.T) {
	f := newFixture(t)
	signed := f.addApp(func(a *directory.App) { a.Name = "signed_saml"; a.SAML.SPCertificates = [][]byte{f.spCert} })
	f.assign(signed, f.alice)
	cookie := f.session(t, f.alice)
	tests := []struct {
		name string
		app  directory.App
		send func(directory.App) (string, url.Values)
	}{
		{"an unsigned redirect request to an app without a certificate", f.app, func(a directory.App) (string, url.Values) {
			return "?" + redirectQuery(t, authnRequest(a, "_req1", ""), "relay/1", nil, "", 0), nil
		}},
		{"a signed redirect request to an app with a certificate", signed, func(a directory.App) (string, url.Values) {
			return "?" + redirectQuery(t, authnRequest(a, "_req1", ""), "relay/1", f.spKey, rsaSHA256, crypto.SHA256), nil
		}},
		{"an unsigned POST request to an app without a certificate", f.app, func(a directory.App) (string, url.Values) {
			return "", postForm(authnRequest(a, "_req1", ""), "relay/1")
		}},
		{"a signed POST request to an app with a certificate", signed, func(a directory.App) (string, url.Values) {
			return "", postForm(signXML(t, authnRequest(a, "_req1", ""), f.spKey, f.spCert, rsaSHA256), "relay/1")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name+" is answered in response to it", func(t *testing.T) {
			query, form := tc.send(tc.app)
			method := "GET"
			if form != nil {
				method = "POST"
			}
			w := f.do(method, ssoPath(tc.app)+query, form, cookie)
			p := postedForm(t, w)
			info := f.spAccepts(t, tc.app, p)
			root := parseDoc(t, decode(t, p.SAMLResponse))
			got := []string{p.RelayState, root.SelectAttrValue("InResponseTo", ""), info.Assertions[0].Subject.SubjectConfirmation.SubjectConfirmationData.InResponseTo}
			if diff := cmp.Diff([]string{"relay/1", "_req1", "_req1"}, got); diff != "" {
				t.Errorf("RelayState, Response InResponseTo, SubjectConfirmationData InResponseTo (-want +got):\n%s", diff)
			}
		})
	}
}

func postForm(doc, relay string) url.Values {
	v := url.Values{"SAMLRequest": {b64(doc)}}
	if relay != "" {
		v.Set("RelayState", relay)
	}
	return v
}

func TestSignInFirst(t *testing.T) {
	f := newFixture(t)
	query := "?" + redirectQuery(t, authnRequest(f.app, "_req7", ""), "relay/7", nil, "", 0)

	t.Run("a person without a session signs in and comes back to the same request", func(t *testing.T) {
		w := f.do("GET", ssoPath(f.app)+query, nil)
		loc := w.Header().Get("Location")
		if w.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") {
			t.Fatalf("status %d to %q, want 303 to /login?next=...", w.Code, loc)
		}
		next, _ := url.QueryUnescape(strings.TrimPrefix(loc, "/login?next="))
		if !strings.HasPrefix(next, ssoPath(f.app)+"?resume=") || len(next) > 512 {
			t.Fatalf("next = %q, want the SSO path with a short resume parameter", next)
		}
		parked := w.Result().Cookies()
		w = f.do("GET", next, nil, append(parked, f.session(t, f.alice))...)
		p := postedForm(t, w)
		f.spAccepts(t, f.app, p)
		if got := parseDoc(t, decode(t, p.SAMLResponse)).SelectAttrValue("InResponseTo", ""); got != "_req7" || p.RelayState != "relay/7" {
			t.Errorf("InResponseTo %q, RelayState %q; want the parked request's _req7, relay/7", got, p.RelayState)
		}
	})

	t.Run("a POST request, which carries no session cookie, comes back as a GET", func(t *testing.T) {
		w := f.do("POST", ssoPath(f.app), postForm(authnRequest(f.app, "_req8", ""), ""))
		loc := w.Header().Get("Location")
		if w.Code != http.StatusSeeOther || !strings.HasPrefix(loc, ssoPath(f.app)+"?resume=") {
			t.Fatalf("status %d to %q, want 303 to the SSO path's resume URL", w.Code, loc)
		}
		w = f.do("GET", loc, nil, append(w.Result().Cookies(), f.session(t, f.alice))...)
		p := postedForm(t, w)
		if got := parseDoc(t, decode(t, p.SAMLResponse)).SelectAttrValue("InResponseTo", ""); got != "_req8" {
			t.Errorf("InResponseTo %q, want _req8", got)
		}
	})

	t.Run("a resume without its parked request starts over with a page that says so", func(t *testing.T) {
		w := f.do("GET", ssoPath(f.app)+"?resume=0123456789abcdef01234567", nil, f.session(t, f.alice))
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "took too long") {
			t.Errorf("status %d, body %s", w.Code, w.Body)
		}
	})
}

func TestMFAStepUp(t *testing.T) {
	f := newFixture(t)
	must(t, f.s.PutSignOnPolicy(t.Context(), directory.SignOnPolicy{GroupID: f.eng.ID, RequireMFA: true,
		IdleLifetime: time.Hour, MaxLifetime: 8 * time.Hour}))

	t.Run("a password-only session is sent through the second-factor step first", func(t *testing.T) {
		w := f.do("GET", ssoPath(f.app), nil, f.session(t, f.alice, "pwd"))
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/login/step" {
			t.Fatalf("status %d to %q, want 303 to /login/step", w.Code, w.Header().Get("Location"))
		}
		var state string
		for _, c := range w.Result().Cookies() {
			if c.Name == "keyward_org_signin" {
				state = c.Value
			}
		}
		st, err := f.signIn.Open(state)
		must(t, err)
		if st.UserID != f.alice.ID || st.Step != "enroll" || !strings.HasPrefix(st.Next, ssoPath(f.app)+"?resume=") {
			t.Errorf("sign-in state %+v, want alice at the enrolment step (she has no factor) coming back to the app", st)
		}
		if strings.Contains(w.Body.String(), "SAMLResponse") {
			t.Error("a response was issued before the second factor")
		}
	})

	t.Run("a session with a second factor is answered at once", func(t *testing.T) {
		postedForm(t, f.do("GET", ssoPath(f.app), nil, f.session(t, f.alice, "pwd", "otp")))
	})
}

func TestMetadataAndRotation(t *testing.T) {
	f := newFixture(t)
	meta := func() []string {
		w := f.do("GET", "/api/v1/apps/"+f.app.ID+"/sso/saml/metadata", nil)
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/xml") {
			t.Fatalf("metadata: status %d, %s", w.Code, w.Body)
		}
		root := parseDoc(t, w.Body.Bytes())
		if got := root.SelectAttrValue("entityID", ""); got != orgURL+"/app/"+f.app.ID {
			t.Errorf("entityID %q", got)
		}
		var kids []string
		for _, kn := range root.FindElements("//KeyDescriptor/KeyInfo/KeyName") {
			kids = append(kids, kn.Text())
		}
		var bindings []string
		for _, s := range root.FindElements("//SingleSignOnService") {
			bindings = append(bindings, s.SelectAttrValue("Binding", "")+" "+s.SelectAttrValue("Location", ""))
		}
		sso := orgURL + ssoPath(f.app)
		if diff := cmp.Diff([]string{"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect " + sso,
			"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST " + sso}, bindings); diff != "" {
			t.Errorf("SSO services (-want +got):\n%s", diff)
		}
		return kids
	}
	signingKey := func() string {
		p := postedForm(t, f.do("GET", ssoPath(f.app), nil, f.session(t, f.alice)))
		f.spAccepts(t, f.app, p)
		a := parseDoc(t, decode(t, p.SAMLResponse)).FindElement("//Assertion")
		return strings.TrimSpace(a.FindElement("./Signature/KeyInfo/X509Data/X509Certificate").Text())
	}
	first := meta()
	if len(first) != 1 {
		t.Fatalf("metadata lists %d keys before any rotation, want 1", len(first))
	}
	oldCert := signingKey()
	next, err := f.keys.Rotate(t.Context())
	must(t, err)
	t.Run("during the overlap the metadata lists the active and the next key, and the active one signs", func(t *testing.T) {
		if diff := cmp.Diff([]string{first[0], next.ID}, meta()); diff != "" {
			t.Errorf("published keys (-want +got):\n%s", diff)
		}
		if signingKey() != oldCert {
			t.Error("the next key signed before it activated")
		}
	})
	f.clk.Advance(25 * time.Hour)
	t.Run("after it activates the next key signs and the previous one stays listed", func(t *testing.T) {
		if diff := cmp.Diff([]string{first[0], next.ID}, meta()); diff != "" {
			t.Errorf("published keys (-want +got):\n%s", diff)
		}
		if signingKey() == oldCert {
			t.Error("the retired key still signs")
		}
	})
	f.clk.Advance(24 * time.Hour)
	t.Run("an overlap after retiring the previous key leaves the metadata", func(t *testing.T) {
		if diff := cmp.Diff([]string{next.ID}, meta()); diff != "" {
			t.Errorf("published keys (-want +got):\n%s", diff)
		}
	})
	t.Run("the kid parameter selects one published key and an unknown one is not found", func(t *testing.T) {
		if w := f.do("GET", "/api/v1/apps/"+f.app.ID+"/sso/saml/metadata?kid="+first[0], nil); w.Code != 404 {
			t.Errorf("retired kid: status %d, want 404", w.Code)
		}
	})
}

// ForceAuthn="true" (SAML core §3.4.1) asks the IdP to authenticate the
// person again rather than rely on their session; Okta honours it.
func TestForceAuthnSignsInAgain(t *testing.T) {
	f := newFixture(t)
	old := f.session(t, f.alice)
	f.clk.Advance(10 * time.Minute)
	query := "?" + redirectQuery(t, authnRequest(f.app, "_force", ` ForceAuthn="true"`), "relay/f", nil, "", 0)

	w := f.do("GET", ssoPath(f.app)+query, nil, old)
	loc := w.Header().Get("Location")
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") || strings.Contains(w.Body.String(), "SAMLResponse") {
		t.Fatalf("status %d to %q, want 303 to /login?next=... and no response on the old session", w.Code, loc)
	}
	next, _ := url.QueryUnescape(strings.TrimPrefix(loc, "/login?next="))
	parked := w.Result().Cookies()

	t.Run("coming back with the old session still asks for a sign-in", func(t *testing.T) {
		w := f.do("GET", next, nil, append(parked, old)...)
		if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/login?next=") {
			t.Fatalf("status %d to %q, want 303 to /login again", w.Code, w.Header().Get("Location"))
		}
	})
	t.Run("coming back with a new sign-in answers the request", func(t *testing.T) {
		f.clk.Advance(time.Minute)
		fresh := f.session(t, f.alice)
		p := postedForm(t, f.do("GET", next, nil, append(parked, fresh)...))
		info := f.spAccepts(t, f.app, p)
		root := parseDoc(t, decode(t, p.SAMLResponse))
		got := []string{root.SelectAttrValue("InResponseTo", ""), p.RelayState,
			root.FindElement("//AuthnStatement").SelectAttrValue("AuthnInstant", "")}
		want := []string{"_force", "relay/f", "2026-12-02T09:11:00.000Z"}
		if diff := cmp.Diff(want, got); diff != "" || info == nil {
			t.Errorf("InResponseTo, RelayState, AuthnInstant (-want +got):\n%s", diff)
		}
	})
	t.Run("without ForceAuthn the old session is enough", func(t *testing.T) {
		q := "?" + redirectQuery(t, authnRequest(f.app, "_plain", ` ForceAuthn="false"`), "", nil, "", 0)
		postedForm(t, f.do("GET", ssoPath(f.app)+q, nil, old))
	})
}

// An IdP-initiated sign-in link may carry ?RelayState= (Okta's app embed
// link does, e.g. an AWS console page to land on); it goes to the app in
// place of the default relay state.
func TestIdPInitiatedRelayState(t *testing.T) {
	f := newFixture(t)
	app := f.addApp(func(a *directory.App) {
		a.Name = "relay_saml"
		a.SAML.DefaultRelayState = "https://sp.example.com/home"
	})
	f.assign(app, f.alice)
	cookie := f.session(t, f.alice)
	deep := "https://console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:"
	t.Run("the link's RelayState is sent", func(t *testing.T) {
		p := postedForm(t, f.do("GET", ssoPath(app)+"?RelayState="+url.QueryEscape(deep), nil, cookie))
		if p.RelayState != deep {
			t.Errorf("RelayState %q, want %q", p.RelayState, deep)
		}
	})
	t.Run("without one the default is sent", func(t *testing.T) {
		if p := postedForm(t, f.do("GET", ssoPath(app), nil, cookie)); p.RelayState != "https://sp.example.com/home" {
			t.Errorf("RelayState %q, want the app's default", p.RelayState)
		}
	})
	t.Run("it survives the sign-in", func(t *testing.T) {
		w := f.do("GET", ssoPath(app)+"?RelayState="+url.QueryEscape(deep), nil)
		next, _ := url.QueryUnescape(strings.TrimPrefix(w.Header().Get("Location"), "/login?next="))
		p := postedForm(t, f.do("GET", next, nil, append(w.Result().Cookies(), cookie)...))
		if p.RelayState != deep {
			t.Errorf("RelayState %q after sign-in, want %q", p.RelayState, deep)
		}
	})
	t.Run("one over 1024 bytes is refused", func(t *testing.T) {
		w := f.do("GET", ssoPath(app)+"?RelayState="+strings.Repeat("a", 1025), nil, cookie)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "RelayState is longer than 1024 bytes") {
			t.Errorf("status %d, body %s", w.Code, w.Body)
		}
	})
}
