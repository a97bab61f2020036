package samlidp_test

import (
	"crypto"
	"net/url"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/idp/samlidp"
)

// fuzzApps are an app without and with an SP certificate.
func fuzzApps(t testing.TB) []directory.App {
	_, cert := testSPKey(t)
	plain := testApp(func(*directory.SAMLSettings) {})
	signed := testApp(func(s *directory.SAMLSettings) { s.SPCertificates = [][]byte{cert} })
	return []directory.App{plain, signed}
}

// refusedAsInput fails t unless err is nil or a refusal of the input.
func refusedAsInput(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if k := errs.KindOf(err); k != errs.Invalid && k != errs.Denied {
		t.Fatalf("input refused as %s, not as bad input: %v", k, err)
	}
}

func FuzzParseRedirect(f *testing.F) {
	key, _ := testSPKey(f)
	app := fuzzApps(f)[1]
	doc := authnRequest(app, "_f", "")
	f.Add(redirectQuery(f, doc, "relay", nil, "", 0))
	f.Add(redirectQuery(f, doc, "relay", key, rsaSHA256, crypto.SHA256))
	f.Add(redirectQuery(f, doc, "", key, rsaSHA1, crypto.SHA1))
	f.Add(redirectQuery(f, xxeDoc, "", nil, "", 0))
	f.Add(redirectQuery(f, billionLaughs(), "", nil, "", 0))
	f.Add("SAMLRequest=%%%&RelayState=a&RelayState=b")
	f.Fuzz(func(t *testing.T, rawQuery string) {
		for _, app := range fuzzApps(t) {
			sso := orgURL + "/app/" + app.Name + "/" + app.ID + "/sso/saml"
			req, err := samlidp.ParseRedirect(rawQuery, app, sso)
			refusedAsInput(t, err)
			if err == nil && (req.Issuer != app.SAML.Audience || (req.ACSURL != "" && req.ACSURL != app.SAML.ACSURL)) {
				t.Fatalf("accepted a request for another SP: %+v", req)
			}
		}
	})
}

func FuzzParsePOST(f *testing.F) {
	key, cert := testSPKey(f)
	app := fuzzApps(f)[1]
	doc := authnRequest(app, "_f", "")
	f.Add(b64(doc), "relay")
	f.Add(b64(signXML(f, doc, key, cert, rsaSHA256)), "")
	f.Add(b64(signXML(f, doc, key, cert, rsaSHA1)), "")
	f.Add(b64(xxeDoc), "")
	f.Add(b64(externalDTDDoc), "")
	f.Add(b64(strings.Replace(doc, "<saml:Issuer>", "<saml:Issuer><!---->", 1)), "")
	f.Fuzz(func(t *testing.T, samlRequest, relay string) {
		form := url.Values{"SAMLRequest": {samlRequest}, "RelayState": {relay}}
		for _, app := range fuzzApps(t) {
			sso := orgURL + "/app/" + app.Name + "/" + app.ID + "/sso/saml"
			req, err := samlidp.ParsePOST(form, app, sso)
			refusedAsInput(t, err)
			if err == nil && req.Issuer != app.SAML.Audience {
				t.Fatalf("accepted a request for another SP: %+v", req)
			}
		}
	})
}
