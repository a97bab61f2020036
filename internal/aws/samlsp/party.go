package samlsp

import (
	"crypto/x509"
	"encoding/base64"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	saml2 "github.com/russellhaering/gosaml2"
	"github.com/russellhaering/gosaml2/types"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// party is what a Response must say to be accepted by one service
// provider, and the identity provider it must come from. Identity
// Center's ACS and AWS's SAML sign-in (console and STS) each make one.
type party struct {
	// product names who refuses in messages ("Identity Center"), app the
	// identity provider's application to fix ("AWS IAM Identity Center").
	product, app string
	// recipients are the accepted SubjectConfirmationData Recipients; a
	// Destination must be one of them too, and must be present when
	// requireDestination is set.
	recipients         []string
	requireDestination bool
	audiences          []string
	idpEntityID        string
	certs              [][]byte
	clock              clock.Clock
	skew               time.Duration
}

// party is the Identity Center instance's rules for a response from idp.
func (sp *SP) party(idp ic.ExternalIdP) *party {
	return &party{product: "Identity Center", app: "AWS IAM Identity Center", recipients: []string{sp.ACSURL()},
		requireDestination: true, audiences: []string{sp.EntityID()}, idpEntityID: idp.EntityID, certs: idp.Certificates,
		clock: sp.cfg.Clock, skew: sp.cfg.Skew}
}

func (p *party) accepts(recipient string) bool { return slices.Contains(p.recipients, recipient) }

func (p *party) acsList() string { return strings.Join(p.recipients, " or ") }

// decodeForm returns the Response document the form carries, bounded.
func (p *party) decodeForm(form url.Values) ([]byte, error) {
	values := form["SAMLResponse"]
	if len(values) != 1 || values[0] == "" {
		return nil, p.malformed("the form must carry exactly one SAMLResponse")
	}
	return p.decode(values[0])
}

// decode reads a base64 Response, bounded; line breaks and spaces in the
// base64 are ignored.
func (p *party) decode(encoded string) ([]byte, error) {
	if len(encoded) > MaxFormBytes { // base64 of MaxResponseBytes, with room for line breaks
		return nil, tooLarge()
	}
	compact := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, encoded)
	doc, err := base64.StdEncoding.DecodeString(compact)
	if err != nil {
		return nil, p.malformed("SAMLResponse is not base64")
	}
	if len(doc) > MaxResponseBytes {
		return nil, tooLarge()
	}
	return doc, nil
}

func tooLarge() *errs.Error {
	return reject(errs.Invalid, ReasonTooLarge, "The sign-in response from your identity provider is too large to be a SAML response.")
}

// checkShape refuses a document that is not plainly one Response with one
// assertion, before any signature is looked at, and returns its shape.
func (p *party) checkShape(doc []byte) (shape, error) {
	trimmed := strings.TrimLeft(string(doc[:min(len(doc), 64)]), " \t\r\n\ufeff")
	if !strings.HasPrefix(trimmed, "<") {
		return shape{}, p.malformed("it is not an XML document (compressed responses belong to the HTTP-Redirect binding, which an ACS does not use)")
	}
	s, err := inspect(doc)
	switch {
	case errors.Is(err, errDTD) || errors.Is(err, errProcInst):
		return s, reject(errs.Invalid, ReasonDTD, "The sign-in response contains a document type declaration or processing instruction, which SAML forbids.")
	case err != nil:
		return s, p.malformed(err.Error())
	case s.root.Space != nsProtocol || s.root.Local != "Response":
		return s, p.malformed("it is not a SAML 2.0 Response")
	case s.weakAlgorithm != "":
		return s, reject(errs.Unauthenticated, ReasonAlgorithm, "The sign-in response is signed with "+s.weakAlgorithm+
			", which "+p.product+" does not accept: use RSA-SHA256 (or stronger) for the signature and SHA-256 for the digest."+p.fix())
	case s.encrypted > 0:
		return s, reject(errs.Invalid, ReasonEncrypted, "The sign-in response carries an encrypted assertion; "+p.product+
			" accepts only signed, unencrypted assertions."+p.fix())
	case s.assertions != 1 || s.assertionDepth != 2:
		return s, reject(errs.Invalid, ReasonAssertionCount, "The sign-in response must carry exactly one assertion, directly inside the Response.")
	case s.confirmations > 1:
		return s, p.malformed("its assertion's subject has more than one SubjectConfirmation; " + p.product + " accepts exactly one, with the bearer method")
	case s.duplicateID != "":
		return s, reject(errs.Invalid, ReasonDuplicateID, "The sign-in response uses the ID "+quote(s.duplicateID)+" more than once.")
	}
	return s, nil
}

// verify checks the signature with the identity provider's certificates
// and returns the Response as gosaml2 read it from the verified element
// only: the signed Response, or the unsigned Response's fields with only
// its verified assertion. gosaml2 requires the Recipient (and a
// Destination, when present) to be acs.
func (p *party) verify(doc []byte, acs string) (*types.Response, error) {
	roots := make([]*x509.Certificate, 0, len(p.certs))
	for _, der := range p.certs {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, reject(errs.Invalid, ReasonSignature, p.product+" holds an unreadable certificate for your identity provider, "+
				"so it cannot check the sign-in response. Ask your administrator to set the identity provider's metadata again.")
		}
		roots = append(roots, c)
	}
	v := &saml2.SAMLServiceProvider{
		IdentityProviderIssuer:      p.idpEntityID,
		AssertionConsumerServiceURL: acs,
		AudienceURI:                 p.audiences[0],
		IDPCertificateStore:         &dsig.MemoryX509CertificateStore{Roots: roots},
		// gosaml2 checks SubjectConfirmationData's NotOnOrAfter and the
		// certificate's validity itself, with no skew: give it a clock
		// that is the skew behind, and check the rest here.
		Clock:                       dsig.NewFakeClockAt(p.clock.Now().Add(-p.skew)),
		MaximumDecompressedBodySize: MaxResponseBytes,
	}
	resp, err := v.ValidateEncodedResponse(base64.StdEncoding.EncodeToString(doc))
	if err != nil {
		return nil, p.verifyError(err)
	}
	if len(resp.Assertions) != 1 {
		return nil, reject(errs.Invalid, ReasonAssertionCount, "The sign-in response must carry exactly one signed assertion.")
	}
	if !resp.SignatureValidated && !resp.Assertions[0].SignatureValidated {
		return nil, p.badSignature()
	}
	return resp, nil
}
