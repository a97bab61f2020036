package sts

import (
	"cmp"
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/samlsp"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// reservedSSOPrefix starts the names of Identity Center's roles, which
// AssumeRoleWithSAML refuses.
const reservedSSOPrefix = "AWSReservedSSO_"

type assumeRoleWithSAMLInput struct {
	RoleArn         string
	PrincipalArn    string
	SAMLAssertion   string
	PolicyArns      []policyARN
	Policy          string
	DurationSeconds *int
}

// Validate checks the input against STS's model.
func (in *assumeRoleWithSAMLInput) Validate() error {
	switch {
	case len(in.RoleArn) < 20 || len(in.RoleArn) > 2048:
		return iam.Invalid("roleArn", in.RoleArn, "Member must have length between 20 and 2048")
	case len(in.PrincipalArn) < 20 || len(in.PrincipalArn) > 2048:
		return iam.Invalid("principalArn", in.PrincipalArn, "Member must have length between 20 and 2048")
	case len(in.SAMLAssertion) < 4 || len(in.SAMLAssertion) > 100000:
		return iam.Invalid("SAMLAssertion", strconv.Itoa(len(in.SAMLAssertion))+" characters", "Member must have length between 4 and 100000")
	case in.DurationSeconds != nil && (*in.DurationSeconds < minDuration || *in.DurationSeconds > maxDuration):
		return iam.Invalid("durationSeconds", strconv.Itoa(*in.DurationSeconds), "Member must have value between 900 and 43200")
	case len(in.PolicyArns) > maxPolicyARNs:
		return iam.Invalid("policyArns", strconv.Itoa(len(in.PolicyArns)), "Member must have length less than or equal to 10")
	}
	return (&assumeRoleInput{PolicyArns: in.PolicyArns, Policy: in.Policy}).validatePolicy()
}

type assumeRoleWithSAMLOutput struct {
	Credentials      credentialsXML
	AssumedRoleUser  assumedRoleUser
	PackedPolicySize *int `xml:",omitempty"`
	Subject          string
	SubjectType      string
	Issuer           string
	Audience         string
	NameQualifier    string
	SourceIdentity   string `xml:",omitempty"`
}

func (s *Service) assumeRoleWithSAML(ctx context.Context, in *assumeRoleWithSAMLInput) (*assumeRoleWithSAMLOutput, error) {
	out, err := s.assumeWithSAML(ctx, in)
	return out, s.LogSAMLRefusal(ctx, "AssumeRoleWithSAML", in.RoleArn, err)
}

func (s *Service) assumeWithSAML(ctx context.Context, in *assumeRoleWithSAMLInput) (*assumeRoleWithSAMLOutput, error) {
	if s.saml == nil {
		return nil, errs.E(errs.Invalid, "AssumeRoleWithSAML is not enabled on this endpoint.").WithCode("InvalidAction")
	}
	p, err := s.saml.Providers.SAMLProvider(ctx, in.PrincipalArn)
	if errs.Is(err, errs.NotFound) {
		return nil, invalidToken("The SAML provider %.2048s does not exist: PrincipalArn must name an IAM SAML provider.", in.PrincipalArn)
	}
	if err != nil {
		return nil, err
	}
	a, err := s.verifySAML(in.SAMLAssertion, p)
	if err != nil {
		return nil, err
	}
	arns := make([]string, len(in.PolicyArns))
	for i, pa := range in.PolicyArns {
		arns[i] = pa.Arn
	}
	sess, creds, err := s.AssumeRoleWithSAMLAssertion(ctx, a, RolePair{RoleARN: in.RoleArn, ProviderARN: in.PrincipalArn},
		SAMLSessionOptions{DurationSeconds: in.DurationSeconds, PolicyARNs: arns, Policy: in.Policy, ReplayScope: SAMLScopeSTS})
	if err != nil {
		return nil, err
	}
	return &assumeRoleWithSAMLOutput{Credentials: credentialsOut(creds),
		AssumedRoleUser:  assumedRoleUser{AssumedRoleID: sess.UserID(), Arn: sess.ARN()},
		PackedPolicySize: packedSize(&assumeRoleInput{PolicyArns: in.PolicyArns, Policy: in.Policy, Tags: a.Tags}),
		Subject:          a.NameID, SubjectType: subjectType(a.NameIDFormat), Issuer: a.Issuer, Audience: a.Recipient,
		NameQualifier: nameQualifier(a.Issuer, p), SourceIdentity: sess.SourceIdentity}, nil
}

// SAMLSessionOptions are what the caller asks of a session beside the
// assertion: AssumeRoleWithSAML's parameters, and the replay scope in which
// the assertion is spent ("" when the caller already spent it).
type SAMLSessionOptions struct {
	DurationSeconds *int
	PolicyARNs      []string
	Policy          string
	ReplayScope     string
	// Console asks for a console session: as long as the assertion's
	// SessionDuration (one hour without it), within the role's maximum.
	Console bool
}

// AssumeRoleWithSAMLAssertion issues a session of the role pair names, as
// AssumeRoleWithSAML does with a verified assertion: the assertion must
// offer the pair, the role must exist, not be an Identity Center role, and
// trust the provider under the assertion's saml: keys.
func (s *Service) AssumeRoleWithSAMLAssertion(ctx context.Context, a SAMLAssertion, pair RolePair, o SAMLSessionOptions) (iam.Session, awsauth.Credentials, error) {
	denied := errs.E(errs.Denied, "Not authorized to perform sts:AssumeRoleWithSAML").WithCode("AccessDenied")
	_, name, ok := iam.ParseRoleARN(pair.RoleARN)
	if !ok || pair.ProviderARN != a.Provider.ARN() || !a.Offers(pair) || strings.HasPrefix(name, reservedSSOPrefix) {
		return iam.Session{}, awsauth.Credentials{}, denied
	}
	role, err := s.roleAt(ctx, pair.RoleARN)
	if errs.Is(err, errs.NotFound) {
		return iam.Session{}, awsauth.Credentials{}, denied
	}
	if err != nil {
		return iam.Session{}, awsauth.Credentials{}, err
	}
	if !s.trustsSAML(ctx, role, a) {
		return iam.Session{}, awsauth.Credentials{}, denied
	}
	sess, err := s.samlSession(role, a, o)
	if err != nil {
		return iam.Session{}, awsauth.Credentials{}, err
	}
	// Issue first (it stores nothing): a session refused here, such as
	// one too large to pack, leaves the assertion unspent.
	creds, err := s.issuer.IssueSession(sess)
	if err != nil {
		return iam.Session{}, awsauth.Credentials{}, err
	}
	if err := s.spend(ctx, a, replayScope(o.ReplayScope, role)); err != nil {
		return iam.Session{}, awsauth.Credentials{}, err
	}
	s.recordSAMLUse(ctx, a, sess)
	return sess, creds, nil
}

// replayScope is where a use of an assertion counts. AssumeRoleWithSAML
// spends it once per role, not once in all: the assertion lists every role
// the person may take, and clients that assume them all (okta-aws-cli
// --all-profiles) send the same assertion for each, as AWS accepts.
func replayScope(scope string, role iam.Role) string {
	if scope != SAMLScopeSTS {
		return scope
	}
	return scope + ":" + role.ARN()
}

// spend records the assertion's use in scope: a second use is refused.
func (s *Service) spend(ctx context.Context, a SAMLAssertion, scope string) error {
	if scope == "" {
		return nil
	}
	err := s.saml.Keys.RememberKey(ctx, samlsp.ReplayKey(scope, a.Assertion), a.ValidUntil)
	if errs.Is(err, errs.Conflict) {
		return invalidToken("This SAML assertion has already been used. Sign in at your identity provider again.").WithReason(string(samlsp.ReasonReplay))
	}
	return err
}

// samlSession is the session: the shortest of DurationSeconds (default one
// hour, within the role's maximum), the assertion's SessionDuration and its
// identity provider session's end; a session already ended by then is
// refused as expired.
func (s *Service) samlSession(role iam.Role, a SAMLAssertion, o SAMLSessionOptions) (iam.Session, error) {
	d, err := duration(awsauth.Principal{}, role, o.DurationSeconds)
	if err != nil {
		return iam.Session{}, err
	}
	switch {
	case o.Console:
		d = time.Duration(cmp.Or(a.SessionDuration, defaultDuration)) * time.Second
		if role.MaxSessionDuration > 0 {
			d = min(d, time.Duration(role.MaxSessionDuration)*time.Second)
		}
	case a.SessionDuration > 0:
		d = min(d, time.Duration(a.SessionDuration)*time.Second)
	}
	now := s.clock.Now()
	expires := now.Add(d)
	if !a.SessionNotOnOrAfter.IsZero() && a.SessionNotOnOrAfter.Before(expires) {
		expires = a.SessionNotOnOrAfter
	}
	// Credentials end on a whole second: an identity provider session
	// ending within this one has as good as ended.
	expires = expires.UTC().Truncate(time.Second)
	if !expires.After(now) {
		return iam.Session{}, errs.E(errs.Invalid, "Your session at the identity provider has already ended. Sign in again.").
			WithCode("ExpiredTokenException").WithReason(string(samlsp.ReasonExpired))
	}
	return iam.Session{Kind: iam.KindAssumedRole, AccountID: role.AccountID, RoleID: role.ID, RoleName: role.Name, RolePath: role.Path,
		SessionName: a.SessionName, PolicyARNs: o.PolicyARNs, Policy: o.Policy, Tags: a.Tags, TransitiveTagKeys: a.TransitiveTagKeys,
		SourceIdentity: a.SourceIdentity, Expires: expires}, nil
}

// recordSAMLUse notes the role's last use and logs the session.
func (s *Service) recordSAMLUse(ctx context.Context, a SAMLAssertion, sess iam.Session) {
	_ = s.store.TouchIAMRole(ctx, sess.AccountID, sess.RoleName, s.clock.Now(), s.region)
	e := audit.New(ctx, "sts.role.assume", "role", sess.RoleARN())
	e.TargetName = sess.ARN()
	e.Detail = map[string]string{"sessionEnds": sess.Expires.Format(time.RFC3339), "provider": a.Provider.ARN(),
		"subject": a.NameID, "issuer": a.Issuer, "assertionId": a.ID}
	_ = s.store.AppendEvent(ctx, e)
}

// LogSAMLRefusal records a refused assertion in the system log, naming
// where (endpoint: "AssumeRoleWithSAML", "signin") and why; it returns err
// unchanged. Failures of our own are not refusals and are not logged here.
// The sign-in page calls it for a post it refuses before STS reads it.
func (s *Service) LogSAMLRefusal(ctx context.Context, endpoint, role string, err error) error {
	e, ok := errs.As(err)
	if !ok || e.Kind == errs.Internal {
		return err
	}
	ev := audit.New(ctx, "aws.saml.refuse", "role", role)
	ev.Outcome, ev.Message = audit.Failure, e.Message
	if e.Kind == errs.Denied {
		ev.Outcome = audit.Deny
	}
	ev.Detail = map[string]string{"endpoint": endpoint, "code": e.Code}
	if e.Reason != "" {
		ev.Detail["reason"] = e.Reason
	}
	_ = s.store.AppendEvent(ctx, ev)
	return err
}
