package portal

import (
	"context"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/keys"
)

type roleCredentials struct {
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	SessionToken    string `json:"sessionToken"`
	Expiration      int64  `json:"expiration"` // epoch milliseconds
}

type getRoleCredentialsOutput struct {
	RoleCredentials roleCredentials `json:"roleCredentials"`
}

type getRoleCredentialsInput struct {
	session
	AccountID string `http:"query=account_id"`
	RoleName  string `http:"query=role_name"`
}

func (s *Service) getRoleCredentials(ctx context.Context, u ic.User, in *getRoleCredentialsInput) (*getRoleCredentialsOutput, error) {
	attrs, err := s.signInAccessControl(ctx, in.BearerToken)
	if err != nil {
		return nil, err
	}
	c, err := s.RoleCredentials(WithAccessControl(ctx, attrs), u, in.AccountID, in.RoleName)
	if err != nil {
		return nil, err
	}
	return &getRoleCredentialsOutput{RoleCredentials: roleCredentials{AccessKeyID: c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Expiration: c.Expiration.UnixMilli()}}, nil
}

// RoleCredentials mints credentials for u's role (permission set name) on an
// account, if u is entitled to it right now. The session is named for the
// user, lasts the permission set's session duration and carries u's
// attributes for access control as session tags (with those ctx carries
// from WithAccessControl).
func (s *Service) RoleCredentials(ctx context.Context, u ic.User, accountID, roleName string) (awsauth.Credentials, error) {
	if accountID == "" || roleName == "" {
		return awsauth.Credentials{}, errs.E(errs.Invalid, "account_id and role_name are required")
	}
	if !ic.ValidAccountID(accountID) || len(roleName) > 32 {
		return awsauth.Credentials{}, errs.E(errs.Invalid, "account_id must be 12 digits and role_name at most 32 characters")
	}
	e, err := s.store.UserRole(ctx, u.ID, accountID, roleName)
	if errs.Is(err, errs.NotFound) {
		s.log(ctx, "sso.credentials.deny", accountID+"/"+roleName, audit.Deny)
		return awsauth.Credentials{}, errs.E(errs.Denied, "No access to role %s in account %s", roleName, accountID)
	}
	if err != nil {
		return awsauth.Credentials{}, err
	}
	sess := roleSession(e, sessionName(u.Profile.UserName), s.clock.Now())
	if sess.Tags, err = s.sessionTags(ctx, u); err != nil {
		return awsauth.Credentials{}, err
	}
	c, err := s.issuer.IssueSession(sess)
	if err != nil {
		return awsauth.Credentials{}, err
	}
	s.log(ctx, "sso.credentials.issue", e.Role.ARN(), audit.Success)
	return c, nil
}

// roleSession describes the session for an entitlement's role, named
// sessionName and lasting the permission set's session duration from now.
// The role's permissions are its own (the permission set's policies), so
// the session carries no session policies; RoleCredentials adds its tags.
func roleSession(e ic.Entitlement, sessionName string, now time.Time) iam.Session {
	return iam.Session{Kind: iam.KindAssumedRole, AccountID: e.Role.AccountID, RoleID: e.Role.ID, RoleName: e.Role.Name,
		RolePath: e.Role.Path, SessionName: sessionName, Expires: now.Add(e.PermissionSet.Duration())}
}

// sessionName fits a user name into STS's role session name rules.
func sessionName(userName string) string {
	b := []byte(userName)
	for i, c := range b {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '+' ||
			c == '=' || c == ',' || c == '.' || c == '@' || c == '-'
		if !ok {
			b[i] = '_'
		}
	}
	if len(b) > 64 {
		b = b[:64]
	}
	for len(b) < 2 {
		b = append(b, '_')
	}
	return string(b)
}

func (s *Service) log(ctx context.Context, action, target, outcome string) {
	e := audit.New(ctx, action, "role", target)
	e.Outcome = outcome
	_ = s.store.AppendEvent(ctx, e) // a lost log line must not refuse access
}

type accountInfo struct {
	AccountID    string `json:"accountId"`
	AccountName  string `json:"accountName"`
	EmailAddress string `json:"emailAddress"`
}

type listAccountsOutput struct {
	NextToken   string        `json:"nextToken,omitempty"`
	AccountList []accountInfo `json:"accountList"`
}

type listAccountsInput struct {
	session
	pageInput
}

func (s *Service) listAccounts(ctx context.Context, u ic.User, in *listAccountsInput) (*listAccountsOutput, error) {
	p, err := page(in.pageInput, 20)
	if err != nil {
		return nil, err
	}
	accts, next, err := s.store.UserAccounts(ctx, u.ID, p)
	if err != nil {
		return nil, err
	}
	out := &listAccountsOutput{NextToken: next, AccountList: []accountInfo{}}
	for _, a := range accts {
		out.AccountList = append(out.AccountList, accountInfo{AccountID: a.ID, AccountName: a.Name, EmailAddress: a.Email})
	}
	return out, nil
}

type roleInfo struct {
	RoleName  string `json:"roleName"`
	AccountID string `json:"accountId"`
}

type listRolesOutput struct {
	NextToken string     `json:"nextToken,omitempty"`
	RoleList  []roleInfo `json:"roleList"`
}

type listAccountRolesInput struct {
	session
	pageInput
	AccountID string `http:"query=account_id"`
}

func (s *Service) listAccountRoles(ctx context.Context, u ic.User, in *listAccountRolesInput) (*listRolesOutput, error) {
	accountID := in.AccountID
	if !ic.ValidAccountID(accountID) {
		return nil, errs.E(errs.Invalid, "account_id must be a 12-digit account id")
	}
	p, err := page(in.pageInput, 20)
	if err != nil {
		return nil, err
	}
	ents, next, err := s.store.UserRoles(ctx, u.ID, accountID, p)
	if err != nil {
		return nil, err
	}
	out := &listRolesOutput{NextToken: next, RoleList: []roleInfo{}}
	for _, e := range ents {
		out.RoleList = append(out.RoleList, roleInfo{RoleName: e.PermissionSet.Name, AccountID: accountID})
	}
	return out, nil
}

type logoutInput struct {
	session
}

// logout answers 200 with no body.
func (s *Service) logout(ctx context.Context, _ ic.User, in *logoutInput) (*struct{}, error) {
	err := s.store.RevokeToken(ctx, keys.HashSecret(in.BearerToken))
	if errs.Is(err, errs.NotFound) {
		return nil, unauthorized()
	}
	return nil, err
}
