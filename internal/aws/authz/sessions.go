package authz

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/httpx"
	"github.com/keyward/keyward/internal/iam"
)

// This file holds what the session kinds STS issues besides role sessions
// need from authorization: GetFederationToken's federated users and
// GetSessionToken's user sessions (Principal.Type "user" or "root" with a
// Session), and MFA in the request context.

// RequestContext is the condition keys every request has, whoever makes
// it: the time (aws:CurrentTime, aws:EpochTime), the client's address
// (aws:SourceIp) and whether it came over TLS (aws:SecureTransport: "false"
// over plain HTTP, keyward's development default). STS evaluates unsigned
// requests' trust policies with it.
func RequestContext(ctx context.Context, now time.Time) iam.Context {
	var c iam.Context
	c.Set(iam.KeyCurrentTime, now.Format(time.RFC3339))
	c.Set(iam.KeyEpochTime, strconv.FormatInt(now.Unix(), 10))
	if ip := audit.ClientFrom(ctx).IP; ip != "" {
		c.Set(iam.KeySourceIP, ip)
	}
	if secure, known := httpx.SecureFrom(ctx); known {
		c.Set(iam.KeySecureTransport, strconv.FormatBool(secure))
	}
	return c
}

// setMFA sets aws:MultiFactorAuthPresent for a session ("true" with
// aws:MultiFactorAuthAge in seconds when its MFA code was verified,
// "false" otherwise); long-term keys leave both absent, as in AWS.
func setMFA(c *iam.Context, s iam.Session, now time.Time) {
	if s.Kind == "" {
		return
	}
	if !s.MFAPresent() {
		c.Set(iam.KeyMultiFactorAuthPresent, "false")
		return
	}
	c.Set(iam.KeyMultiFactorAuthPresent, "true")
	c.Set(iam.KeyMultiFactorAuthAge, strconv.FormatInt(int64(max(now.Sub(s.MFAAuthTime), 0)/time.Second), 10))
}

// sessionKindRefusal refuses what AWS refuses to temporary credentials of
// a session kind whatever the policies say: a federated user may call no
// IAM or STS action (GetCallerIdentity needs no permission and never gets
// here), and a GetSessionToken session may call IAM only with MFA and STS
// only to assume a role. nil when the kind allows the action.
func sessionKindRefusal(p awsauth.Principal, action string) error {
	service, _, _ := strings.Cut(strings.ToLower(action), ":")
	switch p.Session.Kind {
	case iam.KindFederatedUser:
		if service == "iam" || service == "sts" {
			return errs.E(errs.Denied, "User: %s is not authorized to perform: %s: a federated user's credentials cannot call IAM or STS.", p.ARN, action)
		}
	case iam.KindUserSession:
		if service == "iam" && !p.Session.MFAPresent() {
			return errs.E(errs.Denied, "User: %s is not authorized to perform: %s: credentials from GetSessionToken call IAM only when MFA was verified.", p.ARN, action)
		}
		// STS refuses GetFederationToken (and GetSessionToken) to session
		// credentials itself, in AWS's words.
		if service == "sts" && !strings.EqualFold(action, "sts:AssumeRole") && !strings.EqualFold(action, "sts:GetFederationToken") {
			return errs.E(errs.Denied, "User: %s is not authorized to perform: %s: credentials from GetSessionToken may only call sts:AssumeRole.", p.ARN, action)
		}
	}
	return nil
}

// parentOf is the principal whose permissions a federated user has: the
// IAM user (or the root) that called GetFederationToken, as its long-term
// key would resolve it.
func parentOf(p awsauth.Principal) awsauth.Principal {
	s := p.Session
	if s.UserName == "" {
		return awsauth.Principal{Type: awsauth.Root, AccountID: s.AccountID, ARN: iam.RootARN(s.AccountID), UserID: s.AccountID}
	}
	return awsauth.Principal{Type: awsauth.User, AccountID: s.AccountID, ARN: iam.UserARN(s.AccountID, s.UserPath, s.UserName), UserID: s.IAMUserID}
}

// federatedUserPolicies are a federated user's policies: its parent's
// (root's implicit allow, or what userPolicies returns for the IAM user:
// identity policies and boundary) with the session policies passed to
// GetFederationToken as Session. Session is never nil: a federated user
// given no session policy may do nothing, as in AWS.
func (a *Authority) federatedUserPolicies(ctx context.Context, p awsauth.Principal,
	userPolicies func(context.Context, awsauth.Principal) (iam.Policies, error)) (iam.Policies, error) {
	var pol iam.Policies
	var err error
	if parent := parentOf(p); parent.Type == awsauth.Root {
		pol.Identity = []iam.Document{allowAll}
	} else if pol, err = userPolicies(ctx, parent); err != nil {
		return pol, err
	}
	if pol.Session, err = a.sessionPolicies(ctx, p.Session); err != nil {
		return pol, err
	}
	if pol.Session == nil {
		pol.Session = []iam.Document{}
	}
	return pol, nil
}

// describeFederatedUser completes the evaluator's view of a federated
// user: aws:PrincipalType FederatedUser and its session tags.
func describeFederatedUser(out *iam.Principal, p awsauth.Principal) {
	out.Type, out.Tags = iam.PrincipalTypeFederatedUser, p.Session.Tags
}
