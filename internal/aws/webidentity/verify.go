package webidentity

import (
	"context"
	"encoding/json"
	"errors"
	"slices"

	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// Verifier checks tokens against the IAM OIDC provider of their issuer.
type Verifier struct {
	Keys  *Fetcher
	Clock clock.Clock
}

// Verify checks t, whose issuer is provider's: its signature by a key of
// the issuer's key set that fits the token's algorithm (and id), its times
// (exp required; exp, nbf and iat within Skew), a subject, and an audience
// (aud, or else azp) among the provider's client ids. It returns the
// claims and the audience that matched.
func (v *Verifier) Verify(ctx context.Context, t *Token, provider iam.OIDCProvider) (Claims, string, error) {
	var c wire
	if err := v.verifySignature(ctx, t, provider, &c); err != nil {
		return Claims{}, "", err
	}
	out := Claims{Issuer: c.Issuer, Subject: c.Subject, Audience: c.Audience, AZP: c.AZP, AMR: stringOrList(c.AMR),
		SourceIdentity: c.SourceIdentity}
	var err error
	if out.Tags, out.TransitiveTagKeys, err = sessionTags(c.AWSTags); err != nil {
		return Claims{}, "", err
	}
	if err := v.checkTimes(c.Claims, &out); err != nil {
		return Claims{}, "", err
	}
	if out.Subject == "" {
		return Claims{}, "", Invalid("Missing a required claim: sub")
	}
	aud, ok := audience(out, provider.ClientIDs)
	if !ok {
		return Claims{}, "", Invalid("Incorrect token audience")
	}
	return out, aud, nil
}

// verifySignature finds the issuer's keys that may have signed t and
// decodes t's claims with the one whose signature checks out.
func (v *Verifier) verifySignature(ctx context.Context, t *Token, p iam.OIDCProvider, c *wire) error {
	h := t.jws.Headers[0]
	set, err := v.Keys.Keys(ctx, "https://"+p.URL, p.Thumbprints, h.KeyID)
	switch {
	case errors.Is(err, ErrUntrusted):
		return Invalid("OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint")
	case errors.Is(err, ErrUnreachable):
		return errs.E(errs.Invalid, "The request could not be fulfilled because the identity provider (IDP) that was asked to verify the incoming identity token could not be reached. Retry the request.").
			WithCode("IDPCommunicationError")
	case err != nil:
		return Invalid("Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements")
	}
	keys := set.candidates(h.KeyID, h.Algorithm)
	if len(keys) == 0 {
		return Invalid("Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements")
	}
	for _, k := range keys {
		if t.jws.Claims(k.Key, c) == nil {
			return nil
		}
	}
	return Invalid("The web identity token that was passed could not be validated by Amazon Web Services. Get a new identity token from the identity provider and then retry the request.")
}

// checkTimes requires exp and keeps exp, nbf and iat within Skew of now.
func (v *Verifier) checkTimes(c jwt.Claims, out *Claims) error {
	now := v.Clock.Now()
	if c.Expiry == nil {
		return Invalid("Missing a required claim: exp")
	}
	out.Expiry = c.Expiry.Time()
	if !now.Before(out.Expiry.Add(Skew)) {
		return Expired(now, out.Expiry)
	}
	if c.NotBefore != nil && c.NotBefore.Time().After(now.Add(Skew)) {
		return Invalid("The token is not valid yet: its nbf is in the future.")
	}
	if c.IssuedAt != nil {
		out.IssuedAt = c.IssuedAt.Time()
		if out.IssuedAt.After(now.Add(Skew)) {
			return Invalid("The token was issued in the future: its iat is after the current time.")
		}
	}
	return nil
}

// audience is the token's audience the provider lists: one of aud, or
// else azp (the authorized party, which some issuers put the client in).
func audience(c Claims, clientIDs []string) (string, bool) {
	for _, a := range c.Audience {
		if slices.Contains(clientIDs, a) {
			return a, true
		}
	}
	if c.AZP != "" && slices.Contains(clientIDs, c.AZP) {
		return c.AZP, true
	}
	return "", false
}

// stringOrList reads a claim that is a string or a list of strings.
func stringOrList(raw json.RawMessage) []string {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}
	}
	var many []string
	_ = json.Unmarshal(raw, &many)
	return many
}
