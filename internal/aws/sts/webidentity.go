package sts

import (
	"context"
	"strconv"
	"strings"

	"github.com/keyward/keyward/internal/aws/authz"
	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/webidentity"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// actionWebIdentity is the action a role's trust policy must allow.
const actionWebIdentity = "sts:AssumeRoleWithWebIdentity"

// WithWebIdentity returns s verifying web identity tokens with v (tests
// give it a Fetcher reaching their issuer); New sets one that fetches
// issuers' keys over the network.
func (s *Service) WithWebIdentity(v *webidentity.Verifier) *Service {
	s.web = v
	return s
}

type assumeRoleWithWebIdentityInput struct {
	RoleArn          string
	RoleSessionName  string
	WebIdentityToken string
	ProviderID       string `query:"ProviderId"`
	PolicyArns       []policyARN
	Policy           string
	DurationSeconds  *int
}

// Validate checks the input against STS's model.
func (in *assumeRoleWithWebIdentityInput) Validate() error {
	switch {
	case len(in.RoleArn) < 20 || len(in.RoleArn) > 2048:
		return iam.Invalid("roleArn", in.RoleArn, "Member must have length between 20 and 2048")
	case !sessionNameRe.MatchString(in.RoleSessionName):
		return iam.Invalid("roleSessionName", in.RoleSessionName, `Member must satisfy regular expression pattern: [\w+=,.@-]* and have length between 2 and 64`)
	case len(in.WebIdentityToken) < webidentity.MinTokenLen || len(in.WebIdentityToken) > webidentity.MaxTokenLen:
		return iam.Invalid("webIdentityToken", "***", "Member must have length between 4 and 20000")
	case in.ProviderID != "" && (len(in.ProviderID) < 4 || len(in.ProviderID) > 2048):
		return iam.Invalid("providerId", in.ProviderID, "Member must have length between 4 and 2048")
	case in.DurationSeconds != nil && (*in.DurationSeconds < minDuration || *in.DurationSeconds > maxDuration):
		return iam.Invalid("durationSeconds", strconv.Itoa(*in.DurationSeconds), "Member must have value between 900 and 43200")
	case len(in.PolicyArns) > maxPolicyARNs:
		return iam.Invalid("policyArns", strconv.Itoa(len(in.PolicyArns)), "Member must have length less than or equal to 10")
	}
	return in.asAssumeRole().validatePolicy()
}

func (in *assumeRoleWithWebIdentityInput) asAssumeRole() *assumeRoleInput {
	return &assumeRoleInput{RoleArn: in.RoleArn, RoleSessionName: in.RoleSessionName, Policy: in.Policy, PolicyArns: in.PolicyArns,
		DurationSeconds: in.DurationSeconds}
}

type assumeRoleWithWebIdentityOutput struct {
	Credentials                 credentialsXML
	SubjectFromWebIdentityToken string
	AssumedRoleUser             assumedRoleUser
	PackedPolicySize            *int `xml:",omitempty"`
	Provider                    string
	Audience                    string
	SourceIdentity              string `xml:",omitempty"`
}

// assumeRoleWithWebIdentity trades an OIDC ID token for a role session.
// The request is unsigned: the token is the proof. Its issuer must be an
// OIDC provider of the role's account, the token must verify (signature,
// times, audience), and the role's trust policy must allow the provider
// with the token's sub, aud and amr as condition keys.
func (s *Service) assumeRoleWithWebIdentity(ctx context.Context, in *assumeRoleWithWebIdentityInput) (*assumeRoleWithWebIdentityOutput, error) {
	tok, err := webidentity.Parse(in.WebIdentityToken)
	if err != nil {
		return nil, err
	}
	account, _, ok := iam.ParseRoleARN(in.RoleArn)
	if !ok || s.federation == nil {
		return nil, notAuthorizedWebIdentity()
	}
	provider, err := s.federation.OIDCProvider(ctx, account, tok.Issuer())
	if errs.Is(err, errs.NotFound) || errs.Is(err, errs.Invalid) {
		return nil, webidentity.Invalid("No OpenIDConnect provider found in your account for " + tok.Issuer())
	}
	if err != nil {
		return nil, err
	}
	claims, aud, err := s.web.Verify(ctx, tok, provider)
	if err != nil {
		return nil, err
	}
	role, err := s.roleAt(ctx, in.RoleArn)
	if errs.Is(err, errs.NotFound) {
		return nil, notAuthorizedWebIdentity()
	}
	if err != nil {
		return nil, err
	}
	like, err := withClaims(in, claims)
	if err != nil {
		return nil, err
	}
	if !s.trustsWebIdentity(ctx, role, provider, claims, aud, like) {
		return nil, notAuthorizedWebIdentity()
	}
	return s.issueWebIdentity(ctx, role, provider, claims, aud, like)
}

// withClaims is the session the token asks for: the input's name,
// policies and duration with the token's session tags and source
// identity, checked as AssumeRole checks them.
func withClaims(in *assumeRoleWithWebIdentityInput, c webidentity.Claims) (*assumeRoleInput, error) {
	like := in.asAssumeRole()
	like.Tags, like.TransitiveTagKeys, like.SourceIdentity = c.Tags, c.TransitiveTagKeys, c.SourceIdentity
	if like.SourceIdentity != "" && (!sourceIdentityRe.MatchString(like.SourceIdentity) || strings.HasPrefix(strings.ToLower(like.SourceIdentity), "aws:")) {
		return nil, webidentity.Invalid("The token's source identity must be 2 to 64 characters of [\\w+=,.@-] and not start with aws:.")
	}
	return like, like.validateTags()
}

func notAuthorizedWebIdentity() error {
	return errs.E(errs.Denied, "Not authorized to perform sts:AssumeRoleWithWebIdentity").WithCode("AccessDenied")
}

// trustsWebIdentity evaluates the role's trust policy for the provider,
// with the token's claims as the provider's condition keys; session tags
// also need sts:TagSession, a source identity sts:SetSourceIdentity.
func (s *Service) trustsWebIdentity(ctx context.Context, role iam.Role, p iam.OIDCProvider, c webidentity.Claims, aud string, like *assumeRoleInput) bool {
	doc, err := iam.ParseTrustPolicy([]byte(role.TrustPolicy))
	if err != nil {
		return false
	}
	keys := authz.RequestContext(ctx, s.clock.Now().UTC())
	keys.Set(iam.OIDCKey(p.URL, "sub"), c.Subject)
	keys.Set(iam.OIDCKey(p.URL, "aud"), aud)
	if len(c.AMR) > 0 {
		keys.Set(iam.OIDCKey(p.URL, "amr"), c.AMR...)
	}
	for k, v := range like.ConditionKeys() {
		keys.Set(k, v...)
	}
	actions := []string{actionWebIdentity}
	if len(like.Tags) > 0 {
		actions = append(actions, "sts:TagSession")
	}
	if like.SourceIdentity != "" {
		actions = append(actions, "sts:SetSourceIdentity")
	}
	for _, action := range actions {
		d := iam.Evaluate(iam.Request{Action: action, Resource: role.ARN(), ResourceAccount: role.AccountID,
			Principal: iam.Principal{Federated: p.ARN()}, Context: keys}, iam.Policies{Trust: []iam.Document{doc}})
		if !d.Allowed {
			return false
		}
	}
	return true
}

// issueWebIdentity issues the role session a verified token was allowed.
func (s *Service) issueWebIdentity(ctx context.Context, role iam.Role, p iam.OIDCProvider, c webidentity.Claims, aud string,
	like *assumeRoleInput) (*assumeRoleWithWebIdentityOutput, error) {
	sess, err := s.session(awsauth.Principal{}, role, like)
	if err != nil {
		return nil, err
	}
	sess.CallerKind = iam.CallerWebIdentity
	creds, err := s.issuer.IssueSession(sess)
	if err != nil {
		return nil, err
	}
	s.recordUse(ctx, awsauth.Principal{ARN: p.ARN() + " sub " + c.Subject}, sess)
	return &assumeRoleWithWebIdentityOutput{Credentials: credentialsOut(creds), SubjectFromWebIdentityToken: c.Subject,
		AssumedRoleUser: assumedRoleUser{AssumedRoleID: sess.UserID(), Arn: sess.ARN()}, PackedPolicySize: packedSize(like),
		Provider: c.Issuer, Audience: aud, SourceIdentity: sess.SourceIdentity}, nil
}
