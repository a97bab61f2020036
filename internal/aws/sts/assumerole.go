package sts

import (
	"cmp"
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// AssumeRole's limits, from STS's model.
const (
	minDuration     = 900
	maxDuration     = 43200
	defaultDuration = 3600
	chainedDuration = 3600 // role chaining caps a session at one hour
	maxPolicyARNs   = 10
	maxSessionTags  = 50
)

var (
	sessionNameRe    = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)
	externalIDRe     = regexp.MustCompile(`^[\w+=,.@:/-]+$`)
	sourceIdentityRe = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)
)

type policyARN struct {
	Arn string `query:"arn"`
}

type assumeRoleInput struct {
	RoleArn           string
	RoleSessionName   string
	PolicyArns        []policyARN
	Policy            string
	DurationSeconds   *int
	Tags              []iam.Tag
	TransitiveTagKeys []string
	ExternalID        string `query:"ExternalId"`
	SerialNumber      string
	TokenCode         string
	SourceIdentity    string
}

// ResourceARN is the role: what the caller's policies and the role's trust
// policy are asked about.
func (in *assumeRoleInput) ResourceARN(string) string { return in.RoleArn }

// ConditionKeys are the request keys a trust policy may test.
func (in *assumeRoleInput) ConditionKeys() map[string][]string {
	keys := map[string][]string{}
	set := func(k, v string) {
		if v != "" {
			keys[k] = []string{v}
		}
	}
	set(iam.KeySTSExternalID, in.ExternalID)
	set(iam.KeySTSRoleSessionName, in.RoleSessionName)
	set(iam.KeySTSSourceIdentity, in.SourceIdentity)
	if in.SerialNumber != "" && in.TokenCode != "" {
		// The code is verified before the session is issued; a wrong one
		// refuses the call whatever the policies allowed.
		set(iam.KeyMultiFactorAuthPresent, "true")
		set(iam.KeyMultiFactorAuthAge, "0")
	}
	if len(in.TransitiveTagKeys) > 0 {
		keys[iam.KeySTSTransitiveTagKeys] = in.TransitiveTagKeys
	}
	for _, t := range in.Tags {
		keys[iam.KeyRequestTagPrefix+t.Key] = []string{t.Value}
		keys[iam.KeyTagKeys] = append(keys[iam.KeyTagKeys], t.Key)
	}
	return keys
}

type assumedRoleUser struct {
	AssumedRoleID string `xml:"AssumedRoleId"`
	Arn           string
}

type credentialsXML struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string
	SessionToken    string
	Expiration      string
}

type assumeRoleOutput struct {
	Credentials      credentialsXML
	AssumedRoleUser  assumedRoleUser
	PackedPolicySize *int   `xml:",omitempty"`
	SourceIdentity   string `xml:",omitempty"`
}

func (s *Service) assumeRole(ctx context.Context, in *assumeRoleInput) (*assumeRoleOutput, error) {
	caller, _ := awsauth.PrincipalFrom(ctx)
	if _, _, ok := iam.ParseRoleARN(in.RoleArn); !ok {
		return nil, iam.Invalid("roleArn", in.RoleArn, "Member must be the ARN of an IAM role: arn:aws:iam::<account>:role/<name>")
	}
	role, err := s.roleAt(ctx, in.RoleArn)
	if errs.Is(err, errs.NotFound) {
		return nil, errs.E(errs.Denied, "User: %s is not authorized to perform: sts:AssumeRole on resource: %s", caller.ARN, in.RoleArn)
	}
	if err != nil {
		return nil, err
	}
	sess, err := s.session(caller, role, in)
	if err != nil {
		return nil, err
	}
	sess.CallerKind = cmp.Or(caller.Session.Kind, caller.Type)
	if in.SerialNumber != "" && in.TokenCode != "" {
		sess.MFAAuthTime = s.clock.Now().UTC().Truncate(time.Second)
	}
	// Issue first (it stores nothing), verify the MFA code after: a
	// session refused here, such as one too large to pack, leaves the code
	// unused; a code refused after discards the credentials.
	creds, err := s.issuer.IssueSession(sess)
	if err != nil {
		return nil, err
	}
	if _, err := s.verifyMFA(ctx, caller, in.SerialNumber, in.TokenCode); err != nil {
		return nil, err
	}
	s.recordUse(ctx, caller, sess)
	return &assumeRoleOutput{Credentials: credentialsOut(creds), PackedPolicySize: packedSize(in),
		AssumedRoleUser: assumedRoleUser{AssumedRoleID: sess.UserID(), Arn: sess.ARN()}, SourceIdentity: sess.SourceIdentity}, nil
}

