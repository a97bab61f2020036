package ssoadmin

import (
	"context"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

type putBoundaryInput struct {
	permissionSetRef
	PermissionsBoundary *ic.PermissionsBoundary
}

// boundary validates the input's boundary; an AWS managed one must exist.
func (in *putBoundaryInput) boundary() (ic.PermissionsBoundary, error) {
	if in.PermissionsBoundary == nil {
		return ic.PermissionsBoundary{}, errs.E(errs.Invalid, "permissionsBoundary is required")
	}
	b := *in.PermissionsBoundary
	if err := b.Validate(); err != nil {
		return b, err
	}
	if b.CustomerPolicy != nil {
		b.CustomerPolicy = &ic.PolicyRef{Name: b.CustomerPolicy.Name, Path: b.CustomerPolicy.NormalPath()}
	} else if _, ok := iam.LookupManaged(b.ManagedPolicyARN); !ok {
		return b, errs.E(errs.NotFound, "Could not find AWS managed policy %s", b.ManagedPolicyARN)
	}
	return b, nil
}

func (s *Service) putBoundary(ctx context.Context, in *putBoundaryInput) (*struct{}, error) {
	b, err := in.boundary()
	if err != nil {
		return nil, err
	}
	return &struct{}{}, s.update(ctx, in.InstanceArn, in.PermissionSetArn, func(ps *ic.PermissionSet) error {
		ps.Boundary = &b
		ps.Version++
		return nil
	})
}

type boundaryOutput struct{ PermissionsBoundary ic.PermissionsBoundary }

func errNoBoundary(psARN string) error {
	return errs.E(errs.NotFound, "Could not find permissions boundary for PermissionSet %s", psARN)
}

func (s *Service) getBoundary(ctx context.Context, in *permissionSetRef) (*boundaryOutput, error) {
	ps, err := s.permissionSet(ctx, in.InstanceArn, in.PermissionSetArn)
	if err != nil {
		return nil, err
	}
	if ps.Boundary == nil {
		return nil, errNoBoundary(in.PermissionSetArn)
	}
	return &boundaryOutput{PermissionsBoundary: *ps.Boundary}, nil
}

func (s *Service) deleteBoundary(ctx context.Context, in *permissionSetRef) (*struct{}, error) {
	return &struct{}{}, s.update(ctx, in.InstanceArn, in.PermissionSetArn, func(ps *ic.PermissionSet) error {
		if ps.Boundary == nil {
			return errNoBoundary(in.PermissionSetArn)
		}
		ps.Boundary = nil
		ps.Version++
		return nil
	})
}
