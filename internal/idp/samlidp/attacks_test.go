package samlidp_test

import (
	"crypto"
	"crypto/rand"
	"encoding/base64"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
)

// attack is one hostile request at the SSO endpoint and the refusal a
// person must see: a 4xx page with a message, never a response.
type attack struct {
	name   string
	app    func(f *fixture) directory.App
	send   func(t *testing.T, f *fixture, app directory.App) (method, query string, form url.Values)
	status int
	says   string
}

func plainApp(f *fixture) directory.App { return f.app }

// certApp is an app with the SP's certificate: its requests must be signed.
func certApp(f *fixture) directory.App {
	app := f.addApp(func(a *directory.App) { a.Name = "signed_saml"; a.SAML.SPCertificates = [][]byte{f.spCert} })
	f.assign(app, f.alice)
	return app
}

func redirect(doc string) func(*testing.T, *fixture, directory.App) (string, string, url.Values) {
	return func(t *testing.T, _ *fixture, _ directory.App) (string, string, url.Values) {
		return "GET", redirectQuery(t, doc, "", nil, "", 0), nil
	}
}

func rawQuery(q string) func(*testing.T, *fixture, directory.App) (string, string, url.Values) {
	return func(*testing.T, *fixture, directory.App) (string, string, url.Values) { return "GET", q, nil }
}

const xxeDoc = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` +
	`<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_x" Version="2.0">` +
	`<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">&xxe;</saml:Issuer></samlp:AuthnRequest>`

const externalDTDDoc = `<?xml version="1.0"?><!DOCTYPE samlp:AuthnRequest SYSTEM "http://evil.example/saml.dtd">` +
	`<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_x" Version="2.0"/>`

func billionLaughs() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">`)
	prev := "lol"
	for i := 1; i <= 9; i++ {
		name := "lol" + string(rune('0'+i))
		b.WriteString(`<!ENTITY ` + name + ` "` + strings.Repeat("&"+prev+";", 10) + `">`)
		prev = name
	}
	b.WriteString(`]><samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_x" Version="2.0">&lol9;</samlp:AuthnRequest>`)
	return b.String()
}

