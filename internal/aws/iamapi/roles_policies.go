package iamapi

import (
	"context"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

type putRolePolicyInput struct {
	RoleName       string
	PolicyName     string
	PolicyDocument string
}

func (s *Service) putRolePolicy(ctx context.Context, in *putRolePolicyInput) (*emptyResult, error) {
	if err := iam.ValidateName("policyName", in.PolicyName, iam.MaxPolicyNameLen); err != nil {
		return nil, err
	}
	if err := iam.ValidateIdentityPolicy("policyDocument", in.PolicyDocument); err != nil {
		return nil, err
	}
	account, err := s.ownRole(ctx, in.RoleName)
	if err != nil {
		return nil, err
	}
	err = s.store.PutRolePolicy(ctx, account, in.RoleName, store.RolePolicy{Name: in.PolicyName, Document: in.PolicyDocument})
	return &emptyResult{}, wordRoleError(err, in.RoleName)
}

type rolePolicyInput struct {
	RoleName   string
	PolicyName string
}

type getRolePolicyResult struct {
	RoleName       string
	PolicyName     string
	PolicyDocument string
}

func noSuchRolePolicy(name string) error {
	return errs.E(errs.NotFound, "The role policy with name %s cannot be found.", name).WithCode("NoSuchEntity")
}

func (s *Service) getRolePolicy(ctx context.Context, in *rolePolicyInput) (*getRolePolicyResult, error) {
	if err := iam.ValidateName("policyName", in.PolicyName, iam.MaxPolicyNameLen); err != nil {
		return nil, err
	}
	a, err := s.authorizationOf(ctx, in.RoleName)
	if err != nil {
		return nil, err
	}
	for _, p := range a.Inline {
		if p.Name == in.PolicyName {
			return &getRolePolicyResult{RoleName: a.Role.Name, PolicyName: p.Name, PolicyDocument: encodeDocument(p.Document)}, nil
		}
	}
	return nil, noSuchRolePolicy(in.PolicyName)
}

// authorizationOf returns one of the caller's roles with its policies.
func (s *Service) authorizationOf(ctx context.Context, name string) (store.RoleAuthorization, error) {
	account, err := roleCaller(ctx, name)
	if err != nil {
		return store.RoleAuthorization{}, err
	}
	return s.roleAuthorization(ctx, account, name)
}

type listRolePoliciesInput struct {
	RoleName string
	Marker   string
	MaxItems *int
}

type listRolePoliciesResult struct {
	PolicyNames members[string]
	truncation
}

func (s *Service) listRolePolicies(ctx context.Context, in *listRolePoliciesInput) (*listRolePoliciesResult, error) {
	p, err := page(in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	a, err := s.authorizationOf(ctx, in.RoleName)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(a.Inline))
	for i, pol := range a.Inline {
		names[i] = pol.Name
	}
	page, next, err := pageSlice(names, p)
	if err != nil {
		return nil, err
	}
	return &listRolePoliciesResult{PolicyNames: list(page), truncation: truncated(next)}, nil
}

func (s *Service) deleteRolePolicy(ctx context.Context, in *rolePolicyInput) (*emptyResult, error) {
	if err := iam.ValidateName("policyName", in.PolicyName, iam.MaxPolicyNameLen); err != nil {
		return nil, err
	}
	account, err := s.ownRole(ctx, in.RoleName)
	if err != nil {
		return nil, err
	}
	err = s.store.DeleteRolePolicy(ctx, account, in.RoleName, in.PolicyName)
	if e, ok := errs.As(err); ok && e.ResourceType == store.ResourceIAMRolePolicy {
		return nil, noSuchRolePolicy(in.PolicyName)
	}
	return &emptyResult{}, wordRoleError(err, in.RoleName)
}

type rolePolicyARNInput struct {
	RoleName  string
	PolicyArn string
}

func (s *Service) attachRolePolicy(ctx context.Context, in *rolePolicyARNInput) (*emptyResult, error) {
	account, err := s.ownRole(ctx, in.RoleName)
	if err != nil {
		return nil, err
	}
	ref, err := s.lookupPolicy(ctx, account, in.PolicyArn)
	if err != nil {
		return nil, err
	}
	err = s.store.AttachRolePolicy(ctx, account, in.RoleName, ref.arn)
	if e, ok := errs.As(err); ok && e.ResourceType == store.ResourceIAMPolicy {
		return nil, noSuchPolicy(in.PolicyArn)
	}
	return &emptyResult{}, wordRoleError(err, in.RoleName)
}

func (s *Service) detachRolePolicy(ctx context.Context, in *rolePolicyARNInput) (*emptyResult, error) {
	account, err := s.ownRole(ctx, in.RoleName)
	if err != nil {
		return nil, err
	}
	arn, err := s.attachedARN(ctx, in.PolicyArn)
	if err != nil {
		return nil, err
	}
	err = s.store.DetachRolePolicy(ctx, account, in.RoleName, arn)
	if e, ok := errs.As(err); ok && e.ResourceType == store.ResourceIAMAttachment {
		return nil, errs.E(errs.NotFound, "Policy %s was not found.", in.PolicyArn).WithCode("NoSuchEntity")
	}
	return &emptyResult{}, wordRoleError(err, in.RoleName)
}

type listAttachedInput struct {
	RoleName   string
	PathPrefix string
	Marker     string
	MaxItems   *int
}

type listAttachedResult struct {
	AttachedPolicies members[attachedXML]
	truncation
}

func (s *Service) listAttachedRolePolicies(ctx context.Context, in *listAttachedInput) (*listAttachedResult, error) {
	prefix, err := pathPrefix(in.PathPrefix)
	if err != nil {
		return nil, err
	}
	p, err := page(in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	a, err := s.authorizationOf(ctx, in.RoleName)
	if err != nil {
		return nil, err
	}
	var attached []attachedXML
	for _, pol := range a.Attached {
		if _, path, _, _ := iam.ParsePolicyARN(pol.ARN); len(path) >= len(prefix) && path[:len(prefix)] == prefix {
			attached = append(attached, attachedOut(pol.ARN))
		}
	}
	page, next, err := pageSlice(attached, p)
	if err != nil {
		return nil, err
	}
	return &listAttachedResult{AttachedPolicies: list(page), truncation: truncated(next)}, nil
}
