package samlsp

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	rtvalidator "github.com/mattermost/xml-roundtrip-validator"
)

// Bounds on a document's shape, far above what a real Response or
// metadata document needs.
const (
	maxElements = 20000
	maxDepth    = 64
)

// Signature and digest algorithms a signature may use. Everything else
// (SHA-1, HMAC, anything unknown) is refused before verification:
// goxmldsig itself would accept RSA-SHA1.
var (
	signatureAlgorithms = map[string]bool{
		"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256":   true,
		"http://www.w3.org/2001/04/xmldsig-more#rsa-sha384":   true,
		"http://www.w3.org/2001/04/xmldsig-more#rsa-sha512":   true,
		"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256": true,
		"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384": true,
		"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512": true,
	}
	digestAlgorithms = map[string]bool{
		"http://www.w3.org/2001/04/xmlenc#sha256":       true,
		"http://www.w3.org/2001/04/xmldsig-more#sha384": true,
		"http://www.w3.org/2001/04/xmlenc#sha512":       true,
	}
)

// shape is what a pass over a document's tokens found.
type shape struct {
	root xml.Name
	// assertions counts saml:Assertion elements anywhere, and
	// assertionDepth is the depth of the last one (1 is the root).
	assertions, assertionDepth int
	encrypted                  int
	duplicateID                string
	weakAlgorithm              string
	// nameIDFormat and recipient are read (unverified) from the one
	// assertion's Subject: once the signature over that same assertion
	// verifies, they are its signed values.
	nameIDFormat, recipient string
	// confirmations counts the one assertion's SubjectConfirmations:
	// encoding/xml would read several merged into one.
	confirmations int
}

var (
	errDTD       = errors.New("document type declarations are not allowed")
	errProcInst  = errors.New("processing instructions are not allowed")
	errTooDeep   = errors.New("the document nests too deeply")
	errTooLarge  = errors.New("the document has too many elements")
	errNoRoot    = errors.New("the document has no root element")
	errRoundTrip = errors.New("the document does not read back the same after a parse and a write")
)

// inspect reads doc token by token (never expanding an entity, refusing a
// DTD), then checks that it survives an encoding/xml round trip, and
// reports its shape. It reads no claims.
func inspect(doc []byte) (shape, error) {
	var s shape
	ids := map[string]bool{}
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	depth, elements := 0, 0
	var path []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return s, err
		}
		switch t := tok.(type) {
		case xml.Directive:
			return s, errDTD
		case xml.ProcInst:
			if t.Target != "xml" {
				return s, errProcInst
			}
		case xml.EndElement:
			depth--
			path = path[:len(path)-1]
		case xml.StartElement:
			depth++
			path = append(path, t.Name.Local)
			elements++
			if depth > maxDepth {
				return s, errTooDeep
			}
			if elements > maxElements {
				return s, errTooLarge
			}
			if depth == 1 {
				s.root = t.Name
			}
			s.element(t, depth, ids)
			s.subject(t, path)
		}
	}
	if elements == 0 {
		return s, errNoRoot
	}
	if rtvalidator.Validate(bytes.NewReader(doc)) != nil {
		return s, errRoundTrip
	}
	return s, nil
}

// element records what one start tag adds to the shape.
func (s *shape) element(t xml.StartElement, depth int, ids map[string]bool) {
	// Assertions count by local name in any namespace: encoding/xml, which
	// gosaml2 reads with, would match some of them by local name alone.
	switch t.Name.Local {
	case "Assertion":
		s.assertions++
		s.assertionDepth = depth
		if t.Name.Space != nsAssertion {
			s.assertionDepth = -1
		}
	case "EncryptedAssertion":
		s.encrypted++
	}
	switch t.Name {
	case xml.Name{Space: nsDSig, Local: "SignatureMethod"}:
		s.algorithm(t, signatureAlgorithms)
	case xml.Name{Space: nsDSig, Local: "DigestMethod"}:
		s.algorithm(t, digestAlgorithms)
	}
	for _, a := range t.Attr {
		if a.Name.Space == "" && (a.Name.Local == "ID" || a.Name.Local == "Id" || a.Name.Local == "id") {
			if ids[a.Value] && s.duplicateID == "" {
				s.duplicateID = a.Value
			}
			ids[a.Value] = true
		}
	}
}

func (s *shape) algorithm(t xml.StartElement, allowed map[string]bool) {
	for _, a := range t.Attr {
		if a.Name.Space == "" && a.Name.Local == "Algorithm" && !allowed[a.Value] && s.weakAlgorithm == "" {
			s.weakAlgorithm = a.Value
			return
		}
	}
}

// subject records the NameID's Format and the subject confirmation's
// Recipient when t is one of them in Response/Assertion/Subject.
func (s *shape) subject(t xml.StartElement, path []string) {
	at := strings.Join(path, "/")
	if t.Name.Space != nsAssertion {
		return
	}
	if at == "Response/Assertion/Subject/SubjectConfirmation" {
		s.confirmations++
	}
	for _, a := range t.Attr {
		switch {
		case at == "Response/Assertion/Subject/NameID" && a.Name.Space == "" && a.Name.Local == "Format":
			s.nameIDFormat = a.Value
		case at == "Response/Assertion/Subject/SubjectConfirmation/SubjectConfirmationData" && a.Name.Space == "" && a.Name.Local == "Recipient":
			s.recipient = a.Value
		}
	}
}
