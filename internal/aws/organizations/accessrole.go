package organizations

import (
	"context"
	"regexp"

	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// DefaultAccessRole is the role Organizations creates in every account it
// creates, unless CreateAccount names another: the management account's
// way in, with administrator access.
const DefaultAccessRole = "OrganizationAccountAccessRole"

const administratorAccess = "arn:aws:iam::aws:policy/AdministratorAccess"

var accessRoleNameRe = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)

// accessRoleTrust lets the management account assume the role: its root,
// and so whoever it grants sts:AssumeRole on the role.
func accessRoleTrust(managementAccountID string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` +
		managementAccountID + `:root"},"Action":"sts:AssumeRole"}]}`
}

// createAccessRole creates the access role in a new account, with
// AdministratorAccess attached, as Organizations does.
func (s *Service) createAccessRole(ctx context.Context, org ic.Organization, accountID, name string) error {
	if name == "" {
		name = DefaultAccessRole
	}
	r := iam.Role{AccountID: accountID, ID: iam.NewRoleID(s.random), Name: name, Path: "/",
		TrustPolicy: accessRoleTrust(org.ManagementAccountID), MaxSessionDuration: iam.DefaultRoleSession, CreatedAt: s.clock.Now()}
	if err := s.store.CreateIAMRole(ctx, r); err != nil {
		return err
	}
	return s.store.AttachRolePolicy(ctx, accountID, name, administratorAccess)
}
