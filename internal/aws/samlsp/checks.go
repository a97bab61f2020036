package samlsp

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	saml2 "github.com/russellhaering/gosaml2"
	"github.com/russellhaering/gosaml2/types"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/keyward/keyward/internal/errs"
)

// verifyError words what gosaml2 refused. Anything it does not name is a
// signature that did not verify.
func (p *party) verifyError(err error) error {
	var bad saml2.ErrInvalidValue
	var absent saml2.ErrMissingElement
	switch {
	case errors.Is(err, dsig.ErrMissingSignature):
		return reject(errs.Unauthenticated, ReasonSignature, "The sign-in response is not signed: "+p.product+" accepts only a signed response or assertion."+p.fix())
	case errors.As(err, &bad):
		return p.invalidValue(bad)
	case errors.As(err, &absent):
		return p.malformed("it has no " + absent.Tag + " " + strings.TrimSpace(absent.Attribute+" element"))
	}
	e := p.badSignature()
	e.Err = err // for the log, never the person
	return e
}

func (p *party) invalidValue(bad saml2.ErrInvalidValue) error {
	switch bad.Key {
	case saml2.DestinationAttr:
		return p.destinationMismatch(bad.Actual)
	case saml2.RecipientAttr:
		return reject(errs.Unauthenticated, ReasonRecipient, "The sign-in assertion is meant for "+quote(bad.Actual)+
			", not for "+p.product+"'s ACS URL "+p.acsList()+"."+p.fix())
	case saml2.IssuerTag:
		return reject(errs.Unauthenticated, ReasonIssuer, "The sign-in response comes from "+quote(bad.Actual)+
			", not from the identity provider "+p.product+" trusts ("+p.idpEntityID+")."+p.fix())
	case saml2.StatusCodeTag:
		return reject(errs.Unauthenticated, ReasonStatus, "Your identity provider did not sign you in (status "+quote(bad.Actual)+"). Try signing in again.")
	case saml2.NotOnOrAfterAttr:
		return expired()
	}
	return p.malformed("its " + bad.Key + " is not valid")
}

func (p *party) destinationMismatch(got string) error {
	return reject(errs.Unauthenticated, ReasonDestination, "The sign-in response is addressed to "+quote(got)+
		", not to "+p.product+"'s ACS URL "+p.acsList()+"."+p.fix())
}

func expired() error {
	return reject(errs.Unauthenticated, ReasonExpired, "The sign-in response has expired. Sign in again; if this keeps happening, check that your identity provider's clock is right.")
}

func notYetValid() error {
	return reject(errs.Unauthenticated, ReasonNotYetValid, "The sign-in response is not valid yet: your identity provider's clock seems to be ahead. Try again in a minute.")
}

// checked is what the verified assertion says, once checked.
type checked struct {
	assertionID  string
	issuer       string
	nameID       string
	inResponseTo string
	validUntil   time.Time // the latest NotOnOrAfter: how long to remember the assertion id
	sessionEnd   time.Time
}

// check applies the rules gosaml2 leaves to its caller to the verified
// response: destination, audience, validity times with skew, InResponseTo
// agreement and NameID.
func (p *party) check(resp *types.Response) (checked, error) {
	a := resp.Assertions[0]
	c := checked{assertionID: a.ID, issuer: a.Issuer.Value}
	if a.Subject != nil && a.Subject.NameID != nil {
		c.nameID = strings.TrimSpace(a.Subject.NameID.Value)
	}
	if resp.Destination != "" || p.requireDestination {
		if !p.accepts(resp.Destination) {
			return c, p.destinationMismatch(resp.Destination)
		}
	}
	if a.ID == "" || c.nameID == "" {
		return c, p.malformed("its assertion has no ID or no NameID")
	}
	if err := p.checkAudience(a.Conditions); err != nil {
		return c, err
	}
	var err error
	if c.validUntil, err = p.checkTimes(a); err != nil {
		return c, err
	}
	if c.inResponseTo, err = inResponseTo(resp); err != nil {
		return c, err
	}
	if a.AuthnStatement != nil && a.AuthnStatement.SessionNotOnOrAfter != nil {
		c.sessionEnd = a.AuthnStatement.SessionNotOnOrAfter.UTC()
		if !p.clock.Now().Before(c.sessionEnd) {
			return c, reject(errs.Unauthenticated, ReasonExpired, "Your session at the identity provider has already ended. Sign in again.")
		}
	}
	return c, nil
}

