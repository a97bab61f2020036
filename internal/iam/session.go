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
)

// Tag is a session tag.
type Tag struct {
	Key   string
	Value string
}

// Session describes a temporary session STS issues, whatever granted it
// (an Identity Center assignment, AssumeRole, a SAML or web identity
// federation): who it is, what limits it and when it ends. It does not say
// how the session's credentials are sealed or verified.
type Session struct {
	Kind        string // KindAssumedRole
	AccountID   string
	RoleID      string // AROA...
	RoleName    string
	RolePath    string // "/" when empty
	SessionName string
	// PolicyARNs and Policy are session policies: managed policy ARNs and an
	// inline document. They narrow the role's permissions, never widen them.
	PolicyARNs        []string
	Policy            string
	Tags              []Tag
	TransitiveTagKeys []string
	SourceIdentity    string
	Expires           time.Time
}

// Check reports a session that cannot be issued: an unknown kind or a
// missing account, role or session name.
func (s Session) Check() error {
	if s.Kind != KindAssumedRole {
		return fmt.Errorf("iam: session kind %q is not supported", s.Kind)
	}
	if s.AccountID == "" || s.RoleID == "" || s.RoleName == "" || s.SessionName == "" {
		return fmt.Errorf("iam: a role session needs an account, a role id and name, and a session name")
	}
	return nil
}

// ARN is the session's principal ARN.
func (s Session) ARN() string { return AssumedRoleARN(s.AccountID, s.RoleName, s.SessionName) }

// UserID is the session's unique id, as GetCallerIdentity reports it.
func (s Session) UserID() string { return AssumedRoleUserID(s.RoleID, s.SessionName) }

// RoleARN is the ARN of the role the session was issued for.
func (s Session) RoleARN() string { return RoleARN(s.AccountID, s.RolePath, s.RoleName) }
