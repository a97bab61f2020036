package iamapi

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// samlMetadata is what IAM reads from an identity provider's metadata.
type samlMetadata struct {
	EntityID     string
	Certificates []string // base64 DER, signing certificates
	ValidUntil   time.Time
}

// maxMetadataDepth bounds element nesting; real metadata nests under ten.
const maxMetadataDepth = 64

// parseSAMLMetadata reads a SAML 2.0 EntityDescriptor safely: at most
// iam.MaxSAMLMetadataLen bytes, no DTD (so no entities to expand and no
// external references), bounded nesting. It needs an entityID and an
// IDPSSODescriptor with at least one signing certificate that parses.
func parseSAMLMetadata(doc string) (samlMetadata, error) {
	if len(doc) < iam.MinSAMLMetadataLen || len(doc) > iam.MaxSAMLMetadataLen {
		return samlMetadata{}, badMetadata("the document must be %d to %d characters", iam.MinSAMLMetadataLen, iam.MaxSAMLMetadataLen)
	}
	if err := scanXML(doc); err != nil {
		return samlMetadata{}, err
	}
	var ed entityDescriptor
	if err := xml.Unmarshal([]byte(doc), &ed); err != nil {
		return samlMetadata{}, badMetadata("it is not well-formed XML")
	}
	return ed.metadata()
}

func badMetadata(format string, args ...any) error {
	return errs.E(errs.Invalid, "Could not parse metadata: "+format, args...).WithCode("InvalidInput")
}

// scanXML walks the tokens once, refusing a DTD or any directive and
// nesting deeper than maxMetadataDepth.
func scanXML(doc string) error {
	d := xml.NewDecoder(strings.NewReader(doc))
	depth := 0
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return badMetadata("it is not well-formed XML")
		}
		switch tok.(type) {
		case xml.Directive:
			return badMetadata("a DOCTYPE or other directive is not allowed")
		case xml.StartElement:
			if depth++; depth > maxMetadataDepth {
				return badMetadata("elements nest deeper than %d", maxMetadataDepth)
			}
		case xml.EndElement:
			depth--
		}
	}
}

type entityDescriptor struct {
	XMLName    xml.Name        `xml:"urn:oasis:names:tc:SAML:2.0:metadata EntityDescriptor"`
	EntityID   string          `xml:"entityID,attr"`
	ValidUntil string          `xml:"validUntil,attr"`
	IDP        []idpDescriptor `xml:"urn:oasis:names:tc:SAML:2.0:metadata IDPSSODescriptor"`
}

type idpDescriptor struct {
	Keys []keyDescriptor `xml:"urn:oasis:names:tc:SAML:2.0:metadata KeyDescriptor"`
}

type keyDescriptor struct {
	Use   string   `xml:"use,attr"`
	Certs []string `xml:"http://www.w3.org/2000/09/xmldsig# KeyInfo>X509Data>X509Certificate"`
}

func (ed entityDescriptor) metadata() (samlMetadata, error) {
	m := samlMetadata{EntityID: strings.TrimSpace(ed.EntityID)}
	if m.EntityID == "" || len(m.EntityID) > 1024 {
		return m, badMetadata("the EntityDescriptor needs an entityID of at most 1024 characters")
	}
	if len(ed.IDP) == 0 {
		return m, badMetadata("it has no IDPSSODescriptor")
	}
	if ed.ValidUntil != "" {
		t, err := time.Parse(time.RFC3339, strings.TrimSpace(ed.ValidUntil))
		if err != nil {
			return m, badMetadata("validUntil %.64q is not an xs:dateTime", ed.ValidUntil)
		}
		m.ValidUntil = t.UTC()
	}
	for _, idp := range ed.IDP {
		for _, k := range idp.Keys {
			if k.Use != "" && k.Use != "signing" {
				continue
			}
			for _, c := range k.Certs {
				cert, err := certificate(c)
				if err != nil {
					return m, err
				}
				m.Certificates = append(m.Certificates, cert)
			}
		}
	}
	if len(m.Certificates) == 0 {
		return m, badMetadata("it has no signing certificate (IDPSSODescriptor/KeyDescriptor/KeyInfo/X509Data/X509Certificate)")
	}
	return m, nil
}

// certificate checks that text is a base64 X.509 certificate and returns
// it without whitespace.
func certificate(text string) (string, error) {
	clean := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, text)
	der, err := base64.StdEncoding.DecodeString(clean)
	if err != nil {
		return "", badMetadata("an X509Certificate is not base64")
	}
	if _, err := x509.ParseCertificate(der); err != nil {
		return "", badMetadata("an X509Certificate does not parse: %v", err)
	}
	return clean, nil
}
