package samlsp_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

// testIdP is an identity provider for tests: an RSA key with a
// self-signed certificate, and Responses built and signed with goxmldsig
// and etree.
type testIdP struct {
	entityID string
	key      *rsa.PrivateKey
	der      []byte
}

// rsaKey returns test key n from testdata (test-only keys, checked in so
// that no test spends time generating one: under the fuzzer's coverage
// instrumentation RSA key generation takes minutes).
func rsaKey(t testing.TB, n int) *rsa.PrivateKey {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("testdata/test-idp-key-%d.pem", n))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(b)
	if block == nil {
		t.Fatalf("test key %d is not PEM", n)
	}
	key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// newIdP returns identity provider n (its key is shared by every test)
// with a certificate valid from notBefore to notAfter.
func newIdP(t testing.TB, n int, entityID string, notBefore, notAfter time.Time) *testIdP {
	t.Helper()
	key := rsaKey(t, n)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(int64(n + 1)), Subject: pkix.Name{CommonName: entityID},
		NotBefore: notBefore, NotAfter: notAfter}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &testIdP{entityID: entityID, key: key, der: der}
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

const (
	protocolNS  = "urn:oasis:names:tc:SAML:2.0:protocol"
	assertionNS = "urn:oasis:names:tc:SAML:2.0:assertion"
	xsTime      = "2006-01-02T15:04:05Z"
)

// response builds the unsigned Response document s describes.
func response(s spec) *etree.Document {
	doc := etree.NewDocument()
	r := doc.CreateElement("samlp:Response")
	r.CreateAttr("xmlns:samlp", protocolNS)
	r.CreateAttr("xmlns:saml", assertionNS)
	r.CreateAttr("ID", s.responseID)
	r.CreateAttr("Version", "2.0")
	r.CreateAttr("IssueInstant", s.issueInstant.Format(xsTime))
	if s.destination != "" {
		r.CreateAttr("Destination", s.destination)
	}
	if s.inResponseTo != "" {
		r.CreateAttr("InResponseTo", s.inResponseTo)
	}
	r.CreateElement("saml:Issuer").SetText(s.issuer)
	r.CreateElement("samlp:Status").CreateElement("samlp:StatusCode").CreateAttr("Value", s.status)
	r.AddChild(assertion(s))
	return doc
}

func assertion(s spec) *etree.Element {
	a := etree.NewElement("saml:Assertion")
	a.CreateAttr("xmlns:saml", assertionNS)
	a.CreateAttr("ID", s.assertionID)
	a.CreateAttr("Version", "2.0")
	a.CreateAttr("IssueInstant", s.issueInstant.Format(xsTime))
	a.CreateElement("saml:Issuer").SetText(s.issuer)
	sub := a.CreateElement("saml:Subject")
	n := sub.CreateElement("saml:NameID")
	n.CreateAttr("Format", "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress")
	n.SetText(s.nameID)
	sc := sub.CreateElement("saml:SubjectConfirmation")
	sc.CreateAttr("Method", "urn:oasis:names:tc:SAML:2.0:cm:bearer")
	scd := sc.CreateElement("saml:SubjectConfirmationData")
	scd.CreateAttr("NotOnOrAfter", s.scdNotOnOrAfter.Format(xsTime))
	scd.CreateAttr("Recipient", s.recipient)
	if s.inResponseTo != "" {
		scd.CreateAttr("InResponseTo", s.inResponseTo)
	}
	c := a.CreateElement("saml:Conditions")
	c.CreateAttr("NotBefore", s.notBefore.Format(xsTime))
	c.CreateAttr("NotOnOrAfter", s.notOnOrAfter.Format(xsTime))
	c.CreateElement("saml:AudienceRestriction").CreateElement("saml:Audience").SetText(s.audience)
	as := a.CreateElement("saml:AuthnStatement")
	as.CreateAttr("AuthnInstant", s.issueInstant.Format(xsTime))
	if !s.sessionNotOnOrAfter.IsZero() {
		as.CreateAttr("SessionNotOnOrAfter", s.sessionNotOnOrAfter.Format(xsTime))
	}
	as.CreateElement("saml:AuthnContext").CreateElement("saml:AuthnContextClassRef").
		SetText("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")
	st := a.CreateElement("saml:AttributeStatement")
	for k, v := range s.attributes {
		at := st.CreateElement("saml:Attribute")
		at.CreateAttr("Name", k)
		at.CreateElement("saml:AttributeValue").SetText(v)
	}
	return a
}

// assertionOf returns the Response's (first) assertion.
func assertionOf(doc *etree.Document) *etree.Element {
	return doc.Root().SelectElement("Assertion")
}

// sign replaces el (a child of its parent, or the root) with a signed copy,
// the Signature placed after the Issuer as SAML's schema orders it.
func (idp *testIdP) sign(t testing.TB, el *etree.Element, method string) *etree.Element {
	t.Helper()
	ctx, err := dsig.NewSigningContext(idp.key, [][]byte{idp.der})
	if err != nil {
		t.Fatal(err)
	}
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	if err := ctx.SetSignatureMethod(method); err != nil {
		t.Fatal(err)
	}
	signed, err := ctx.SignEnveloped(el)
	if err != nil {
		t.Fatal(err)
	}
	// SignEnveloped appends the Signature without setting its index, so
	// remove it by position, not with RemoveChild.
	sig := signed.RemoveChildAt(len(signed.Child) - 1)
	signed.InsertChildAt(1, sig)
	if parent := el.Parent(); parent != nil && parent.Tag != "" { // not the document itself
		parent.InsertChildAt(el.Index(), signed)
		parent.RemoveChild(el)
	}
	return signed
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

// x509MarshalKey is idp's private key in PKCS #1.
func x509MarshalKey(idp *testIdP) []byte { return x509.MarshalPKCS1PrivateKey(idp.key) }
