package samlsp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// One-time key prefixes: a request awaiting its response, and an
// assertion already used.
const (
	keyRequest   = "saml.request:"
	keyAssertion = "saml.assertion:"
)

// requestKey names an AuthnRequest together with the RelayState it
// carried, so that a response answers it only with that RelayState.
func requestKey(id, relayState string) string { return keyRequest + digest(id, relayState) }

func assertionKey(issuer, id string) string { return keyAssertion + digest(issuer, id) }

// digest keeps keys short whatever the identity provider's ids are.
func digest(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// remember spends the request the response answers and records the
// assertion id until the assertion expires, so that neither is used twice.
func (sp *SP) remember(ctx context.Context, c checked, relayState string) error {
	if c.inResponseTo != "" {
		err := sp.store.ConsumeKey(ctx, requestKey(c.inResponseTo, relayState))
		if errs.Is(err, errs.NotFound) {
			return reject(errs.Unauthenticated, ReasonUnknownRequest, "This sign-in response answers a sign-in request that Identity Center did not make, "+
				"that has already been answered, or that expired. Start again from the AWS access portal.")
		}
		if err != nil {
			return err
		}
	}
	err := sp.store.RememberKey(ctx, assertionKey(c.issuer, c.assertionID), c.validUntil.Add(sp.cfg.Skew))
	if errs.Is(err, errs.Conflict) {
		return reject(errs.Unauthenticated, ReasonReplay, "This sign-in response has already been used. Start again from the AWS access portal.")
	}
	return err
}

// user finds the existing, enabled user the NameID names: Identity Center
// creates no user at sign-in.
func (sp *SP) user(ctx context.Context, nameID string) (ic.User, error) {
	u, err := sp.store.UserByName(ctx, nameID)
	if errs.Is(err, errs.NotFound) {
		return ic.User{}, reject(errs.Denied, ReasonUnknownUser, "Your identity provider signed you in as "+quote(nameID)+
			", but Identity Center has no user with that user name. Ask your administrator to provision your user (SCIM) "+
			"or to send your user name as the NameID.")
	}
	if err != nil {
		return ic.User{}, err
	}
	if u.Status == ic.UserDisabled {
		return ic.User{}, reject(errs.Denied, ReasonDisabledUser, "Your user "+quote(u.Profile.UserName)+
			" is disabled in Identity Center. Ask your administrator to enable it.")
	}
	return u, nil
}

// signInEvent is the log's record of a sign-in through the identity
// provider.
func signInEvent(ctx context.Context, a attempt, outcome, msg string) audit.Event {
	e := audit.New(ctx, "user.signin", "USER", a.userID)
	e.TargetName, e.Outcome, e.Message = a.nameID, outcome, msg
	if e.Detail == nil {
		e.Detail = map[string]string{}
	}
	e.Detail["credentialType"] = "SAML2"
	for k, v := range map[string]string{"issuer": a.issuer, "assertionId": a.assertionID, "inResponseTo": a.inResponseTo} {
		if v != "" {
			e.Detail[k] = v
		}
	}
	return e
}

func (sp *SP) logRefusal(ctx context.Context, a attempt, err error) error {
	e := signInEvent(ctx, a, audit.Failure, err.Error())
	if errs.KindOf(err) == errs.Denied {
		e.Outcome = audit.Deny
	}
	e.Detail["reason"] = string(ReasonOf(err))
	return sp.store.AppendEvent(ctx, e)
}

func (sp *SP) logSuccess(ctx context.Context, r Result) error {
	a := attempt{issuer: r.Issuer, assertionID: r.AssertionID, nameID: r.NameID, userID: r.User.ID}
	return sp.store.AppendEvent(ctx, signInEvent(ctx, a, audit.Success, "signed in through the identity provider"))
}
