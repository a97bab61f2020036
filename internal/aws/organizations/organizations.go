// Package organizations serves the part of AWS Organizations automation
// uses: the organization and its root, CreateAccount and account lookups,
// organizational units and moving accounts between them, service control
// policies and where they are attached, tags, delegated administrators and
// trusted service access, with AWS's rule on which accounts may call
// what (see callers). Accounts created here are where permission sets
// get provisioned. It stores SCPs and returns them (store.OrgPolicies'
// EffectiveSCPs); it does not evaluate them.
package organizations

import (
	"context"
	"io"
	"net/http"

	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// Store is what the service needs from storage.
type Store interface {
	Organization(ctx context.Context) (ic.Organization, error)
	store.Accounts
	store.Organizations
	CreateIAMRole(ctx context.Context, r iam.Role) error
	AttachRolePolicy(ctx context.Context, accountID, roleName, policyARN string) error
}

// Service implements the Organizations operations.
type Service struct {
	store  Store
	clock  clock.Clock
	random io.Reader
}

// New returns the service.
func New(s Store, clk clock.Clock, random io.Reader) *Service {
	return &Service{store: s, clock: clk, random: random}
}

// Codes are Organizations' error names.
var Codes = protocol.Codes{
	ByKind: map[errs.Kind]string{
		errs.Invalid:         "InvalidInputException",
		errs.NotFound:        "AccountNotFoundException",
		errs.Conflict:        "DuplicateAccountException",
		errs.Unauthenticated: "UnrecognizedClientException",
		errs.Denied:          "AccessDeniedException",
		errs.Throttled:       "TooManyRequestsException",
		errs.Internal:        "ServiceException",
	},
	Status:   map[errs.Kind]int{errs.Internal: http.StatusInternalServerError},
	Fallback: "ServiceException",
}

// JSONService describes the service for the gateway.
func (s *Service) JSONService(authorize gateway.Authorizer) *gateway.JSONService {
	return &gateway.JSONService{
		TargetPrefix: "AWSOrganizationsV20161128",
		SigningName:  "organizations",
		Codes:        Codes,
		Authorize:    s.callers(authorize),
		Word:         wordStoreError,
		Operations: map[string]gateway.Operation{
			"DescribeOrganization":        gateway.Op(s.describeOrganization),
			"CreateOrganization":          gateway.Op(s.createOrganization),
			"CreateAccount":               gateway.Op(s.createAccount),
			"DescribeCreateAccountStatus": gateway.Op(s.describeCreateAccountStatus),
			"DescribeAccount":             gateway.Op(s.describeAccount),
			"ListAccounts":                gateway.Op(s.listAccounts),
			"ListRoots":                   gateway.Op(s.listRoots),

			"CreateOrganizationalUnit":         gateway.Op(s.createOrganizationalUnit),
			"DescribeOrganizationalUnit":       gateway.Op(s.describeOrganizationalUnit),
			"UpdateOrganizationalUnit":         gateway.Op(s.updateOrganizationalUnit),
			"DeleteOrganizationalUnit":         gateway.Op(s.deleteOrganizationalUnit),
			"ListOrganizationalUnitsForParent": gateway.Op(s.listOrganizationalUnitsForParent),
			"ListChildren":                     gateway.Op(s.listChildren),
			"ListParents":                      gateway.Op(s.listParents),
			"ListAccountsForParent":            gateway.Op(s.listAccountsForParent),
			"MoveAccount":                      gateway.Op(s.moveAccount),

			"TagResource":         gateway.Op(s.tagResource),
			"UntagResource":       gateway.Op(s.untagResource),
			"ListTagsForResource": gateway.Op(s.listTagsForResource),

			"EnablePolicyType":      gateway.Op(s.enablePolicyType),
			"DisablePolicyType":     gateway.Op(s.disablePolicyType),
			"CreatePolicy":          gateway.Op(s.createPolicy),
			"DescribePolicy":        gateway.Op(s.describePolicy),
			"UpdatePolicy":          gateway.Op(s.updatePolicy),
			"DeletePolicy":          gateway.Op(s.deletePolicy),
			"ListPolicies":          gateway.Op(s.listPolicies),
			"AttachPolicy":          gateway.Op(s.attachPolicy),
			"DetachPolicy":          gateway.Op(s.detachPolicy),
			"ListPoliciesForTarget": gateway.Op(s.listPoliciesForTarget),
			"ListTargetsForPolicy":  gateway.Op(s.listTargetsForPolicy),

			"RegisterDelegatedAdministrator":      gateway.Op(s.registerDelegatedAdministrator),
			"DeregisterDelegatedAdministrator":    gateway.Op(s.deregisterDelegatedAdministrator),
			"ListDelegatedAdministrators":         gateway.Op(s.listDelegatedAdministrators),
			"ListDelegatedServicesForAccount":     gateway.Op(s.listDelegatedServicesForAccount),
			"EnableAWSServiceAccess":              gateway.Op(s.enableAWSServiceAccess),
			"DisableAWSServiceAccess":             gateway.Op(s.disableAWSServiceAccess),
			"ListAWSServiceAccessForOrganization": gateway.Op(s.listAWSServiceAccessForOrganization),
		},
	}
}
