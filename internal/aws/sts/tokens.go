package sts

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// GetSessionToken's and GetFederationToken's limits, from STS's model and
// documentation: an account's root gets at most an hour, silently.
const (
	minTokenDuration     = 900
	maxTokenDuration     = 129600
	defaultTokenDuration = 43200
	rootTokenDuration    = 3600
)

var (
	federatedNameRe = regexp.MustCompile(`^[\w+=,.@-]{2,32}$`)
	serialRe        = regexp.MustCompile(`^[\w+=/:,.@-]{9,256}$`)
	tokenCodeRe     = regexp.MustCompile(`^\d{6}$`)
)

type getSessionTokenInput struct {
	DurationSeconds *int
	SerialNumber    string
	TokenCode       string
}

// Validate checks GetSessionToken's input against STS's model.
func (in *getSessionTokenInput) Validate() error {
	if err := validTokenDuration(in.DurationSeconds); err != nil {
		return err
	}
	return validMFA(in.SerialNumber, in.TokenCode)
}

type getSessionTokenOutput struct {
	Credentials credentialsXML
}

// getSessionToken issues temporary credentials that act as the calling
// user or root itself, carrying the MFA verification when a code was
// given. Only long-term keys may ask: AWS refuses session credentials.
func (s *Service) getSessionToken(ctx context.Context, in *getSessionTokenInput) (*getSessionTokenOutput, error) {
	caller, _ := awsauth.PrincipalFrom(ctx)
	if err := longTermOnly(caller, "GetSessionToken"); err != nil {
		return nil, err
	}
	mfa, err := s.verifyMFA(ctx, caller, in.SerialNumber, in.TokenCode)
	if err != nil {
		return nil, err
	}
	sess := iam.Session{Kind: iam.KindUserSession, MFAAuthTime: mfa}
	creds, _, err := s.issueAsCaller(ctx, caller, sess, in.DurationSeconds, "sts.session-token.issue")
	if err != nil {
		return nil, err
	}
	return &getSessionTokenOutput{Credentials: credentialsOut(creds)}, nil
}

type getFederationTokenInput struct {
	Name            string
	Policy          string
	PolicyArns      []policyARN
	DurationSeconds *int
	Tags            []iam.Tag
}

// Validate checks GetFederationToken's input against STS's model; the
// session policies and tags are checked as AssumeRole checks them.
func (in *getFederationTokenInput) Validate() error {
	if !federatedNameRe.MatchString(in.Name) {
		return iam.Invalid("name", in.Name, `Member must satisfy regular expression pattern: [\w+=,.@-]* and have length between 2 and 32`)
	}
	if err := validTokenDuration(in.DurationSeconds); err != nil {
		return err
	}
	like := in.asAssumeRole()
	switch {
	case len(in.PolicyArns) > maxPolicyARNs:
		return iam.Invalid("policyArns", strconv.Itoa(len(in.PolicyArns)), "Member must have length less than or equal to 10")
	case len(in.Tags) > maxSessionTags:
		return iam.Invalid("tags", strconv.Itoa(len(in.Tags)), "Member must have length less than or equal to 50")
	}
	if err := like.validatePolicy(); err != nil {
		return err
	}
	return like.validateTags()
}

func (in *getFederationTokenInput) asAssumeRole() *assumeRoleInput {
	return &assumeRoleInput{Policy: in.Policy, PolicyArns: in.PolicyArns, Tags: in.Tags}
}

// ResourceARN is the federated user the call creates, as AWS authorizes it.
func (in *getFederationTokenInput) ResourceARN(account string) string {
	return iam.FederatedUserARN(account, in.Name)
}

// ConditionKeys are the session tags passed (aws:RequestTag/…, aws:TagKeys).
func (in *getFederationTokenInput) ConditionKeys() map[string][]string {
	return in.asAssumeRole().ConditionKeys()
}

type federatedUser struct {
	FederatedUserID string `xml:"FederatedUserId"`
	Arn             string
}

type getFederationTokenOutput struct {
	Credentials      credentialsXML
	FederatedUser    federatedUser
	PackedPolicySize *int `xml:",omitempty"`
}

