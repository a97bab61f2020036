package iamapi

import (
	"context"
	"slices"
	"strings"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// ssoInlinePolicyName is the name Identity Center gives the inline policy
// of a permission set's role.
const ssoInlinePolicyName = "AwsSSOInlinePolicy"

// ssoRole is a role Identity Center provisioned, as IAM shows it: its
// trust policy lets the instance's SAML provider in, and its policies are
// its permission set's.
type ssoRole struct {
	role    iam.Role
	inline  string   // the permission set's inline policy, or empty
	managed []string // the permission set's AWS managed policy ARNs
}

// ssoTrustPolicy is the trust policy of Identity Center's roles: sessions
// come through the instance's SAML provider, AWSSSO_<hex>_DO_NOT_DELETE.
func ssoTrustPolicy(accountID, instanceID string) string {
	provider := "arn:aws:iam::" + accountID + ":saml-provider/AWSSSO_" + strings.TrimPrefix(instanceID, "ssoins-") + "_DO_NOT_DELETE"
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + provider +
		`"},"Action":["sts:AssumeRoleWithSAML","sts:TagSession"],"Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}]}`
}

// ssoRoles returns the account's Identity Center roles, ordered by name.
func (s *Service) ssoRoles(ctx context.Context, accountID string) ([]ssoRole, error) {
	var provisioned []ic.Role
	p := store.Page{Limit: 100}
	for {
		page, next, err := s.store.ListRoles(ctx, store.RoleFilter{AccountID: accountID}, p)
		if err != nil {
			return nil, err
		}
		provisioned = append(provisioned, page...)
		if next == "" {
			break
		}
		p.Token = next
	}
	if len(provisioned) == 0 {
		return nil, nil
	}
	inst, err := s.store.Instance(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ssoRole, 0, len(provisioned))
	for _, r := range provisioned {
		ps, err := s.store.PermissionSet(ctx, r.PermissionSetID)
		if errs.Is(err, errs.NotFound) {
			continue // deleted since: its role is going too
		}
		if err != nil {
			return nil, err
		}
		out = append(out, ssoRole{role: iam.Role{AccountID: r.AccountID, ID: r.ID, Name: r.Name, Path: r.Path,
			TrustPolicy: ssoTrustPolicy(r.AccountID, inst.ID), MaxSessionDuration: int(ps.Duration().Seconds()),
			PermissionsBoundary: ssoBoundary(ps, r.AccountID), CreatedAt: r.CreatedAt},
			inline: ps.InlinePolicy, managed: ssoManaged(ps, r.AccountID)})
	}
	slices.SortFunc(out, func(a, b ssoRole) int {
		return strings.Compare(strings.ToLower(a.role.Name), strings.ToLower(b.role.Name))
	})
	return out, nil
}

// ssoManaged are the managed policies of a permission set's role in an
// account: its AWS managed policies, then the account's customer managed
// policies it refers to.
func ssoManaged(ps ic.PermissionSet, accountID string) []string {
	arns := slices.Clone(ps.ManagedPolicies)
	for _, ref := range ps.CustomerPolicies {
		arns = append(arns, ref.ARN(accountID))
	}
	return arns
}

// ssoBoundary is the ARN of the permissions boundary of a permission set's
// role in an account, or empty.
func ssoBoundary(ps ic.PermissionSet, accountID string) string {
	if ps.Boundary == nil {
		return ""
	}
	return ps.Boundary.ARN(accountID)
}

// ssoRoleNamed finds one of the account's Identity Center roles.
func (s *Service) ssoRoleNamed(ctx context.Context, accountID, name string) (ssoRole, bool, error) {
	if !strings.HasPrefix(strings.ToLower(name), "awsreservedsso_") {
		return ssoRole{}, false, nil
	}
	all, err := s.ssoRoles(ctx, accountID)
	if err != nil {
		return ssoRole{}, false, err
	}
	for _, r := range all {
		if strings.EqualFold(r.role.Name, name) {
			return r, true, nil
		}
	}
	return ssoRole{}, false, nil
}

// protect refuses to change one of Identity Center's roles.
func (s *Service) protect(ctx context.Context, accountID, name string) error {
	r, found, err := s.ssoRoleNamed(ctx, accountID, name)
	if err != nil || !found {
		return err
	}
	return errs.E(errs.Invalid, "Cannot perform the operation on the protected role '%s' - this role is only modifiable by AWS", r.role.Name).
		WithCode("UnmodifiableEntity")
}

// inlinePolicies lists an Identity Center role's inline policies.
func (r ssoRole) inlinePolicies() []store.RolePolicy {
	if r.inline == "" {
		return nil
	}
	return []store.RolePolicy{{Name: ssoInlinePolicyName, Document: r.inline}}
}

// authorization is the role with its policies, as the store's
// RoleAuthorization gives an IAM role's.
func (r ssoRole) authorization() store.RoleAuthorization {
	a := store.RoleAuthorization{Role: r.role, Inline: r.inlinePolicies()}
	for _, arn := range r.managed {
		a.Attached = append(a.Attached, store.AttachedPolicy{ARN: arn})
	}
	return a
}

// roleAuthorization returns any role of the account (IAM's own or Identity
// Center's) with its policies.
func (s *Service) roleAuthorization(ctx context.Context, accountID, name string) (store.RoleAuthorization, error) {
	if r, found, err := s.ssoRoleNamed(ctx, accountID, name); err != nil || found {
		return r.authorization(), err
	}
	a, err := s.store.RoleAuthorization(ctx, accountID, name)
	return a, wordRoleError(err, name)
}

// policyUses counts the roles using each managed policy: the store's
// count of the account's own roles plus Identity Center's roles.
func (s *Service) policyUses(ctx context.Context, accountID string) (map[string]store.PolicyUse, error) {
	uses, err := s.store.PolicyUses(ctx, accountID)
	if err != nil {
		return nil, err
	}
	sso, err := s.ssoRoles(ctx, accountID)
	for _, r := range sso {
		for _, arn := range r.managed {
			u := uses[arn]
			u.Attachments++
			uses[arn] = u
		}
		if arn := r.role.PermissionsBoundary; arn != "" {
			u := uses[arn]
			u.Boundaries++
			uses[arn] = u
		}
	}
	return uses, err
}
