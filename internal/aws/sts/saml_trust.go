package sts

import (
	"context"

	"github.com/keyward/keyward/internal/aws/authz"
	"github.com/keyward/keyward/internal/iam"
)

// trustsSAML evaluates the role's trust policy for sts:AssumeRoleWithSAML
// by the Federated principal a's provider, with the assertion's saml:
// keys; session tags also need sts:TagSession and a source identity
// sts:SetSourceIdentity, as in AWS.
func (s *Service) trustsSAML(ctx context.Context, role iam.Role, a SAMLAssertion) bool {
	doc, err := iam.ParseTrustPolicy([]byte(role.TrustPolicy))
	if err != nil {
		return false
	}
	r := iam.Request{Action: "sts:AssumeRoleWithSAML", Resource: role.ARN(), ResourceAccount: role.AccountID,
		Principal: iam.Principal{Federated: a.Provider.ARN(), Type: iam.PrincipalTypeFederatedUser}, Context: s.samlContext(ctx, a)}
	pol := iam.Policies{Trust: []iam.Document{doc}}
	if !iam.Evaluate(r, pol).Allowed {
		return false
	}
	if len(a.Tags) > 0 {
		r.Action = "sts:TagSession"
		if !iam.Evaluate(r, pol).Allowed {
			return false
		}
	}
	if a.SourceIdentity != "" {
		r.Action = "sts:SetSourceIdentity"
		return iam.Evaluate(r, pol).Allowed
	}
	return true
}

// samlContext is the request's condition keys: the global ones every
// request has (aws:CurrentTime, aws:SourceIp…) and the assertion's; saml:aud
// is the Recipient (AWS's sign-in URL), not the Audience.
func (s *Service) samlContext(ctx context.Context, a SAMLAssertion) iam.Context {
	c := authz.RequestContext(ctx, s.clock.Now().UTC())
	c.Set(iam.KeySAMLAud, a.Recipient)
	c.Set(iam.KeySAMLSub, a.NameID)
	c.Set(iam.KeySAMLSubType, subjectType(a.NameIDFormat))
	c.Set(iam.KeySAMLIss, a.Issuer)
	c.Set(iam.KeySAMLNameQualifier, nameQualifier(a.Issuer, a.Provider))
	c.Set(iam.KeySTSRoleSessionName, a.SessionName)
	if a.SourceIdentity != "" {
		c.Set(iam.KeySTSSourceIdentity, a.SourceIdentity)
	}
	if len(a.TransitiveTagKeys) > 0 {
		c.Set(iam.KeySTSTransitiveTagKeys, a.TransitiveTagKeys...)
	}
	keys := make([]string, 0, len(a.Tags))
	for _, t := range a.Tags {
		c.Set(iam.KeyRequestTagPrefix+t.Key, t.Value)
		keys = append(keys, t.Key)
	}
	if len(keys) > 0 {
		c.Set(iam.KeyTagKeys, keys...)
	}
	return c
}
