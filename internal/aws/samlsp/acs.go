package samlsp

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"time"

	saml2 "github.com/russellhaering/gosaml2"
	"github.com/russellhaering/gosaml2/types"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// Result is a response Identity Center accepted: who signed in and what
// the identity provider said about the session.
type Result struct {
	User        ic.User
	NameID      string
	Issuer      string
	AssertionID string
	// SessionNotOnOrAfter is when the identity provider's session ends
	// (zero when it did not say): the portal session must not outlive it.
	SessionNotOnOrAfter time.Time
	// AccessControl holds the https://aws.amazon.com/SAML/Attributes/AccessControl:<Key>
	// attributes by key, for attribute-based access control.
	AccessControl map[string]string
	// SPInitiated reports that the response answered one of our
	// AuthnRequests; RelayState is then the RelayState that request
	// carried. For an IdP-initiated sign-in RelayState is whatever the
	// identity provider sent: validate it before redirecting to it.
	SPInitiated bool
	RelayState  string
}

// SessionEnds is when a portal session made from r ends: after lifetime,
// or when the identity provider's session ends if that is sooner.
func (r Result) SessionEnds(now time.Time, lifetime time.Duration) time.Time {
	end := now.Add(lifetime)
	if !r.SessionNotOnOrAfter.IsZero() && r.SessionNotOnOrAfter.Before(end) {
		return r.SessionNotOnOrAfter
	}
	return end
}

// Consume validates the ACS form post (SAMLResponse, RelayState) as AWS
// does and returns who signed in. Every refusal is an *errs.Error (see
// Reason) and a "user.signin" FAILURE or DENY event; success is a SUCCESS
// event. It does not make a portal session.
func (sp *SP) Consume(ctx context.Context, form url.Values) (Result, error) {
	var seen attempt
	r, err := sp.consume(ctx, form, &seen)
	if err != nil {
		if _, ok := errs.As(err); !ok {
			return Result{}, err // the store failed: nothing to say about the response
		}
		if lerr := sp.logRefusal(ctx, seen, err); lerr != nil {
			return Result{}, lerr
		}
		return Result{}, err
	}
	if err := sp.logSuccess(ctx, r); err != nil {
		return Result{}, err
	}
	return r, nil
}

// attempt is what is known about a response so far, for the log.
type attempt struct {
	issuer, assertionID, nameID, inResponseTo, userID string
}

func (sp *SP) consume(ctx context.Context, form url.Values, seen *attempt) (Result, error) {
	src, err := sp.store.IdentitySource(ctx)
	if err != nil {
		return Result{}, err
	}
	if !src.External() {
		return Result{}, reject(errs.Invalid, ReasonNotExternal, "This AWS access portal signs people in with its own directory, "+
			"not through an external identity provider. Sign in at the portal's start URL instead.")
	}
	doc, err := decodeForm(form)
	if err != nil {
		return Result{}, err
	}
	if err := checkShape(doc); err != nil {
		return Result{}, err
	}
	resp, err := sp.verify(doc, src.IdP)
	if err != nil {
		return Result{}, err
	}
	a := resp.Assertions[0]
	seen.issuer, seen.assertionID = a.Issuer.Value, a.ID
	if a.Subject != nil && a.Subject.NameID != nil {
		seen.nameID = strings.TrimSpace(a.Subject.NameID.Value)
	}
	c, err := sp.check(resp, seen)
	if err != nil {
		return Result{}, err
	}
	relay := form.Get("RelayState")
	if err := sp.remember(ctx, c, relay); err != nil {
		return Result{}, err
	}
	u, err := sp.user(ctx, seen.nameID)
	if err != nil {
		return Result{}, err
	}
	seen.userID = u.ID
	return Result{User: u, NameID: seen.nameID, Issuer: seen.issuer, AssertionID: a.ID,
		SessionNotOnOrAfter: c.sessionEnd, AccessControl: c.accessControl,
		SPInitiated: c.inResponseTo != "", RelayState: relay}, nil
}

