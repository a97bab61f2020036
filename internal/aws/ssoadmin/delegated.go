package ssoadmin

import (
	"context"
	"slices"
	"strings"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// Who may administer the instance: the account that owns it (the
// organization's management account) and the account registered as
// Identity Center's delegated administrator, which may do everything but
// manage access to the management account. AWS's rules:
// https://docs.aws.amazon.com/singlesignon/latest/userguide/delegated-admin.html

// ssoServicePrincipal is Identity Center's service principal in
// Organizations.
const ssoServicePrincipal = "sso.amazonaws.com"

// psWrites are the operations that change a permission set, or its roles,
// named by their input's resource ARN.
var psWrites = []string{
	"UpdatePermissionSet", "DeletePermissionSet", "AttachManagedPolicyToPermissionSet",
	"DetachManagedPolicyFromPermissionSet", "PutInlinePolicyToPermissionSet", "DeleteInlinePolicyFromPermissionSet",
	"AttachCustomerManagedPolicyReferenceToPermissionSet", "DetachCustomerManagedPolicyReferenceFromPermissionSet",
	"PutPermissionsBoundaryToPermissionSet", "DeletePermissionsBoundaryFromPermissionSet",
	"TagResource", "UntagResource", "ProvisionPermissionSet",
}

// accountWrites are the operations that change access to the account their
// input targets.
var accountWrites = []string{"CreateAccountAssignment", "DeleteAccountAssignment", "ProvisionPermissionSet"}

// managementOnly are the operations AWS documents as callable from the
// management account only.
var managementOnly = []string{"ListAccountAssignmentsForPrincipal"}

// Delegation returns authorize followed by the delegated-administrator
// rule (CheckAdministrator): the authorizer to mount SSO Admin with.
func (s *Service) Delegation(authorize gateway.Authorizer) gateway.Authorizer {
	return func(ctx context.Context, p awsauth.Principal, req gateway.Request) error {
		if authorize != nil {
			if err := authorize(ctx, p, req); err != nil {
				return err
			}
		}
		return s.CheckAdministrator(ctx, p, req)
	}
}

// CheckAdministrator applies Identity Center's rule for who administers
// it to a request policy evaluation allowed: a caller from the management
// account may do anything; one from the delegated administrator account
// anything but create or delete assignments on, or provision into, the
// management account, or change a permission set provisioned there; any
// other account is refused. Refusals are AccessDeniedException.
func (s *Service) CheckAdministrator(ctx context.Context, p awsauth.Principal, req gateway.Request) error {
	inst, err := s.store.Instance(ctx)
	if err != nil || p.AccountID == inst.OwnerAccountID {
		return err
	}
	op := req.Action[strings.IndexByte(req.Action, ':')+1:]
	delegated, err := s.isDelegatedAdmin(ctx, p.AccountID)
	switch {
	case err != nil:
		return err
	case op == "ListInstances":
		return nil // it lists no instance to other accounts (listInstances)
	case !delegated:
		return denied(p, req, "because account "+p.AccountID+" is neither the management account nor the delegated administrator of IAM Identity Center")
	case slices.Contains(managementOnly, op):
		return denied(p, req, "because it must be called from the management account")
	}
	if slices.Contains(accountWrites, op) && targetAccount(req.Input) == inst.OwnerAccountID {
		return denied(p, req, "because a delegated administrator cannot manage access to the management account")
	}
	if slices.Contains(psWrites, op) {
		return s.checkManagementPermissionSet(ctx, p, req, inst)
	}
	return nil
}

// checkManagementPermissionSet refuses a change to a permission set that
// is provisioned to the management account.
func (s *Service) checkManagementPermissionSet(ctx context.Context, p awsauth.Principal, req gateway.Request, inst ic.Instance) error {
	instID, psID, err := ic.ParsePermissionSetARN(req.Resource)
	if err != nil || instID != inst.ID {
		return nil // not a permission set of ours: the operation itself refuses it
	}
	roles, _, err := s.store.ListRoles(ctx, store.RoleFilter{AccountID: inst.OwnerAccountID, PermissionSetID: psID}, store.Page{Limit: 1})
	if err != nil || len(roles) == 0 {
		return err
	}
	return denied(p, req, "because a delegated administrator cannot change a permission set provisioned to the management account")
}

// administers reports whether the caller in ctx may see the instance: a
// caller from its owner or from the delegated administrator account, or
// a call the gateway did not make (no caller).
func (s *Service) administers(ctx context.Context, inst ic.Instance) (bool, error) {
	p, ok := awsauth.PrincipalFrom(ctx)
	if !ok || p.AccountID == inst.OwnerAccountID {
		return true, nil
	}
	return s.isDelegatedAdmin(ctx, p.AccountID)
}

func (s *Service) isDelegatedAdmin(ctx context.Context, accountID string) (bool, error) {
	admins, _, err := s.store.ListDelegatedAdmins(ctx, ssoServicePrincipal, store.Page{Limit: 100})
	for _, a := range admins {
		if a.AccountID == accountID {
			return true, err
		}
	}
	return false, err
}

// targetAccount is the account an assignment or provisioning input targets.
func targetAccount(in any) string {
	switch in := in.(type) {
	case *assignmentInput:
		return in.TargetID
	case *provisionInput:
		return in.TargetID
	}
	return ""
}

func denied(p awsauth.Principal, req gateway.Request, why string) error {
	return errs.E(errs.Denied, "User: %s is not authorized to perform: %s on resource: %s %s", p.ARN, req.Action, req.Resource, why).
		WithCode("AccessDeniedException")
}
