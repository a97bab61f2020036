package samlsp

import (
	"strings"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
)

// AWS's SAML sign-in endpoint: the Recipient (and Destination) an identity
// provider sets for AWS account federation, and saml:aud in trust
// policies.
const SignInURL = "https://signin.aws.amazon.com/saml"

// SignInAudiences are the Audience values AWS's SAML sign-in accepts.
var SignInAudiences = []string{SignInURL, "urn:amazon:webservices"}

// Rules are what a Response must satisfy to be accepted by a service
// provider other than an Identity Center instance: AWS's SAML sign-in for
// account federation (the console's /saml and STS AssumeRoleWithSAML).
type Rules struct {
	// IdPEntityID is the Issuer the Response and its assertion must name;
	// Certificates (DER) are the identity provider's signing certificates.
	IdPEntityID  string
	Certificates [][]byte
	// Recipients are the accepted SubjectConfirmationData Recipients. A
	// Destination, when the Response has one, must equal the Recipient.
	Recipients []string
	// Audiences: every AudienceRestriction must name one of them.
	Audiences []string
	Clock     clock.Clock
	// Skew is how far the identity provider's clock may be from ours;
	// zero means DefaultSkew, and it is capped at MaxSkew.
	Skew time.Duration
	// Product names who refuses in messages ("AWS"); App the identity
	// provider application the administrator should check ("AWS Account
	// Federation").
	Product, App string
}

// Assertion is what a verified, checked Response's assertion says.
type Assertion struct {
	ID     string
	Issuer string
	// NameID is the subject; NameIDFormat its Format attribute (a URN).
	NameID, NameIDFormat string
	// Recipient is the SubjectConfirmationData's Recipient, one of
	// Rules.Recipients.
	Recipient string
	// ValidUntil is the latest NotOnOrAfter: how long a replay cache must
	// remember the assertion.
	ValidUntil time.Time
	// SessionNotOnOrAfter is when the identity provider's session ends
	// (zero when it did not say).
	SessionNotOnOrAfter time.Time
	// Attributes are the attribute statement's values by attribute Name,
	// each value trimmed.
	Attributes map[string][]string
}

// Verify decodes a base64 Response and applies the same checks as
// Identity Center's ACS (size, DTD, one assertion, signature, issuer,
// recipient, audience, times with skew) under r. It neither remembers the
// assertion (the caller's replay cache does, see ReplayKey) nor logs.
// Every refusal is an *errs.Error with a Reason.
func Verify(encoded string, r Rules) (Assertion, error) {
	if r.Skew <= 0 {
		r.Skew = DefaultSkew
	}
	p := &party{product: r.Product, app: r.App, recipients: r.Recipients, audiences: r.Audiences,
		idpEntityID: r.IdPEntityID, certs: r.Certificates, clock: r.Clock, skew: min(r.Skew, MaxSkew)}
	if len(p.recipients) == 0 || len(p.audiences) == 0 || p.clock == nil {
		return Assertion{}, errs.E(errs.Internal, "samlsp: Verify needs recipients, audiences and a clock")
	}
	doc, err := p.decode(encoded)
	if err != nil {
		return Assertion{}, err
	}
	s, err := p.checkShape(doc)
	if err != nil {
		return Assertion{}, err
	}
	// gosaml2 compares the verified Recipient with one URL: give it the
	// one the document names when it is acceptable, so that a wrong one
	// is refused by name.
	acs := p.recipients[0]
	if p.accepts(s.recipient) {
		acs = s.recipient
	}
	resp, err := p.verify(doc, acs)
	if err != nil {
		return Assertion{}, err
	}
	c, err := p.check(resp)
	if err != nil {
		return Assertion{}, err
	}
	out := Assertion{ID: c.assertionID, Issuer: c.issuer, NameID: c.nameID, NameIDFormat: s.nameIDFormat, Recipient: acs,
		ValidUntil: c.validUntil.Add(p.skew), SessionNotOnOrAfter: c.sessionEnd, Attributes: map[string][]string{}}
	if st := resp.Assertions[0].AttributeStatement; st != nil {
		for _, a := range st.Attributes {
			for _, v := range a.Values {
				out.Attributes[a.Name] = append(out.Attributes[a.Name], strings.TrimSpace(v.Value))
			}
		}
	}
	return out, nil
}

// ReplayKey is the one-time key (store.OneTimeKeys) that records an
// assertion's use at one endpoint, scope ("sts", "signin"), until
// Assertion.ValidUntil.
func ReplayKey(scope string, a Assertion) string {
	return keyAssertion + scope + ":" + digest(a.Issuer, a.ID)
}