var attacks = []attack{
	{"an XXE entity reading a local file", plainApp, redirect(xxeDoc), 400, "document type declaration"},
	{"an external DTD", plainApp, redirect(externalDTDDoc), 400, "document type declaration"},
	{"a billion-laughs entity expansion", plainApp, redirect(billionLaughs()), 400, "document type declaration"},
	{"a POSTed XXE", plainApp, func(*testing.T, *fixture, directory.App) (string, string, url.Values) {
		return "POST", "", postForm(xxeDoc, "")
	}, 400, "document type declaration"},
	{"a deflate bomb", plainApp, func(t *testing.T, _ *fixture, _ directory.App) (string, string, url.Values) {
		bomb := deflate(t, []byte(strings.Repeat(" ", 20<<20)))
		return "GET", "SAMLRequest=" + url.QueryEscape(base64.StdEncoding.EncodeToString(bomb)), nil
	}, 400, "inflates to more than"},
	{"an oversized SAMLRequest", plainApp, func(*testing.T, *fixture, directory.App) (string, string, url.Values) {
		return "GET", "SAMLRequest=" + url.QueryEscape(base64.StdEncoding.EncodeToString(clock.Bytes(rand.Reader, 60<<10))), nil
	}, 400, "too large"},
	{"a SAMLRequest that is not base64", plainApp, rawQuery("SAMLRequest=%%%%not-base64"), 400, "could not be used"},
	{"a SAMLRequest that is not DEFLATE", plainApp, rawQuery("SAMLRequest=" + url.QueryEscape(b64("<a/>"))), 400, "DEFLATE"},
	{"a repeated SAMLRequest", plainApp, func(t *testing.T, f *fixture, app directory.App) (string, string, url.Values) {
		q := redirectQuery(t, authnRequest(app, "_r", ""), "", nil, "", 0)
		return "GET", q + "&" + q, nil
	}, 400, "repeated"},
	{"an oversized RelayState", plainApp, func(t *testing.T, f *fixture, app directory.App) (string, string, url.Values) {
		return "GET", redirectQuery(t, authnRequest(app, "_r", ""), strings.Repeat("r", 2000), nil, "", 0), nil
	}, 400, "RelayState"},
	{"a Response posted where a request belongs", plainApp,
		redirect(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0"/>`), 400, "not a SAML 2.0 AuthnRequest"},
	{"another SP's Issuer", plainApp, func(t *testing.T, f *fixture, app directory.App) (string, string, url.Values) {
		doc := strings.Replace(authnRequest(app, "_r", ""), spEntity+"</saml:Issuer>", "https://evil.example/saml</saml:Issuer>", 1)
		return "GET", redirectQuery(t, doc, "", nil, "", 0), nil
	}, 400, "is not this app's audience"},
	{"an Issuer with a comment inside, read up to the comment as the app's", plainApp, func(t *testing.T, f *fixture, app directory.App) (string, string, url.Values) {
		doc := strings.Replace(authnRequest(app, "_r", ""), spEntity+"</saml:Issuer>", spEntity+"<!---->.evil.example</saml:Issuer>", 1)
		return "GET", redirectQuery(t, doc, "", nil, "", 0), nil
	}, 400, "plain text"},
	{"an ACS URL the app did not register", plainApp, func(t *testing.T, f *fixture, app directory.App) (string, string, url.Values) {
		doc := strings.Replace(authnRequest(app, "_r", ""), `AssertionConsumerServiceURL="`+acsURL, `AssertionConsumerServiceURL="https://evil.example/acs`, 1)
		return "GET", redirectQuery(t, doc, "", nil, "", 0), nil
	}, 400, "not the app's registered ACS URL"},
	{"a response binding of the request's choosing", plainApp, func(t *testing.T, f *fixture, app directory.App) (string, string, url.Values) {
		doc := strings.Replace(authnRequest(app, "_r", ""), "bindings:HTTP-POST", "bindings:HTTP-Artifact", 1)
		return "GET", redirectQuery(t, doc, "", nil, "", 0), nil
	}, 400, "binding other than HTTP-POST"},
	{"a request meant for another IdP endpoint", plainApp, func(t *testing.T, f *fixture, app directory.App) (string, string, url.Values) {
		doc := strings.Replace(authnRequest(app, "_r", ""), `Destination="`+orgURL, `Destination="https://other.example`, 1)
		return "GET", redirectQuery(t, doc, "", nil, "", 0), nil
	}, 400, "Destination"},
	{"an unsigned redirect request when the app has a certificate", certApp, func(t *testing.T, f *fixture, app directory.App) (string, string, url.Values) {
		return "GET", redirectQuery(t, authnRequest(app, "_r", ""), "", nil, "", 0), nil
	}, 403, "has no signature"},
	{"an unsigned POST request when the app has a certificate", certApp, func(t *testing.T, f *fixture, app directory.App) (string, string, url.Values) {
		return "POST", "", postForm(authnRequest(app, "_r", ""), "")
	}, 403, "exactly one enveloped signature"},
	{"a redirect request signed with another key", certApp, func(t *testing.T, f *fixture, app directory.App) (string, string, url.Values) {
		other, _ := newCert(t, "evil.example")
		return "GET", redirectQuery(t, authnRequest(app, "_r", ""), "", other, rsaSHA256, crypto.SHA256), nil
	}, 403, "does not verify"},
	{"a redirect request whose RelayState changed after signing", certApp, func(t *testing.T, f *fixture, app directory.App) (string, string, url.Values) {
		q := redirectQuery(t, authnRequest(app, "_r", ""), "good", f.spKey, rsaSHA256, crypto.SHA256)
		return "GET", strings.Replace(q, "RelayState=good", "RelayState=evil", 1), nil
	}, 403, "does not verify"},
	{"a redirect request signed with RSA-SHA1", certApp, func(t *testing.T, f *fixture, app directory.App) (string, string, url.Values) {
		return "GET", redirectQuery(t, authnRequest(app, "_r", ""), "", f.spKey, rsaSHA1, crypto.SHA1), nil
	}, 403, "is not RSA-SHA256"},
	{"a POST request signed with RSA-SHA1", certApp, func(t *testing.T, f *fixture, app directory.App) (string, string, url.Values) {
		return "POST", "", postForm(signXML(t, authnRequest(app, "_r", ""), f.spKey, f.spCert, rsaSHA1), "")
	}, 403, "RSA-SHA256"},
	{"a POST request signed with another key", certApp, func(t *testing.T, f *fixture, app directory.App) (string, string, url.Values) {
		other, otherCert := newCert(t, "evil.example")
		return "POST", "", postForm(signXML(t, authnRequest(app, "_r", ""), other, otherCert, rsaSHA256), "")
	}, 403, "does not verify"},
	{"a signed POST request whose Issuer changed after signing", certApp, func(t *testing.T, f *fixture, app directory.App) (string, string, url.Values) {
		doc := signXML(t, authnRequest(app, "_r", ""), f.spKey, f.spCert, rsaSHA256)
		return "POST", "", postForm(strings.Replace(doc, `ID="_r"`, `ID="_r2"`, 1), "")
	}, 403, "does not verify"},
	{"a sign-in to an inactive app", func(f *fixture) directory.App {
		app := f.addApp(func(a *directory.App) { a.Name = "inactive_saml"; a.Status = directory.AppInactive })
		f.assign(app, f.alice)
		return app
	}, func(t *testing.T, f *fixture, app directory.App) (string, string, url.Values) {
		return "GET", "", nil
	}, 403, "is not active"},
	{"a sign-in by a person not assigned to the app", func(f *fixture) directory.App {
		return f.addApp(func(a *directory.App) { a.Name = "unassigned_saml" })
	}, func(t *testing.T, f *fixture, app directory.App) (string, string, url.Values) {
		return "GET", redirectQuery(t, authnRequest(app, "_r", ""), "", nil, "", 0), nil
	}, 403, "You are not assigned"},
	{"a sign-in to an app that does not exist", func(f *fixture) directory.App {
		return directory.App{ID: "0oaMissing0000000000", Name: "example_saml"}
	}, func(t *testing.T, f *fixture, app directory.App) (string, string, url.Values) {
		return "GET", "", nil
	}, 404, "There is no SAML app"},
}

func TestAttacksAtTheSSOEndpoint(t *testing.T) {
	for _, a := range attacks {
		t.Run(a.name+" is refused with a page that says why", func(t *testing.T) {
			f := newFixture(t)
			app := a.app(f)
			method, query, form := a.send(t, f, app)
			target := ssoPath(app)
			if query != "" {
				target += "?" + query
			}
			start := time.Now()
			w := f.do(method, target, form, f.session(t, f.alice))
			if d := time.Since(start); d > 4*time.Second {
				t.Errorf("refusing took %v (Keycloak's bound for an XML bomb is 4s)", d)
			}
			body := html.UnescapeString(w.Body.String())
			if w.Code != a.status || !strings.Contains(body, a.says) {
				t.Errorf("status %d, want %d saying %q; body:\n%s", w.Code, a.status, a.says, body)
			}
			if strings.Contains(body, "SAMLResponse") {
				t.Error("a response was issued")
			}
			if w.Code != http.StatusNotFound {
				e := lastEvent(t, f.s)
				if e.Action != "user.authentication.sso" || e.Outcome != audit.Deny || e.TargetID != app.ID {
					t.Errorf("last event %s %s on %s, want the refusal logged as user.authentication.sso DENY on the app", e.Action, e.Outcome, e.TargetID)
				}
			}
		})
	}
}
