package ssoadmin

import (
	"context"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

type assignmentInput struct {
	InstanceArn      string
	TargetID         string `json:"TargetId"`
	TargetType       string
	PermissionSetArn string
	PrincipalType    string
	PrincipalID      string `json:"PrincipalId"`
}

// assignment validates the input and resolves it to a domain assignment.
func (s *Service) assignment(ctx context.Context, in *assignmentInput) (ic.Instance, ic.Assignment, error) {
	inst, err := s.checkInstance(ctx, in.InstanceArn)
	if err != nil {
		return inst, ic.Assignment{}, err
	}
	if err := protocol.Required("targetId", in.TargetID, "targetType", in.TargetType,
		"permissionSetArn", in.PermissionSetArn, "principalType", in.PrincipalType, "principalId", in.PrincipalID); err != nil {
		return inst, ic.Assignment{}, err
	}
	if in.TargetType != ic.TargetAccount {
		return inst, ic.Assignment{}, errs.E(errs.Invalid, "TargetType must be AWS_ACCOUNT")
	}
	psID, err := s.permissionSetID(inst, in.PermissionSetArn)
	if err != nil {
		return inst, ic.Assignment{}, err
	}
	a := ic.Assignment{AccountID: in.TargetID, PermissionSetID: psID, PrincipalType: in.PrincipalType,
		PrincipalID: in.PrincipalID, CreatedAt: s.clock.Now()}
	return inst, a, a.Validate()
}

type statusOut struct {
	Status           string
	RequestID        string `json:"RequestId"`
	FailureReason    string `json:",omitempty"`
	TargetID         string `json:"TargetId,omitempty"`
	TargetType       string `json:",omitempty"`
	PermissionSetArn string `json:",omitempty"`
	PrincipalType    string `json:",omitempty"`
	PrincipalID      string `json:"PrincipalId,omitempty"`
	CreatedDate      protocol.Time
}

func (s *Service) toStatusOut(inst ic.Instance, r ic.Request) statusOut {
	ps := ic.PermissionSet{InstanceID: inst.ID, ID: r.PermissionSetID}
	return statusOut{Status: r.Status, RequestID: r.ID, FailureReason: r.FailureReason, TargetID: r.AccountID,
		TargetType: ic.TargetAccount, PermissionSetArn: ps.ARN(), PrincipalType: r.PrincipalType,
		PrincipalID: r.PrincipalID, CreatedDate: protocol.Time(r.CreatedAt)}
}

type creationOutput struct{ AccountAssignmentCreationStatus statusOut }
type deletionOutput struct{ AccountAssignmentDeletionStatus statusOut }

func (s *Service) newRequest(kind string, a ic.Assignment) ic.Request {
	return ic.Request{ID: ic.NewUUID(s.random), Kind: kind, Status: ic.StateSucceeded, AccountID: a.AccountID,
		PermissionSetID: a.PermissionSetID, PrincipalType: a.PrincipalType, PrincipalID: a.PrincipalID, CreatedAt: s.clock.Now()}
}

// newRole is the role provisioning creates for a permission set in an account.
func (s *Service) newRole(ctx context.Context, psID, accountID string) (ic.Role, error) {
	ps, err := s.store.PermissionSet(ctx, psID)
	if err != nil {
		return ic.Role{}, err
	}
	return ic.Role{AccountID: accountID, PermissionSetID: psID, Name: ic.ReservedRoleName(ps.Name, ic.NewRoleSuffix(s.random)),
		ID: iam.NewRoleID(s.random), Path: ic.RolePath, Version: ps.Version, CreatedAt: s.clock.Now()}, nil
}

func (s *Service) createAssignment(ctx context.Context, in *assignmentInput) (*creationOutput, error) {
	inst, a, err := s.assignment(ctx, in)
	if err != nil {
		return nil, err
	}
	role, err := s.newRole(ctx, a.PermissionSetID, a.AccountID)
	if err != nil {
		return nil, err
	}
	req := s.newRequest(ic.RequestAssignmentCreate, a)
	if req.FailureReason, err = s.assignmentFailure(ctx, a); err != nil {
		return nil, err
	}
	if req.FailureReason != "" {
		req.Status = ic.StateFailed
		err = s.store.RecordRequest(ctx, req)
	} else {
		err = s.store.CreateAssignment(ctx, a, role, req)
	}
	if err != nil {
		return nil, err
	}
	return &creationOutput{AccountAssignmentCreationStatus: s.toStatusOut(inst, req)}, nil
}

// assignmentFailure is why creating a fails: the permission set is not yet
// provisioned to the account and cannot be, for a policy it refers to is
// missing there. "" when it can go ahead.
func (s *Service) assignmentFailure(ctx context.Context, a ic.Assignment) (string, error) {
	roles, _, err := s.store.ListRoles(ctx, store.RoleFilter{AccountID: a.AccountID, PermissionSetID: a.PermissionSetID}, store.Page{Limit: 1})
	if err != nil || len(roles) > 0 {
		return "", err
	}
	ps, err := s.store.PermissionSet(ctx, a.PermissionSetID)
	if err != nil {
		return "", err
	}
	return s.provisionFailure(ctx, ps, a.AccountID)
}

func (s *Service) deleteAssignment(ctx context.Context, in *assignmentInput) (*deletionOutput, error) {
	inst, a, err := s.assignment(ctx, in)
	if err != nil {
		return nil, err
	}
	req := s.newRequest(ic.RequestAssignmentDelete, a)
	if err := s.store.DeleteAssignment(ctx, a, req); err != nil {
		return nil, err
	}
	return &deletionOutput{AccountAssignmentDeletionStatus: s.toStatusOut(inst, req)}, nil
}

type listAssignmentsInput struct {
	InstanceArn      string
	AccountID        string `json:"AccountId"`
	PermissionSetArn string
	MaxResults       *int
	NextToken        string
}

type assignmentOut struct {
	AccountID        string `json:"AccountId"`
	PermissionSetArn string
	PrincipalType    string
	PrincipalID      string `json:"PrincipalId"`
}

type listAssignmentsOutput struct {
	AccountAssignments []assignmentOut
	NextToken          string `json:",omitempty"`
}

func (s *Service) listAssignments(ctx context.Context, in *listAssignmentsInput) (*listAssignmentsOutput, error) {
	inst, err := s.checkInstance(ctx, in.InstanceArn)
	if err != nil {
		return nil, err
	}
	if err := checkAccountID(in.AccountID); err != nil {
		return nil, err
	}
	psID, err := s.permissionSetID(inst, in.PermissionSetArn)
	if err != nil {
		return nil, err
	}
	limit, err := protocol.Limit(in.MaxResults, 100, 100)
	if err != nil {
		return nil, err
	}
	as, next, err := s.store.ListAssignments(ctx, in.AccountID, psID, store.Page{Limit: limit, Token: in.NextToken})
	if err != nil {
		return nil, err
	}
	out := &listAssignmentsOutput{AccountAssignments: []assignmentOut{}, NextToken: next}
	for _, a := range as {
		out.AccountAssignments = append(out.AccountAssignments, assignmentOut{AccountID: a.AccountID,
			PermissionSetArn: in.PermissionSetArn, PrincipalType: a.PrincipalType, PrincipalID: a.PrincipalID})
	}
	return out, nil
}

func checkAccountID(id string) error {
	if err := protocol.Required("accountId", id); err != nil {
		return err
	}
	if !ic.ValidAccountID(id) {
		return errs.E(errs.Invalid, "AccountId %q must be 12 digits", id)
	}
	return nil
}

type creationStatusInput struct {
	InstanceArn                        string
	AccountAssignmentCreationRequestID string `json:"AccountAssignmentCreationRequestId"`
}

type deletionStatusInput struct {
	InstanceArn                        string
	AccountAssignmentDeletionRequestID string `json:"AccountAssignmentDeletionRequestId"`
}

// request finds a recorded request of kind.
func (s *Service) request(ctx context.Context, instanceARN, field, id, kind string) (ic.Instance, ic.Request, error) {
	inst, err := s.checkInstance(ctx, instanceARN)
	if err != nil {
		return inst, ic.Request{}, err
	}
	if err := protocol.Required(field, id); err != nil {
		return inst, ic.Request{}, err
	}
	if !ic.ValidUUID(id) {
		return inst, ic.Request{}, errs.E(errs.Invalid, "%s %.64q is not a valid request id", field, id)
	}
	r, err := s.store.Request(ctx, id)
	if err == nil && r.Kind != kind {
		err = errs.E(errs.NotFound, "not found")
	}
	if errs.Is(err, errs.NotFound) {
		return inst, r, errs.E(errs.NotFound, "Request %s does not exist", id)
	}
	return inst, r, err
}

func (s *Service) describeCreationStatus(ctx context.Context, in *creationStatusInput) (*creationOutput, error) {
	inst, r, err := s.request(ctx, in.InstanceArn, "accountAssignmentCreationRequestId", in.AccountAssignmentCreationRequestID, ic.RequestAssignmentCreate)
	if err != nil {
		return nil, err
	}
	return &creationOutput{AccountAssignmentCreationStatus: s.toStatusOut(inst, r)}, nil
}

func (s *Service) describeDeletionStatus(ctx context.Context, in *deletionStatusInput) (*deletionOutput, error) {
	inst, r, err := s.request(ctx, in.InstanceArn, "accountAssignmentDeletionRequestId", in.AccountAssignmentDeletionRequestID, ic.RequestAssignmentDelete)
	if err != nil {
		return nil, err
	}
	return &deletionOutput{AccountAssignmentDeletionStatus: s.toStatusOut(inst, r)}, nil
}
