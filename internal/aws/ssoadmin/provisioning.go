package ssoadmin

import (
	"context"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

type provisionInput struct {
	permissionSetRef
	TargetID   string `json:"TargetId"`
	TargetType string
}

type provisioningStatusOut struct {
	Status           string
	RequestID        string `json:"RequestId"`
	AccountID        string `json:"AccountId,omitempty"`
	PermissionSetArn string
	FailureReason    string `json:",omitempty"`
	CreatedDate      protocol.Time
}

type provisioningOutput struct{ PermissionSetProvisioningStatus provisioningStatusOut }

func (s *Service) provision(ctx context.Context, in *provisionInput) (*provisioningOutput, error) {
	ps, err := s.permissionSet(ctx, in.InstanceArn, in.PermissionSetArn)
	if err != nil {
		return nil, err
	}
	switch in.TargetType {
	case ic.TargetAccount:
		if err := checkAccountID(in.TargetID); err != nil {
			return nil, err
		}
	case "ALL_PROVISIONED_ACCOUNTS":
		if in.TargetID != "" {
			return nil, errs.E(errs.Invalid, "TargetId must be empty when TargetType is ALL_PROVISIONED_ACCOUNTS")
		}
	default:
		return nil, errs.E(errs.Invalid, "TargetType must be AWS_ACCOUNT or ALL_PROVISIONED_ACCOUNTS")
	}
	role, err := s.newRole(ctx, ps.ID, in.TargetID)
	if err != nil {
		return nil, err
	}
	req := ic.Request{ID: ic.NewUUID(s.random), Kind: ic.RequestProvision, Status: ic.StateSucceeded,
		AccountID: in.TargetID, PermissionSetID: ps.ID, CreatedAt: s.clock.Now()}
	if req.FailureReason, err = s.provisionFailure(ctx, ps, in.TargetID); err != nil {
		return nil, err
	}
	if req.FailureReason != "" {
		req.Status = ic.StateFailed
		err = s.store.RecordRequest(ctx, req)
	} else {
		err = s.store.Provision(ctx, ps.ID, in.TargetID, role, req)
	}
	if err != nil {
		return nil, err
	}
	return &provisioningOutput{PermissionSetProvisioningStatus: toProvisioningOut(ps, req)}, nil
}

// provisionFailure is why provisioning ps into accountID (every account it
// is provisioned to when empty) fails, or "" when it can go ahead.
func (s *Service) provisionFailure(ctx context.Context, ps ic.PermissionSet, accountID string) (string, error) {
	if len(ps.CustomerPolicies) == 0 && (ps.Boundary == nil || ps.Boundary.CustomerPolicy == nil) {
		return "", nil
	}
	if accountID != "" {
		return s.missingPolicy(ctx, ps, accountID)
	}
	p := store.Page{Limit: 100}
	for {
		roles, next, err := s.store.ListRoles(ctx, store.RoleFilter{PermissionSetID: ps.ID}, p)
		if err != nil {
			return "", err
		}
		for _, r := range roles {
			if reason, err := s.missingPolicy(ctx, ps, r.AccountID); reason != "" || err != nil {
				return reason, err
			}
		}
		if next == "" {
			return "", nil
		}
		p.Token = next
	}
}

func toProvisioningOut(ps ic.PermissionSet, r ic.Request) provisioningStatusOut {
	return provisioningStatusOut{Status: r.Status, RequestID: r.ID, AccountID: r.AccountID,
		PermissionSetArn: ps.ARN(), FailureReason: r.FailureReason, CreatedDate: protocol.Time(r.CreatedAt)}
}

type provisioningStatusInput struct {
	InstanceArn                     string
	ProvisionPermissionSetRequestID string `json:"ProvisionPermissionSetRequestId"`
}

func (s *Service) describeProvisioningStatus(ctx context.Context, in *provisioningStatusInput) (*provisioningOutput, error) {
	inst, r, err := s.request(ctx, in.InstanceArn, "provisionPermissionSetRequestId", in.ProvisionPermissionSetRequestID, ic.RequestProvision)
	if err != nil {
		return nil, err
	}
	ps := ic.PermissionSet{InstanceID: inst.ID, ID: r.PermissionSetID}
	return &provisioningOutput{PermissionSetProvisioningStatus: toProvisioningOut(ps, r)}, nil
}

// outdated maps a ProvisioningStatus filter to the store's RoleFilter.
func outdated(status string) (*bool, error) {
	switch status {
	case "":
		return nil, nil
	case "LATEST_PERMISSION_SET_PROVISIONED":
		f := false
		return &f, nil
	case "LATEST_PERMISSION_SET_NOT_PROVISIONED":
		t := true
		return &t, nil
	}
	return nil, errs.E(errs.Invalid, "ProvisioningStatus must be LATEST_PERMISSION_SET_PROVISIONED or LATEST_PERMISSION_SET_NOT_PROVISIONED")
}

type provisionedListInput struct {
	InstanceArn        string
	PermissionSetArn   string
	AccountID          string `json:"AccountId"`
	ProvisioningStatus string
	MaxResults         *int
	NextToken          string
}

// roles lists provisioned roles matching the input.
func (s *Service) roles(ctx context.Context, in *provisionedListInput, f store.RoleFilter) ([]ic.Role, string, error) {
	var err error
	if f.Outdated, err = outdated(in.ProvisioningStatus); err != nil {
		return nil, "", err
	}
	limit, err := protocol.Limit(in.MaxResults, 100, 100)
	if err != nil {
		return nil, "", err
	}
	return s.store.ListRoles(ctx, f, store.Page{Limit: limit, Token: in.NextToken})
}

type accountIDsOutput struct {
	AccountIDs []string `json:"AccountIds"`
	NextToken  string   `json:",omitempty"`
}

func (s *Service) listAccountsForPermissionSet(ctx context.Context, in *provisionedListInput) (*accountIDsOutput, error) {
	ps, err := s.permissionSet(ctx, in.InstanceArn, in.PermissionSetArn)
	if err != nil {
		return nil, err
	}
	roles, next, err := s.roles(ctx, in, store.RoleFilter{PermissionSetID: ps.ID})
	if err != nil {
		return nil, err
	}
	out := &accountIDsOutput{AccountIDs: []string{}, NextToken: next}
	for _, r := range roles {
		out.AccountIDs = append(out.AccountIDs, r.AccountID)
	}
	return out, nil
}

func (s *Service) listPermissionSetsForAccount(ctx context.Context, in *provisionedListInput) (*listPermissionSetsOutput, error) {
	inst, err := s.checkInstance(ctx, in.InstanceArn)
	if err != nil {
		return nil, err
	}
	if err := checkAccountID(in.AccountID); err != nil {
		return nil, err
	}
	roles, next, err := s.roles(ctx, in, store.RoleFilter{AccountID: in.AccountID})
	if err != nil {
		return nil, err
	}
	out := &listPermissionSetsOutput{PermissionSets: []string{}, NextToken: next}
	for _, r := range roles {
		out.PermissionSets = append(out.PermissionSets, ic.PermissionSet{InstanceID: inst.ID, ID: r.PermissionSetID}.ARN())
	}
	return out, nil
}
