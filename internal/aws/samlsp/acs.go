package samlsp

import (
	"context"
	"net/url"
	"strings"
	"time"

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
	p := sp.party(src.IdP)
	doc, err := p.decodeForm(form)
	if err != nil {
		return Result{}, err
	}
	if _, err := p.checkShape(doc); err != nil {
		return Result{}, err
	}
	resp, err := p.verify(doc, sp.ACSURL())
	if err != nil {
		return Result{}, err
	}
	a := resp.Assertions[0]
	seen.issuer, seen.assertionID = a.Issuer.Value, a.ID
	if a.Subject != nil && a.Subject.NameID != nil {
		seen.nameID = strings.TrimSpace(a.Subject.NameID.Value)
	}
	c, err := p.check(resp)
	if err != nil {
		return Result{}, err
	}
	seen.inResponseTo = c.inResponseTo
	access, err := accessControl(a.AttributeStatement, p.fix())
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
		SessionNotOnOrAfter: c.sessionEnd, AccessControl: access,
		SPInitiated: c.inResponseTo != "", RelayState: relay}, nil
}
