// Package ssoadmin serves the IAM Identity Center admin API (SSO Admin):
// the instance (its name, tags and attributes for access control),
// permission sets with their AWS managed, customer managed and inline
// policies and permissions boundary, account assignments and provisioning.
// Work AWS does asynchronously is done at once here, and its status objects
// are recorded so the Describe...Status and List...Status calls answer
// SUCCEEDED (or FAILED) as real clients expect when they poll. Who may
// administer the instance (the management account, or the delegated
// administrator within AWS's limits) is checked after policy evaluation
// (delegated.go).
package ssoadmin

import (
	"context"
	"io"

	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// Store is what the service needs from storage: besides its own, the IAM
// policies customer managed policy references resolve to and the
// delegated administrators of Identity Center.
type Store interface {
	Instance(ctx context.Context) (ic.Instance, error)
	store.PermissionSets
	store.Assignments
	store.SSOAdmin
	IAMPolicy(ctx context.Context, accountID, name string) (iam.Policy, error)
	ListDelegatedAdmins(ctx context.Context, servicePrincipal string, p store.Page) ([]ic.DelegatedAdmin, string, error)
}

// Service implements the SSO Admin operations.
type Service struct {
	store  Store
	clock  clock.Clock
	random io.Reader
}

// New returns the service.
func New(s Store, clk clock.Clock, random io.Reader) *Service {
	return &Service{store: s, clock: clk, random: random}
}

// JSONService describes the service for the gateway.
func (s *Service) JSONService(authorize gateway.Authorizer) *gateway.JSONService {
	ops := map[string]gateway.Operation{
		"ListInstances":                           gateway.Op(s.listInstances),
		"CreatePermissionSet":                     gateway.Op(s.createPermissionSet),
		"DescribePermissionSet":                   gateway.Op(s.describePermissionSet),
		"ListPermissionSets":                      gateway.Op(s.listPermissionSets),
		"UpdatePermissionSet":                     gateway.Op(s.updatePermissionSet),
		"DeletePermissionSet":                     gateway.Op(s.deletePermissionSet),
		"ListTagsForResource":                     gateway.Op(s.listTags),
		"AttachManagedPolicyToPermissionSet":      gateway.Op(s.attachManagedPolicy),
		"DetachManagedPolicyFromPermissionSet":    gateway.Op(s.detachManagedPolicy),
		"ListManagedPoliciesInPermissionSet":      gateway.Op(s.listManagedPolicies),
		"PutInlinePolicyToPermissionSet":          gateway.Op(s.putInlinePolicy),
		"GetInlinePolicyForPermissionSet":         gateway.Op(s.getInlinePolicy),
		"DeleteInlinePolicyFromPermissionSet":     gateway.Op(s.deleteInlinePolicy),
		"CreateAccountAssignment":                 gateway.Op(s.createAssignment),
		"DeleteAccountAssignment":                 gateway.Op(s.deleteAssignment),
		"ListAccountAssignments":                  gateway.Op(s.listAssignments),
		"DescribeAccountAssignmentCreationStatus": gateway.Op(s.describeCreationStatus),
		"DescribeAccountAssignmentDeletionStatus": gateway.Op(s.describeDeletionStatus),
		"ProvisionPermissionSet":                  gateway.Op(s.provision),
		"DescribePermissionSetProvisioningStatus": gateway.Op(s.describeProvisioningStatus),
		"ListAccountsForProvisionedPermissionSet": gateway.Op(s.listAccountsForPermissionSet),
		"ListPermissionSetsProvisionedToAccount":  gateway.Op(s.listPermissionSetsForAccount),
	}
	s.addMoreOps(ops)
	return &gateway.JSONService{
		TargetPrefix: "SWBExternalService", SigningName: "sso",
		Codes: protocol.JSONCodes, Authorize: s.Delegation(authorize), Operations: ops, Word: protocol.WordStoreError,
	}
}

// checkInstance validates InstanceArn and that it names our instance.
func (s *Service) checkInstance(ctx context.Context, arn string) (ic.Instance, error) {
	if err := protocol.Required("instanceArn", arn); err != nil {
		return ic.Instance{}, err
	}
	id, err := ic.ParseInstanceARN(arn)
	if err != nil {
		return ic.Instance{}, err
	}
	inst, err := s.store.Instance(ctx)
	if err != nil {
		return ic.Instance{}, err
	}
	if id != inst.ID {
		return ic.Instance{}, errs.E(errs.NotFound, "Instance %s does not exist", arn)
	}
	return inst, nil
}

// permissionSet resolves an instance ARN and permission set ARN pair.
func (s *Service) permissionSet(ctx context.Context, instanceARN, psARN string) (ic.PermissionSet, error) {
	inst, err := s.checkInstance(ctx, instanceARN)
	if err != nil {
		return ic.PermissionSet{}, err
	}
	id, err := s.permissionSetID(inst, psARN)
	if err != nil {
		return ic.PermissionSet{}, err
	}
	return s.store.PermissionSet(ctx, id)
}

func (s *Service) permissionSetID(inst ic.Instance, psARN string) (string, error) {
	if err := protocol.Required("permissionSetArn", psARN); err != nil {
		return "", err
	}
	instID, id, err := ic.ParsePermissionSetARN(psARN)
	if err != nil {
		return "", err
	}
	if instID != inst.ID {
		return "", errs.E(errs.NotFound, "Could not find PermissionSet with arn %s", psARN)
	}
	return id, nil
}

// updatePermissionSet runs fn on the permission set named by the ARNs.
func (s *Service) update(ctx context.Context, instanceARN, psARN string, fn func(*ic.PermissionSet) error) error {
	inst, err := s.checkInstance(ctx, instanceARN)
	if err != nil {
		return err
	}
	id, err := s.permissionSetID(inst, psARN)
	if err != nil {
		return err
	}
	_, err = s.store.UpdatePermissionSet(ctx, id, func(ps ic.PermissionSet) (ic.PermissionSet, error) {
		err := fn(&ps)
		return ps, err
	})
	return err
}

type listInstancesInput struct {
	MaxResults *int
	NextToken  string
}

type instanceOut struct {
	InstanceArn     string
	IdentityStoreID string `json:"IdentityStoreId"`
	OwnerAccountID  string `json:"OwnerAccountId"`
	Name            string `json:",omitempty"`
	CreatedDate     protocol.Time
	Status          string
}

type listInstancesOutput struct {
	Instances []instanceOut
	NextToken string `json:",omitempty"`
}

func (s *Service) listInstances(ctx context.Context, in *listInstancesInput) (*listInstancesOutput, error) {
	if _, err := protocol.Limit(in.MaxResults, 100, 100); err != nil {
		return nil, err
	}
	if in.NextToken != "" { // one instance fits on the first page, so no token was ever issued
		return nil, errs.E(errs.Invalid, "invalid NextToken")
	}
	inst, err := s.store.Instance(ctx)
	if err != nil {
		return nil, err
	}
	// Other accounts see no instance: keyward has no account instances.
	if ok, err := s.administers(ctx, inst); !ok || err != nil {
		return &listInstancesOutput{Instances: []instanceOut{}}, err
	}
	return &listInstancesOutput{Instances: []instanceOut{toInstanceOut(inst)}}, nil
}
