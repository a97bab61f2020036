package ssoadmin

import (
	"context"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

type listStatusInput struct {
	InstanceArn string
	MaxResults  *int
	NextToken   string
	Filter      *struct{ Status string }
}

type statusMetadata struct {
	Status      string
	RequestID   string `json:"RequestId"`
	CreatedDate protocol.Time
}

// requests pages the recorded requests of kind that match the input.
func (s *Service) requests(ctx context.Context, in *listStatusInput, kind string) ([]statusMetadata, string, error) {
	if _, err := s.checkInstance(ctx, in.InstanceArn); err != nil {
		return nil, "", err
	}
	f := store.RequestFilter{Kind: kind}
	if in.Filter != nil {
		switch in.Filter.Status {
		case "", "IN_PROGRESS", ic.StateFailed, ic.StateSucceeded:
			f.Status = in.Filter.Status
		default:
			return nil, "", errs.E(errs.Invalid, "Filter.Status must be IN_PROGRESS, FAILED or SUCCEEDED")
		}
	}
	limit, err := protocol.Limit(in.MaxResults, 100, 100)
	if err != nil {
		return nil, "", err
	}
	rs, next, err := s.store.ListRequests(ctx, f, store.Page{Limit: limit, Token: in.NextToken})
	out := []statusMetadata{}
	for _, r := range rs {
		out = append(out, statusMetadata{Status: r.Status, RequestID: r.ID, CreatedDate: protocol.Time(r.CreatedAt)})
	}
	return out, next, err
}

type creationStatusList struct {
	AccountAssignmentsCreationStatus []statusMetadata
	NextToken                        string `json:",omitempty"`
}

func (s *Service) listCreationStatus(ctx context.Context, in *listStatusInput) (*creationStatusList, error) {
	list, next, err := s.requests(ctx, in, ic.RequestAssignmentCreate)
	return &creationStatusList{AccountAssignmentsCreationStatus: list, NextToken: next}, err
}

type deletionStatusList struct {
	AccountAssignmentsDeletionStatus []statusMetadata
	NextToken                        string `json:",omitempty"`
}

func (s *Service) listDeletionStatus(ctx context.Context, in *listStatusInput) (*deletionStatusList, error) {
	list, next, err := s.requests(ctx, in, ic.RequestAssignmentDelete)
	return &deletionStatusList{AccountAssignmentsDeletionStatus: list, NextToken: next}, err
}

type provisioningStatusList struct {
	PermissionSetsProvisioningStatus []statusMetadata
	NextToken                        string `json:",omitempty"`
}

func (s *Service) listProvisioningStatus(ctx context.Context, in *listStatusInput) (*provisioningStatusList, error) {
	list, next, err := s.requests(ctx, in, ic.RequestProvision)
	return &provisioningStatusList{PermissionSetsProvisioningStatus: list, NextToken: next}, err
}

type principalAssignmentsInput struct {
	InstanceArn   string
	PrincipalID   string `json:"PrincipalId"`
	PrincipalType string
	Filter        *struct {
		AccountID string `json:"AccountId"`
	}
	MaxResults *int
	NextToken  string
}

// principal validates the input's principal and account filter.
func (in *principalAssignmentsInput) principal() (account string, err error) {
	if err := protocol.Required("principalId", in.PrincipalID, "principalType", in.PrincipalType); err != nil {
		return "", err
	}
	if in.PrincipalType != ic.PrincipalUser && in.PrincipalType != ic.PrincipalGroup {
		return "", errs.E(errs.Invalid, "PrincipalType must be USER or GROUP")
	}
	if !ic.ValidPrincipalID(in.PrincipalID) {
		return "", errs.E(errs.Invalid, "PrincipalId %.64q is not a valid identity store id", in.PrincipalID)
	}
	if in.Filter != nil && in.Filter.AccountID != "" {
		return in.Filter.AccountID, checkAccountID(in.Filter.AccountID)
	}
	return "", nil
}

func (s *Service) listPrincipalAssignments(ctx context.Context, in *principalAssignmentsInput) (*listAssignmentsOutput, error) {
	inst, err := s.checkInstance(ctx, in.InstanceArn)
	if err != nil {
		return nil, err
	}
	account, err := in.principal()
	if err != nil {
		return nil, err
	}
	limit, err := protocol.Limit(in.MaxResults, 100, 100)
	if err != nil {
		return nil, err
	}
	as, next, err := s.store.ListPrincipalAssignments(ctx, in.PrincipalType, in.PrincipalID, account, store.Page{Limit: limit, Token: in.NextToken})
	if err != nil {
		return nil, err
	}
	out := &listAssignmentsOutput{AccountAssignments: []assignmentOut{}, NextToken: next}
	for _, a := range as {
		ps := ic.PermissionSet{InstanceID: inst.ID, ID: a.PermissionSetID}
		out.AccountAssignments = append(out.AccountAssignments, assignmentOut{AccountID: a.AccountID,
			PermissionSetArn: ps.ARN(), PrincipalType: a.PrincipalType, PrincipalID: a.PrincipalID})
	}
	return out, nil
}