// checkAudience requires an audience restriction, and every one of them to
// name this service provider.
func (p *party) checkAudience(cond *types.Conditions) error {
	wrong := reject(errs.Unauthenticated, ReasonAudience, "The sign-in assertion is meant for another service provider: its Audience must be "+
		strings.Join(p.audiences, " or ")+", "+p.product+"'s entity ID."+p.fix())
	if cond == nil || len(cond.AudienceRestrictions) == 0 {
		return wrong
	}
	for _, r := range cond.AudienceRestrictions {
		found := false
		for _, a := range r.Audiences {
			for _, want := range p.audiences {
				found = found || strings.TrimSpace(a.Value) == want
			}
		}
		if !found {
			return wrong
		}
	}
	return nil
}

// checkTimes checks the assertion's validity window and its subject
// confirmation's NotOnOrAfter with the skew, and returns the latest
// NotOnOrAfter.
func (p *party) checkTimes(a types.Assertion) (time.Time, error) {
	now, skew := p.clock.Now(), p.skew
	scd := a.Subject.SubjectConfirmation.SubjectConfirmationData // gosaml2 required it
	until, err := parseTime(scd.NotOnOrAfter)
	if err != nil {
		return time.Time{}, p.malformed("its subject confirmation's NotOnOrAfter is not a time")
	}
	cond := a.Conditions
	if cond.NotOnOrAfter == "" {
		return time.Time{}, p.malformed("its Conditions have no NotOnOrAfter")
	}
	condUntil, err := parseTime(cond.NotOnOrAfter)
	if err != nil {
		return time.Time{}, p.malformed("its Conditions' NotOnOrAfter is not a time")
	}
	if !now.Add(-skew).Before(until) || !now.Add(-skew).Before(condUntil) {
		return time.Time{}, expired()
	}
	if cond.NotBefore != "" {
		from, err := parseTime(cond.NotBefore)
		if err != nil {
			return time.Time{}, p.malformed("its Conditions' NotBefore is not a time")
		}
		if now.Add(skew).Before(from) {
			return time.Time{}, notYetValid()
		}
	}
	if !a.IssueInstant.IsZero() && now.Add(skew).Before(a.IssueInstant) {
		return time.Time{}, notYetValid()
	}
	return maxTime(until, condUntil), nil
}

func parseTime(s string) (time.Time, error) {
	return time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// inResponseTo returns the request the response answers, "" for an
// IdP-initiated one. The assertion's (signed) subject confirmation is
// authoritative; the Response's, when given, must agree with it.
func inResponseTo(resp *types.Response) (string, error) {
	scd := resp.Assertions[0].Subject.SubjectConfirmation.SubjectConfirmationData
	id, outer := strings.TrimSpace(scd.InResponseTo), strings.TrimSpace(resp.InResponseTo)
	if id != "" && outer != "" && id != outer {
		return "", reject(errs.Unauthenticated, ReasonUnknownRequest, "The sign-in response answers a different request than its assertion does.")
	}
	if id == "" {
		id = outer
	}
	return id, nil
}

// AccessControlPrefix starts the names of attributes for access control.
const AccessControlPrefix = "https://aws.amazon.com/SAML/Attributes/AccessControl:"

// Session tag limits, which attributes for access control become, in
// characters as AWS counts them.
const (
	maxAccessControl      = 50
	maxAccessControlKey   = 128
	maxAccessControlValue = 256
)

// accessControl collects the attributes for access control, taking an
// attribute's first value as AWS does for session tags.
func accessControl(st *types.AttributeStatement, fix string) (map[string]string, error) {
	if st == nil {
		return nil, nil
	}
	out := map[string]string{}
	for _, a := range st.Attributes {
		key, ok := strings.CutPrefix(a.Name, AccessControlPrefix)
		if !ok || len(a.Values) == 0 {
			continue
		}
		value := strings.TrimSpace(a.Values[0].Value)
		if key == "" || utf8.RuneCountInString(key) > maxAccessControlKey || utf8.RuneCountInString(value) > maxAccessControlValue {
			return nil, reject(errs.Invalid, ReasonMalformed, "The attribute for access control "+quote(a.Name)+
				" has an empty or too long key (at most 128 characters) or a value over 256 characters."+fix)
		}
		out[key] = value
	}
	if len(out) > maxAccessControl {
		return nil, reject(errs.Invalid, ReasonMalformed, "The sign-in response carries more than 50 attributes for access control."+fix)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// quote shows an outside value in a message, bounded.
func quote(s string) string {
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return strconv.Quote(s)
}
