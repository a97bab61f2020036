// Package samltest is a SAML identity provider for tests of AWS account
// federation: it signs Responses addressed to AWS's sign-in with a test
// key from samlsp's testdata, and writes its metadata. Tests only.
package samltest

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

// IdP signs Responses with an RSA key and a self-signed certificate.
type IdP struct {
	EntityID string
	Key      *rsa.PrivateKey
	DER      []byte
}

// New returns identity provider n (0 or 1: samlsp's test keys) with a
// certificate valid from a day before now for a year.
func New(t testing.TB, n int, entityID string, now time.Time) *IdP {
	t.Helper()
	return NewValid(t, n, entityID, now.Add(-24*time.Hour), now.Add(365*24*time.Hour))
}

// NewValid returns identity provider n with a certificate valid from
// notBefore to notAfter. The keys are checked in (test-only): under the
// fuzzer's coverage instrumentation RSA key generation takes minutes.
func NewValid(t testing.TB, n int, entityID string, notBefore, notAfter time.Time) *IdP {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "testdata", "test-idp-key-"+strconv.Itoa(n)+".pem"))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(b)
	key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(int64(n + 1)), Subject: pkix.Name{CommonName: entityID},
		NotBefore: notBefore, NotAfter: notAfter}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &IdP{EntityID: entityID, Key: key, DER: der}
}

// Metadata is the identity provider's SAML metadata with its certificate.
func (idp *IdP) Metadata() string {
	return `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="` + idp.EntityID + `">` +
		`<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing">` +
		`<ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>` +
		base64.StdEncoding.EncodeToString(idp.DER) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
		`<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>` +
		`</md:IDPSSODescriptor></md:EntityDescriptor>`
}

// Spec is what a Response says. Attributes may have several values.
// Empty Status is success, zero NotBefore a minute before IssueInstant,
// zero SCDNotOnOrAfter (the subject confirmation's) NotOnOrAfter.
type Spec struct {
	ResponseID, AssertionID        string
	Issuer, Destination, Recipient string
	Audience, NameID, NameIDFormat string
	InResponseTo, Status           string
	IssueInstant, NotBefore        time.Time
	NotOnOrAfter, SCDNotOnOrAfter  time.Time
	SessionNotOnOrAfter            time.Time
	Attributes                     map[string][]string
}

// Spec is a Response to AWS's sign-in for nameID issued at now, valid for
// five minutes, with the given attributes.
func (idp *IdP) Spec(now time.Time, nameID string, attrs map[string][]string) Spec {
	return Spec{ResponseID: "_r" + strconv.FormatInt(now.UnixNano(), 36), AssertionID: "_a" + randomID(),
		Issuer: idp.EntityID, Destination: "https://signin.aws.amazon.com/saml", Recipient: "https://signin.aws.amazon.com/saml",
		Audience: "https://signin.aws.amazon.com/saml", NameID: nameID,
		NameIDFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", IssueInstant: now,
		NotOnOrAfter: now.Add(5 * time.Minute), Attributes: attrs}
}

func randomID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

const xsTime = "2006-01-02T15:04:05Z"

// Document is the unsigned Response s describes.
func Document(s Spec) *etree.Document {
	doc := etree.NewDocument()
	r := doc.CreateElement("samlp:Response")
	r.CreateAttr("xmlns:samlp", "urn:oasis:names:tc:SAML:2.0:protocol")
	r.CreateAttr("xmlns:saml", "urn:oasis:names:tc:SAML:2.0:assertion")
	r.CreateAttr("ID", s.ResponseID)
	r.CreateAttr("Version", "2.0")
	r.CreateAttr("IssueInstant", s.IssueInstant.Format(xsTime))
	if s.Destination != "" {
		r.CreateAttr("Destination", s.Destination)
	}
	if s.InResponseTo != "" {
		r.CreateAttr("InResponseTo", s.InResponseTo)
	}
	r.CreateElement("saml:Issuer").SetText(s.Issuer)
	r.CreateElement("samlp:Status").CreateElement("samlp:StatusCode").CreateAttr("Value", or(s.Status, "urn:oasis:names:tc:SAML:2.0:status:Success"))
	r.AddChild(assertion(s))
	return doc
}

func or(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}

func orTime(v, fallback time.Time) time.Time {
	if v.IsZero() {
		return fallback
	}
	return v
}