// roleAt is the role whose ARN is arn, path and name as the role has
// them. The store finds a role by its name alone (case-insensitively), but
// the caller's policies were asked about arn: a role found under another
// path or spelling is not the one they allowed, and is not found.
func (s *Service) roleAt(ctx context.Context, arn string) (iam.Role, error) {
	account, name, ok := iam.ParseRoleARN(arn)
	if !ok {
		return iam.Role{}, errs.E(errs.NotFound, "%.2048s is not a role's ARN", arn)
	}
	role, err := s.store.IAMRole(ctx, account, name)
	if err == nil && role.ARN() != arn {
		return iam.Role{}, errs.E(errs.NotFound, "no role has the ARN %.2048s", arn)
	}
	return role, err
}

// session is what the new credentials assert: the role, the session
// name, its policies and tags, with what a chained caller's session passes
// on (transitive tags and source identity), for the allowed duration.
func (s *Service) session(caller awsauth.Principal, role iam.Role, in *assumeRoleInput) (iam.Session, error) {
	d, err := duration(caller, role, in.DurationSeconds)
	if err != nil {
		return iam.Session{}, err
	}
	tags, transitive, err := sessionTags(caller, in)
	if err != nil {
		return iam.Session{}, err
	}
	source := in.SourceIdentity
	if prev := caller.Session.SourceIdentity; prev != "" {
		if source != "" && source != prev {
			return iam.Session{}, errs.E(errs.Denied, "The source identity of a chained role session cannot change: it is %s.", prev).WithCode("AccessDenied")
		}
		source = prev
	}
	arns := make([]string, len(in.PolicyArns))
	for i, p := range in.PolicyArns {
		arns[i] = p.Arn
	}
	return iam.Session{Kind: iam.KindAssumedRole, AccountID: role.AccountID, RoleID: role.ID, RoleName: role.Name, RolePath: role.Path,
		SessionName: in.RoleSessionName, PolicyARNs: arns, Policy: in.Policy, Tags: tags, TransitiveTagKeys: transitive,
		SourceIdentity: source, Expires: s.clock.Now().Add(d).UTC().Truncate(time.Second)}, nil
}

// duration is DurationSeconds within the role's maximum, and within one
// hour when a role session assumes a role (role chaining).
func duration(caller awsauth.Principal, role iam.Role, asked *int) (time.Duration, error) {
	secs := defaultDuration
	if asked != nil {
		secs = *asked
	}
	chained := caller.Type == awsauth.AssumedRole
	switch {
	case chained && secs > chainedDuration:
		return 0, errs.E(errs.Invalid, "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.").WithCode("ValidationError")
	case secs > role.MaxSessionDuration && role.MaxSessionDuration > 0:
		return 0, errs.E(errs.Invalid, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.").WithCode("ValidationError")
	}
	return time.Duration(secs) * time.Second, nil
}

// sessionTags are the caller's transitive tags (a chained session keeps
// them and may not override them) and the tags passed now.
func sessionTags(caller awsauth.Principal, in *assumeRoleInput) ([]iam.Tag, []string, error) {
	inherited := map[string]bool{}
	var tags []iam.Tag
	transitive := append([]string{}, caller.Session.TransitiveTagKeys...)
	for _, k := range caller.Session.TransitiveTagKeys {
		for _, t := range caller.Session.Tags {
			if strings.EqualFold(t.Key, k) {
				tags = append(tags, t)
				inherited[strings.ToLower(k)] = true
			}
		}
	}
	for _, t := range in.Tags {
		if inherited[strings.ToLower(t.Key)] {
			return nil, nil, errs.E(errs.Invalid, "The session tag %s was passed on from the calling session as transitive and cannot be overridden.", t.Key).WithCode("InvalidParameterValue")
		}
		tags = append(tags, t)
	}
	return tags, append(transitive, in.TransitiveTagKeys...), nil
}

// recordUse notes the role's last use and logs the session. Neither
// changes the answer: the credentials are issued.
func (s *Service) recordUse(ctx context.Context, caller awsauth.Principal, sess iam.Session) {
	now := s.clock.Now()
	_ = s.store.TouchIAMRole(ctx, sess.AccountID, sess.RoleName, now, s.region)
	e := audit.New(ctx, "sts.role.assume", "role", sess.RoleARN())
	e.TargetName = sess.ARN()
	e.Detail = map[string]string{"sessionEnds": sess.Expires.Format(time.RFC3339), "caller": caller.ARN}
	if sess.SourceIdentity != "" {
		e.Detail["sourceIdentity"] = sess.SourceIdentity
	}
	_ = s.store.AppendEvent(ctx, e)
}

func credentialsOut(c awsauth.Credentials) credentialsXML {
	return credentialsXML{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken,
		Expiration: c.Expiration.UTC().Format(time.RFC3339)}
}

// packedSize is STS's PackedPolicySize: the session policies and tags as a
// percentage of what a session may carry, when any were passed.
func packedSize(in *assumeRoleInput) *int {
	n := len(in.Policy)
	for _, p := range in.PolicyArns {
		n += len(p.Arn)
	}
	for _, t := range in.Tags {
		n += len(t.Key) + len(t.Value)
	}
	if n == 0 {
		return nil
	}
	pct := (n*100 + iam.MaxSessionPolicySize - 1) / iam.MaxSessionPolicySize
	return &pct
}
