package samlidp_test

import (
	"crypto/x509"
	"encoding/base64"
	"html"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/beevik/etree"
	saml2 "github.com/russellhaering/gosaml2"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/keyward/keyward/internal/directory"
)

var (
	formAction = regexp.MustCompile(`<form method="post" action="([^"]*)" id="saml-post">`)
	formField  = regexp.MustCompile(`name="(SAMLResponse|RelayState)" value="([^"]*)"`)
)

// posted is what the auto-post page sends to the app.
type posted struct {
	Action, SAMLResponse, RelayState string
}

func postedForm(t testing.TB, w *httptest.ResponseRecorder) posted {
	t.Helper()
	if w.Code != 200 {
		t.Fatalf("status %d, want 200 with the auto-post form; body:\n%s", w.Code, w.Body)
	}
	body := w.Body.String()
	m := formAction.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no auto-post form in:\n%s", body)
	}
	p := posted{Action: html.UnescapeString(m[1])}
	for _, f := range formField.FindAllStringSubmatch(body, -1) {
		v := html.UnescapeString(f[2])
		if f[1] == "SAMLResponse" {
			p.SAMLResponse = v
		} else {
			p.RelayState = v
		}
	}
	return p
}

// spAccepts validates the response as gosaml2 (an independent SP) does,
// trusting the IdP's published certificates.
func (f *fixture) spAccepts(t testing.TB, app directory.App, p posted) *saml2.AssertionInfo {
	t.Helper()
	sp := &saml2.SAMLServiceProvider{
		IdentityProviderSSOURL:      orgURL + ssoPath(app),
		IdentityProviderIssuer:      orgURL + "/app/" + app.ID,
		AssertionConsumerServiceURL: app.SAML.ACSURL,
		AudienceURI:                 app.SAML.Audience,
		IDPCertificateStore:         &dsig.MemoryX509CertificateStore{Roots: f.publishedCerts(t)},
		Clock:                       dsig.NewFakeClockAt(f.clk.Now()),
	}
	info, err := sp.RetrieveAssertionInfo(p.SAMLResponse)
	if err != nil {
		t.Fatalf("gosaml2 refused the response: %v\n%s", err, decode(t, p.SAMLResponse))
	}
	if w := info.WarningInfo; w.InvalidTime || w.NotInAudience {
		t.Fatalf("gosaml2 warns: invalid time %v, not in audience %v", w.InvalidTime, w.NotInAudience)
	}
	return info
}

func (f *fixture) publishedCerts(t testing.TB) []*x509.Certificate {
	t.Helper()
	keys, err := f.keys.Published(t.Context())
	must(t, err)
	var out []*x509.Certificate
	for _, k := range keys {
		c, err := x509.ParseCertificate(k.Certificate)
		must(t, err)
		out = append(out, c)
	}
	return out
}

func decode(t testing.TB, b64 string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(b64)
	must(t, err)
	return b
}

// verifiedBy checks el's signature with goxmldsig against cert alone and
// returns the verified element.
func verifiedBy(t testing.TB, el *etree.Element, cert []byte, now time.Time) (*etree.Element, error) {
	t.Helper()
	c, err := x509.ParseCertificate(cert)
	must(t, err)
	vc := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: []*x509.Certificate{c}})
	vc.IdAttribute = "ID"
	vc.Clock = dsig.NewFakeClockAt(now)
	return vc.Validate(el)
}

func parseDoc(t testing.TB, b []byte) *etree.Element {
	t.Helper()
	d := etree.NewDocument()
	must(t, d.ReadFromBytes(b))
	return d.Root()
}