// assertion is the Assertion element s describes.
func assertion(s Spec) *etree.Element {
	a := etree.NewElement("saml:Assertion")
	a.CreateAttr("xmlns:saml", "urn:oasis:names:tc:SAML:2.0:assertion")
	a.CreateAttr("ID", s.AssertionID)
	a.CreateAttr("Version", "2.0")
	a.CreateAttr("IssueInstant", s.IssueInstant.Format(xsTime))
	a.CreateElement("saml:Issuer").SetText(s.Issuer)
	sub := a.CreateElement("saml:Subject")
	n := sub.CreateElement("saml:NameID")
	n.CreateAttr("Format", s.NameIDFormat)
	n.SetText(s.NameID)
	sc := sub.CreateElement("saml:SubjectConfirmation")
	sc.CreateAttr("Method", "urn:oasis:names:tc:SAML:2.0:cm:bearer")
	scd := sc.CreateElement("saml:SubjectConfirmationData")
	scd.CreateAttr("NotOnOrAfter", orTime(s.SCDNotOnOrAfter, s.NotOnOrAfter).Format(xsTime))
	scd.CreateAttr("Recipient", s.Recipient)
	if s.InResponseTo != "" {
		scd.CreateAttr("InResponseTo", s.InResponseTo)
	}
	c := a.CreateElement("saml:Conditions")
	c.CreateAttr("NotBefore", orTime(s.NotBefore, s.IssueInstant.Add(-time.Minute)).Format(xsTime))
	c.CreateAttr("NotOnOrAfter", s.NotOnOrAfter.Format(xsTime))
	c.CreateElement("saml:AudienceRestriction").CreateElement("saml:Audience").SetText(s.Audience)
	as := a.CreateElement("saml:AuthnStatement")
	as.CreateAttr("AuthnInstant", s.IssueInstant.Format(xsTime))
	if !s.SessionNotOnOrAfter.IsZero() {
		as.CreateAttr("SessionNotOnOrAfter", s.SessionNotOnOrAfter.Format(xsTime))
	}
	as.CreateElement("saml:AuthnContext").CreateElement("saml:AuthnContextClassRef").
		SetText("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")
	st := a.CreateElement("saml:AttributeStatement")
	for k, vs := range s.Attributes {
		at := st.CreateElement("saml:Attribute")
		at.CreateAttr("Name", k)
		for _, v := range vs {
			at.CreateElement("saml:AttributeValue").SetText(v)
		}
	}
	return a
}

// SignAssertion signs doc's assertion in place with method (RSA-SHA256
// when empty).
func (idp *IdP) SignAssertion(t testing.TB, doc *etree.Document, method string) {
	t.Helper()
	idp.Sign(t, doc.Root().SelectElement("Assertion"), method)
}

// Sign replaces el (a child of its parent, or a document's root, which the
// caller then sets) with a copy signed with method (RSA-SHA256 when
// empty), the Signature after the Issuer as SAML's schema orders it.
func (idp *IdP) Sign(t testing.TB, el *etree.Element, method string) *etree.Element {
	t.Helper()
	ctx, err := dsig.NewSigningContext(idp.Key, [][]byte{idp.DER})
	if err != nil {
		t.Fatal(err)
	}
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	if err := ctx.SetSignatureMethod(or(method, dsig.RSASHA256SignatureMethod)); err != nil {
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

// Encode is doc in base64, as SAMLResponse and SAMLAssertion carry it.
func Encode(t testing.TB, doc *etree.Document) string {
	t.Helper()
	b, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// Signed is the base64 Response of s with its assertion signed.
func (idp *IdP) Signed(t testing.TB, s Spec) string {
	t.Helper()
	doc := Document(s)
	idp.SignAssertion(t, doc, "")
	return Encode(t, doc)
}

// NeedPySAML2 skips t without pysaml2 and xmlsec1, except in CI, where
// their absence is a failure (scripts/test installs them).
func NeedPySAML2(t *testing.T) {
	t.Helper()
	_, err := exec.LookPath("xmlsec1")
	if err == nil && exec.Command("/usr/bin/python3", "-c", "import saml2").Run() == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("pysaml2 (python3-pysaml2) and xmlsec1 are needed: apt-get install -y python3-pysaml2 xmlsec1")
	}
	t.Skip("pysaml2 or xmlsec1 is not installed (apt-get install -y python3-pysaml2 xmlsec1)")
}

// PySAML2Response has pysaml2 (samlsp's testdata/pysaml2_idp.py), loading
// the service provider's metadata, sign with idp's key a Response for
// nameID, and returns it base64-encoded. args are the script's optional
// IN_RESPONSE_TO and NAME=VALUE arguments.
func (idp *IdP) PySAML2Response(t *testing.T, spMetadata []byte, nameID string, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string][]byte{
		"sp.xml":   spMetadata,
		"key.pem":  pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(idp.Key)}),
		"cert.pem": pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: idp.DER}),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	_, file, _, _ := runtime.Caller(0)
	argv := append([]string{filepath.Join(filepath.Dir(file), "..", "testdata", "pysaml2_idp.py"), filepath.Join(dir, "sp.xml"),
		filepath.Join(dir, "key.pem"), filepath.Join(dir, "cert.pem"), idp.EntityID, nameID}, args...)
	var stderr bytes.Buffer
	cmd := exec.CommandContext(t.Context(), "/usr/bin/python3", argv...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pysaml2: %v\n%s", err, stderr.String())
	}
	return string(out)
}
