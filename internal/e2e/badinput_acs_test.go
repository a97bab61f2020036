package e2e

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/aws/samlsp"
	"github.com/keyward/keyward/internal/store"
)

// TestTheACSAnswersBadResponsesWithAPageAndChangesNothing posts what an
// attacker or a misconfigured identity provider would to Identity Center's
// ACS over HTTP: every one is a 4xx page saying what went wrong, starts no
// session and is logged. (The signature-wrapping corpus, which needs
// responses signed with the identity provider's key, is samlsp's
// TestEveryAttackIsRefusedAndLogged.)
func TestTheACSAnswersBadResponsesWithAPageAndChangesNothing(t *testing.T) {
	s := start(t)
	inst, err := s.main.Store.Instance(context.Background())
	must(t, err)
	acs := samlsp.ACSPath(inst.ID)
	post := func(t *testing.T, f url.Values) (wire, bool) {
		b := s.inSubtest(t).browser()
		b.t = t
		return b.form(acs, f, nil)
	}

	t.Run("a response while people sign in with Identity Center's directory", func(t *testing.T) {
		w, session := post(t, url.Values{"SAMLResponse": {base64.StdEncoding.EncodeToString([]byte(unsignedResponse(s, acs)))}})
		wantRefused(t, w, session, http.StatusBadRequest, "signs people in with its own directory")
	})

	metadata := filepath.Join(t.TempDir(), "idp.xml")
	must(t, os.WriteFile(metadata, []byte(idpMetadata(t, "https://idp.example.com/saml")), 0o600))
	s.runAdmin("identity-source", "set-external", "--idp-metadata", metadata, "--aws-url", s.url)
	before := countEvents(t, s, "user.signin")
	billion := `<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><r>&c;</r>`
	xxe := `<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&x;</samlp:Response>`
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		says   string
	}{
		{"no SAMLResponse at all", url.Values{}, http.StatusBadRequest, "could not be read"},
		{"a SAMLResponse that is not base64", url.Values{"SAMLResponse": {"%%%not base64%%%"}}, http.StatusBadRequest, "could not be read"},
		{"a document that is not XML", url.Values{"SAMLResponse": {b64("hello")}}, http.StatusBadRequest, "could not be read"},
		{"an external entity (XXE)", url.Values{"SAMLResponse": {b64(xxe)}}, http.StatusBadRequest, "document type"},
		{"entity expansion (billion laughs)", url.Values{"SAMLResponse": {b64(billion)}}, http.StatusBadRequest, "document type"},
		{"an unsigned response naming a person", url.Values{"SAMLResponse": {b64(unsignedResponse(s, acs))}}, http.StatusUnauthorized, "not signed"},
		{"an unsigned response sending the browser elsewhere", url.Values{"SAMLResponse": {b64(unsignedResponse(s, acs))},
			"RelayState": {"https://evil.example/steal"}}, http.StatusUnauthorized, "not signed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, session := post(t, tc.form)
			wantRefused(t, w, session, tc.status, tc.says)
		})
	}
	t.Run("a body too large to read", func(t *testing.T) {
		w, session := post(t, url.Values{"SAMLResponse": {strings.Repeat("A", samlsp.MaxFormBytes)}})
		wantRefused(t, w, session, http.StatusBadRequest, "could not be read")
	})
	if got := countEvents(t, s, "user.signin") - before; got < 7 {
		t.Errorf("%d refused sign-ins logged, want one per readable response (7)", got)
	}
}

// wantRefused checks a refusal is a page with status and message and no
// session.
func wantRefused(t *testing.T, w wire, session bool, status int, says string) {
	t.Helper()
	if session {
		t.Error("a refused response started a portal session")
	}
	if ct := w.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type %q, want an HTML page", ct)
	}
	wantPage(t, w.Status, string(w.Body), status, says)
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// unsignedResponse is a well-formed Response for a user, with no signature.
func unsignedResponse(s *server, acs string) string {
	now := time.Now().UTC().Format(time.RFC3339)
	return `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="` + now + `" Destination="` + s.url + acs + `">` +
		`<saml:Issuer>https://idp.example.com/saml</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
		`<saml:Assertion ID="_a1" Version="2.0" IssueInstant="` + now + `"><saml:Issuer>https://idp.example.com/saml</saml:Issuer>` +
		`<saml:Subject><saml:NameID>admin@example.com</saml:NameID></saml:Subject></saml:Assertion></samlp:Response>`
}

// idpMetadata is an identity provider's metadata with a fresh signing
// certificate.
func idpMetadata(t testing.TB, entityID string) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	must(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "idp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	must(t, err)
	return `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="` + entityID + `">` +
		`<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
		`<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>` +
		base64.StdEncoding.EncodeToString(der) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
		`<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>` +
		`</md:IDPSSODescriptor></md:EntityDescriptor>`
}

// countEvents counts the AWS side's events with action.
func countEvents(t *testing.T, s *server, action string) int {
	t.Helper()
	events, _, err := s.main.Store.QueryEvents(context.Background(), store.EventQuery{Page: store.Page{Limit: 1000}})
	must(t, err)
	n := 0
	for _, e := range events {
		if e.Action == action {
			n++
		}
	}
	return n
}
