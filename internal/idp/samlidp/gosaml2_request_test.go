package samlidp_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	saml2 "github.com/russellhaering/gosaml2"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/keyward/keyward/internal/directory"
)

// TestRequestsFromGoSAML2 has gosaml2, an independent SP, build signed
// AuthnRequests over both bindings, and the SSO endpoint answer them.
func TestRequestsFromGoSAML2(t *testing.T) {
	f := newFixture(t)
	app := f.addApp(func(a *directory.App) { a.Name = "signed_saml"; a.SAML.SPCertificates = [][]byte{f.spCert} })
	f.assign(app, f.alice)
	cookie := f.session(t, f.alice)
	sp := &saml2.SAMLServiceProvider{
		IdentityProviderSSOURL:         orgURL + ssoPath(app),
		IdentityProviderIssuer:         orgURL + "/app/" + app.ID,
		ServiceProviderIssuer:          spEntity,
		AssertionConsumerServiceURL:    acsURL,
		AudienceURI:                    spEntity,
		SignAuthnRequests:              true,
		SignAuthnRequestsAlgorithm:     dsig.RSASHA256SignatureMethod,
		SignAuthnRequestsCanonicalizer: dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList(""),
		IDPCertificateStore:            &dsig.MemoryX509CertificateStore{Roots: f.publishedCerts(t)},
		Clock:                          dsig.NewFakeClockAt(f.clk.Now()),
	}
	must(t, sp.SetSPKeyStore(&saml2.KeyStore{Signer: f.spKey, Cert: f.spCert}))

	t.Run("a signed HTTP-Redirect request", func(t *testing.T) {
		doc, err := sp.BuildAuthRequestDocumentNoSig()
		must(t, err)
		u, err := sp.BuildAuthURLRedirect("state-1", doc)
		must(t, err)
		if !strings.Contains(u, "Signature=") {
			t.Fatalf("gosaml2 did not sign the redirect: %s", u)
		}
		target := strings.TrimPrefix(u, orgURL)
		p := postedForm(t, f.do("GET", target, nil, cookie))
		f.spAccepts(t, app, p)
		if p.RelayState != "state-1" {
			t.Errorf("RelayState %q", p.RelayState)
		}
	})
	t.Run("a signed HTTP-POST request", func(t *testing.T) {
		body, err := sp.BuildAuthBodyPost("state-2")
		must(t, err)
		m := regexp.MustCompile(`name="SAMLRequest" value="([^"]*)"`).FindSubmatch(body)
		if m == nil {
			t.Fatalf("no SAMLRequest in gosaml2's form:\n%s", body)
		}
		form := url.Values{"SAMLRequest": {html.UnescapeString(string(m[1]))}, "RelayState": {"state-2"}}
		p := postedForm(t, f.do("POST", ssoPath(app), form, cookie))
		f.spAccepts(t, app, p)
	})
}
