package iamapi

import (
	"context"

	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// roleStore is what roles and policies need from storage: IAM's own roles
// and policies, and Identity Center's provisioned roles with their
// permission sets, which IAM shows as protected roles.
type roleStore interface {
	store.IAMRoles
	store.IAMPolicies
	ListRoles(ctx context.Context, f store.RoleFilter, p store.Page) ([]ic.Role, string, error)
	PermissionSet(ctx context.Context, id string) (ic.PermissionSet, error)
	Instance(ctx context.Context) (ic.Instance, error)
}

// roleActions are the role and policy operations.
func (s *Service) roleActions() map[string]gateway.QueryAction {
	return map[string]gateway.QueryAction{
		"CreateRole":                     gateway.QueryOp(s.createRole),
		"GetRole":                        gateway.QueryOp(s.getRole),
		"ListRoles":                      gateway.QueryOp(s.listRoles),
		"UpdateRole":                     gateway.QueryOp(s.updateRole),
		"UpdateRoleDescription":          gateway.QueryOp(s.updateRoleDescription),
		"UpdateAssumeRolePolicy":         gateway.QueryOp(s.updateAssumeRolePolicy),
		"DeleteRole":                     gateway.QueryOp(s.deleteRole),
		"TagRole":                        gateway.QueryOp(s.tagRole),
		"UntagRole":                      gateway.QueryOp(s.untagRole),
		"ListRoleTags":                   gateway.QueryOp(s.listRoleTags),
		"PutRolePermissionsBoundary":     gateway.QueryOp(s.putRolePermissionsBoundary),
		"DeleteRolePermissionsBoundary":  gateway.QueryOp(s.deleteRolePermissionsBoundary),
		"PutRolePolicy":                  gateway.QueryOp(s.putRolePolicy),
		"GetRolePolicy":                  gateway.QueryOp(s.getRolePolicy),
		"ListRolePolicies":               gateway.QueryOp(s.listRolePolicies),
		"DeleteRolePolicy":               gateway.QueryOp(s.deleteRolePolicy),
		"AttachRolePolicy":               gateway.QueryOp(s.attachRolePolicy),
		"DetachRolePolicy":               gateway.QueryOp(s.detachRolePolicy),
		"ListAttachedRolePolicies":       gateway.QueryOp(s.listAttachedRolePolicies),
		"CreatePolicy":                   gateway.QueryOp(s.createPolicy),
		"GetPolicy":                      gateway.QueryOp(s.getPolicy),
		"ListPolicies":                   gateway.QueryOp(s.listPolicies),
		"DeletePolicy":                   gateway.QueryOp(s.deletePolicy),
		"TagPolicy":                      gateway.QueryOp(s.tagPolicy),
		"UntagPolicy":                    gateway.QueryOp(s.untagPolicy),
		"ListPolicyTags":                 gateway.QueryOp(s.listPolicyTags),
		"CreatePolicyVersion":            gateway.QueryOp(s.createPolicyVersion),
		"GetPolicyVersion":               gateway.QueryOp(s.getPolicyVersion),
		"ListPolicyVersions":             gateway.QueryOp(s.listPolicyVersions),
		"DeletePolicyVersion":            gateway.QueryOp(s.deletePolicyVersion),
		"SetDefaultPolicyVersion":        gateway.QueryOp(s.setDefaultPolicyVersion),
		"ListEntitiesForPolicy":          gateway.QueryOp(s.listEntitiesForPolicy),
		"GetAccountAuthorizationDetails": gateway.QueryOp(s.getAccountAuthorizationDetails),
	}
}

// noSuchRole is IAM's answer for a role that does not exist.
func noSuchRole(name string) error {
	return errs.E(errs.NotFound, "The role with name %s cannot be found.", name).WithCode("NoSuchEntity")
}

// wordRoleError words the store's errors about a role as IAM does.
func wordRoleError(err error, roleName string) error {
	e, ok := errs.As(err)
	if !ok {
		return err
	}
	switch {
	case e.Kind == errs.NotFound && e.ResourceType == store.ResourceIAMRole:
		return noSuchRole(roleName)
	case e.Kind == errs.Conflict && e.ResourceType == store.ResourceIAMRole && e.Field == store.FieldName:
		return errs.E(errs.Conflict, "Role with name %s already exists.", roleName).WithCode("EntityAlreadyExists")
	case e.Kind == errs.Conflict && e.Field == store.FieldInUse:
		return errs.E(errs.Conflict, "Cannot delete entity, must detach all policies first.").WithCode("DeleteConflict")
	}
	return err
}

// emptyResult is the result of the operations that return nothing.
type emptyResult struct{}