// decodeForm returns the Response document the form carries, bounded.
func decodeForm(form url.Values) ([]byte, error) {
	values := form["SAMLResponse"]
	if len(values) != 1 || values[0] == "" {
		return nil, malformed("the form must carry exactly one SAMLResponse")
	}
	if len(values[0]) > MaxFormBytes { // base64 of MaxResponseBytes, with room for line breaks
		return nil, tooLarge()
	}
	compact := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, values[0])
	doc, err := base64.StdEncoding.DecodeString(compact)
	if err != nil {
		return nil, malformed("SAMLResponse is not base64")
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
// assertion, before any signature is looked at.
func checkShape(doc []byte) error {
	trimmed := strings.TrimLeft(string(doc[:min(len(doc), 64)]), " \t\r\n\ufeff")
	if !strings.HasPrefix(trimmed, "<") {
		return malformed("it is not an XML document (compressed responses belong to the HTTP-Redirect binding, which an ACS does not use)")
	}
	s, err := inspect(doc)
	switch {
	case errors.Is(err, errDTD) || errors.Is(err, errProcInst):
		return reject(errs.Invalid, ReasonDTD, "The sign-in response contains a document type declaration or processing instruction, which SAML forbids.")
	case err != nil:
		return malformed(err.Error())
	case s.root.Space != nsProtocol || s.root.Local != "Response":
		return malformed("it is not a SAML 2.0 Response")
	case s.weakAlgorithm != "":
		return reject(errs.Unauthenticated, ReasonAlgorithm, "The sign-in response is signed with "+s.weakAlgorithm+
			", which Identity Center does not accept: use RSA-SHA256 (or stronger) for the signature and SHA-256 for the digest."+fixAtIdP)
	case s.encrypted > 0:
		return reject(errs.Invalid, ReasonEncrypted, "The sign-in response carries an encrypted assertion; Identity Center accepts only signed, unencrypted assertions."+fixAtIdP)
	case s.assertions != 1 || s.assertionDepth != 2:
		return reject(errs.Invalid, ReasonAssertionCount, "The sign-in response must carry exactly one assertion, directly inside the Response.")
	case s.duplicateID != "":
		return reject(errs.Invalid, ReasonDuplicateID, "The sign-in response uses the ID "+quote(s.duplicateID)+" more than once.")
	}
	return nil
}

// verify checks the signature with the identity provider's certificates
// and returns the Response as gosaml2 read it from the verified element
// only: the signed Response, or the unsigned Response's fields with only
// its verified assertion.
func (sp *SP) verify(doc []byte, idp ic.ExternalIdP) (*types.Response, error) {
	roots := make([]*x509.Certificate, 0, len(idp.Certificates))
	for _, der := range idp.Certificates {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, reject(errs.Invalid, ReasonSignature, "Identity Center holds an unreadable certificate for your identity provider, "+
				"so it cannot check the sign-in response. Ask your administrator to set the identity provider's metadata again.")
		}
		roots = append(roots, c)
	}
	v := &saml2.SAMLServiceProvider{
		IdentityProviderIssuer:      idp.EntityID,
		AssertionConsumerServiceURL: sp.ACSURL(),
		AudienceURI:                 sp.EntityID(),
		IDPCertificateStore:         &dsig.MemoryX509CertificateStore{Roots: roots},
		// gosaml2 checks SubjectConfirmationData's NotOnOrAfter and the
		// certificate's validity itself, with no skew: give it a clock
		// that is the skew behind, and check the rest here.
		Clock:                       dsig.NewFakeClockAt(sp.cfg.Clock.Now().Add(-sp.cfg.Skew)),
		MaximumDecompressedBodySize: MaxResponseBytes,
	}
	resp, err := v.ValidateEncodedResponse(base64.StdEncoding.EncodeToString(doc))
	if err != nil {
		return nil, sp.verifyError(err, idp)
	}
	if len(resp.Assertions) != 1 {
		return nil, reject(errs.Invalid, ReasonAssertionCount, "The sign-in response must carry exactly one signed assertion.")
	}
	if !resp.SignatureValidated && !resp.Assertions[0].SignatureValidated {
		return nil, badSignature()
	}
	return resp, nil
}
