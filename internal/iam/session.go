package iam

import (
	"fmt"
	"time"
)

// Principal kinds of a session.
const (
	// KindAssumedRole is a role session: AssumeRole and its SAML and web
	// identity variants, and the SSO portal's role credentials.
	KindAssumedRole = "assumed-role"
	// KindFederatedUser is a GetFederationToken session: a federated user
	// named by its caller, with the calling user's (or root's) permissions
	// narrowed by the session policies.
	KindFederatedUser = "federated-user"
	// KindUserSession is a GetSessionToken session: the calling IAM user or
	// root itself, in temporary credentials (typically to prove MFA).
	KindUserSession = "user-session"
)

// Kinds of caller that obtained a role session (Session.CallerKind).
const (
	CallerWebIdentity = "web-identity"
	CallerSAML        = "saml"
)

// Tag is a session tag.
type Tag struct {
	Key   string
	Value string
}

// Session describes a temporary session STS issues, whatever granted it
// (an Identity Center assignment, AssumeRole, a SAML or web identity
// federation, GetSessionToken, GetFederationToken): who it is, what limits
// it and when it ends. It does not say how the session's credentials are
// sealed or verified.
type Session struct {
	Kind      string // KindAssumedRole, KindFederatedUser or KindUserSession
	AccountID string
	RoleID    string // AROA...; role sessions only
	RoleName  string
	RolePath  string // "/" when empty
	// SessionName is a role session's name, or a federated user's name.
	SessionName string
	// UserName, UserPath and IAMUserID are the IAM user a user session or a
	// federated user stands for; all empty for the account's root user.
	UserName  string
	UserPath  string
	IAMUserID string // AIDA...
	// PolicyARNs and Policy are session policies: managed policy ARNs and an
	// inline document. They narrow the role's permissions, never widen them.
	PolicyARNs        []string
	Policy            string
	Tags              []Tag
	TransitiveTagKeys []string
	SourceIdentity    string
	// MFAAuthTime is when the session's MFA code was verified; zero when
	// no code was given (aws:MultiFactorAuthPresent is then false).
	MFAAuthTime time.Time
	// CallerKind is, for a role session, the kind of principal that
	// obtained it ("user", "root", KindAssumedRole, KindFederatedUser,
	// KindUserSession, CallerWebIdentity, CallerSAML); empty when unknown.
	// A role session obtained by a role session is role chaining.
	CallerKind string
	Expires    time.Time
}

// MFAPresent reports whether the session was issued on a verified MFA code.
func (s Session) MFAPresent() bool { return !s.MFAAuthTime.IsZero() }

// Check reports a session that cannot be issued: an unknown kind or a
// missing account, role, user or session name.
func (s Session) Check() error {
	if s.AccountID == "" {
		return fmt.Errorf("iam: a session needs an account")
	}
	switch s.Kind {
	case KindAssumedRole:
		if s.RoleID == "" || s.RoleName == "" || s.SessionName == "" {
			return fmt.Errorf("iam: a role session needs an account, a role id and name, and a session name")
		}
	case KindFederatedUser:
		if s.SessionName == "" || (s.UserName == "") != (s.IAMUserID == "") {
			return fmt.Errorf("iam: a federated user needs a name and, unless root made it, the user's name and id")
		}
	case KindUserSession:
		if (s.UserName == "") != (s.IAMUserID == "") {
			return fmt.Errorf("iam: a user session needs both the user's name and id, or neither (root)")
		}
	default:
		return fmt.Errorf("iam: session kind %q is not supported", s.Kind)
	}
	return nil
}

// ARN is the session's principal ARN: a role session's assumed-role ARN,
// a federated user's, or for a user session the user's or root's own.
func (s Session) ARN() string {
	switch s.Kind {
	case KindFederatedUser:
		return FederatedUserARN(s.AccountID, s.SessionName)
	case KindUserSession:
		if s.UserName == "" {
			return RootARN(s.AccountID)
		}
		return UserARN(s.AccountID, s.UserPath, s.UserName)
	}
	return AssumedRoleARN(s.AccountID, s.RoleName, s.SessionName)
}

// UserID is the session's unique id, as GetCallerIdentity reports it: a
// role session's "AROA…:name", a federated user's "ACCOUNT:name", a user
// session's AIDA id (the account id for root).
func (s Session) UserID() string {
	switch s.Kind {
	case KindFederatedUser:
		return s.AccountID + ":" + s.SessionName
	case KindUserSession:
		if s.IAMUserID == "" {
			return s.AccountID
		}
		return s.IAMUserID
	}
	return AssumedRoleUserID(s.RoleID, s.SessionName)
}

// RoleARN is the ARN of the role the session was issued for.
func (s Session) RoleARN() string { return RoleARN(s.AccountID, s.RolePath, s.RoleName) }

// FederatedUserARN is a GetFederationToken session's ARN:
// arn:aws:sts::ACCOUNT:federated-user/NAME.
func FederatedUserARN(accountID, name string) string {
	return "arn:" + Partition + ":sts::" + accountID + ":federated-user/" + name
}