// getFederationToken issues a federated user's credentials: the calling
// user's (or root's) permissions narrowed by the session policies passed
// now; with none passed the federated user may do nothing, as in AWS.
func (s *Service) getFederationToken(ctx context.Context, in *getFederationTokenInput) (*getFederationTokenOutput, error) {
	caller, _ := awsauth.PrincipalFrom(ctx)
	if err := longTermOnly(caller, "GetFederationToken"); err != nil {
		return nil, err
	}
	arns := make([]string, len(in.PolicyArns))
	for i, p := range in.PolicyArns {
		arns[i] = p.Arn
	}
	sess := iam.Session{Kind: iam.KindFederatedUser, SessionName: in.Name, Policy: in.Policy, PolicyARNs: arns, Tags: in.Tags}
	creds, sess, err := s.issueAsCaller(ctx, caller, sess, in.DurationSeconds, "sts.federation-token.issue")
	if err != nil {
		return nil, err
	}
	return &getFederationTokenOutput{Credentials: credentialsOut(creds), PackedPolicySize: packedSize(in.asAssumeRole()),
		FederatedUser: federatedUser{FederatedUserID: sess.UserID(), Arn: sess.ARN()}}, nil
}

// issueAsCaller completes sess as the calling user's (or root's), for the
// duration asked, issues its credentials and logs them.
func (s *Service) issueAsCaller(ctx context.Context, caller awsauth.Principal, sess iam.Session, asked *int, event string) (awsauth.Credentials, iam.Session, error) {
	sess.AccountID, sess.Expires = caller.AccountID, s.tokenExpiry(caller, asked)
	if caller.Type == awsauth.User {
		sess.UserPath, sess.UserName = userPathName(caller.ARN)
		sess.IAMUserID = caller.UserID
	}
	creds, err := s.issuer.IssueSession(sess)
	if err != nil {
		return creds, sess, err
	}
	s.record(ctx, event, caller, sess)
	return creds, sess, nil
}

// longTermOnly refuses a caller signing with session credentials, as AWS
// refuses them for GetSessionToken and GetFederationToken.
func longTermOnly(caller awsauth.Principal, action string) error {
	if caller.Session.Kind != "" || (caller.Type != awsauth.User && caller.Type != awsauth.Root) {
		return errs.E(errs.Denied, "Cannot call %s with session credentials", action).WithCode("AccessDenied")
	}
	return nil
}

// tokenExpiry is when a GetSessionToken or GetFederationToken session
// ends: DurationSeconds (default 12 hours), at most one hour for root.
func (s *Service) tokenExpiry(caller awsauth.Principal, asked *int) time.Time {
	secs := defaultTokenDuration
	if asked != nil {
		secs = *asked
	}
	if caller.Type == awsauth.Root {
		secs = min(secs, rootTokenDuration)
	}
	return s.clock.Now().Add(time.Duration(secs) * time.Second).UTC().Truncate(time.Second)
}

func validTokenDuration(d *int) error {
	if d != nil && (*d < minTokenDuration || *d > maxTokenDuration) {
		return iam.Invalid("durationSeconds", strconv.Itoa(*d), "Member must have value between 900 and 129600")
	}
	return nil
}

func validMFA(serial, code string) error {
	switch {
	case serial != "" && !serialRe.MatchString(serial):
		return iam.Invalid("serialNumber", serial, `Member must satisfy regular expression pattern: [\w+=/:,.@-]* and have length between 9 and 256`)
	case code != "" && !tokenCodeRe.MatchString(code):
		return iam.Invalid("tokenCode", code, `Member must satisfy regular expression pattern: [\d]* and have length 6`)
	}
	return nil
}

// userPathName reads an IAM user's path and name from its ARN,
// arn:aws:iam::ACCOUNT:user/PATH/NAME.
func userPathName(arn string) (path, name string) {
	_, res, _ := strings.Cut(arn, ":user")
	i := strings.LastIndex(res, "/")
	return res[:i+1], res[i+1:]
}

// record logs an issued session; a failure to log does not take back the
// credentials.
func (s *Service) record(ctx context.Context, action string, caller awsauth.Principal, sess iam.Session) {
	e := audit.New(ctx, action, "principal", sess.ARN())
	e.Detail = map[string]string{"sessionEnds": sess.Expires.Format(time.RFC3339), "caller": caller.ARN}
	if sess.MFAPresent() {
		e.Detail["mfa"] = "true"
	}
	_ = s.store.AppendEvent(ctx, e)
}
