package samlsp_test

import (
	"crypto/rsa"
	"encoding/base64"
	"net/url"
	"testing"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/keyward/keyward/internal/aws/samlsp/samltest"
)

// testIdP is an identity provider for tests: samltest's, which builds
// and signs Responses with goxmldsig and etree.
type testIdP struct {
	entityID string
	key      *rsa.PrivateKey
	der      []byte
	st       *samltest.IdP
}

// newIdP returns identity provider n (its key is shared by every test)
// with a certificate valid from notBefore to notAfter.
func newIdP(t testing.TB, n int, entityID string, notBefore, notAfter time.Time) *testIdP {
	t.Helper()
	st := samltest.NewValid(t, n, entityID, notBefore, notAfter)
	return &testIdP{entityID: entityID, key: st.Key, der: st.DER, st: st}
}

// spec is what a Response says.
type spec struct {
	responseID, assertionID                  string
	issuer, destination, recipient, audience string
	inResponseTo, nameID, status             string
	issueInstant, notBefore, notOnOrAfter    time.Time
	scdNotOnOrAfter, sessionNotOnOrAfter     time.Time
	attributes                               map[string]string
}

const xsTime = "2006-01-02T15:04:05Z"

// response builds the unsigned Response document s describes.
func response(s spec) *etree.Document {
	attrs := map[string][]string{}
	for k, v := range s.attributes {
		attrs[k] = []string{v}
	}
	return samltest.Document(samltest.Spec{ResponseID: s.responseID, AssertionID: s.assertionID, Issuer: s.issuer,
		Destination: s.destination, Recipient: s.recipient, Audience: s.audience, NameID: s.nameID,
		NameIDFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", InResponseTo: s.inResponseTo, Status: s.status,
		IssueInstant: s.issueInstant, NotBefore: s.notBefore, NotOnOrAfter: s.notOnOrAfter, SCDNotOnOrAfter: s.scdNotOnOrAfter,
		SessionNotOnOrAfter: s.sessionNotOnOrAfter, Attributes: attrs})
}

// assertionOf returns the Response's (first) assertion.
func assertionOf(doc *etree.Document) *etree.Element {
	return doc.Root().SelectElement("Assertion")
}

// sign replaces el (a child of its parent, or the root) with a signed copy,
// the Signature placed after the Issuer as SAML's schema orders it.
func (idp *testIdP) sign(t testing.TB, el *etree.Element, method string) *etree.Element {
	t.Helper()
	return idp.st.Sign(t, el, method)
}

// signAssertion and signResponse sign with RSA-SHA256 in place.
func (idp *testIdP) signAssertion(t testing.TB, doc *etree.Document) {
	t.Helper()
	idp.sign(t, assertionOf(doc), dsig.RSASHA256SignatureMethod)
}

func (idp *testIdP) signResponse(t testing.TB, doc *etree.Document) {
	t.Helper()
	doc.SetRoot(idp.sign(t, doc.Root(), dsig.RSASHA256SignatureMethod))
}

// form is the ACS post of doc.
func form(t testing.TB, doc *etree.Document, relayState string) url.Values {
	t.Helper()
	b, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return formOf(b, relayState)
}

func bytesOf(t testing.TB, doc interface{ WriteToBytes() ([]byte, error) }) []byte {
	t.Helper()
	b, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func formOf(b []byte, relayState string) url.Values {
	f := url.Values{"SAMLResponse": {base64.StdEncoding.EncodeToString(b)}}
	if relayState != "" {
		f.Set("RelayState", relayState)
	}
	return f
}
