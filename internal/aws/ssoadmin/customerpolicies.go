package ssoadmin

import (
	"context"
	"slices"

	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

type customerPolicyInput struct {
	permissionSetRef
	CustomerManagedPolicyReference *ic.PolicyRef
}

// ref validates the input's reference and gives its path as stored: "/"
// when none was given, as Identity Center lists it.
func (in *customerPolicyInput) ref() (ic.PolicyRef, error) {
	if in.CustomerManagedPolicyReference == nil {
		return ic.PolicyRef{}, errs.E(errs.Invalid, "customerManagedPolicyReference is required")
	}
	r := *in.CustomerManagedPolicyReference
	if err := r.Validate(); err != nil {
		return r, err
	}
	r.Path = r.NormalPath()
	return r, nil
}

func (s *Service) attachCustomerPolicy(ctx context.Context, in *customerPolicyInput) (*struct{}, error) {
	ref, err := in.ref()
	if err != nil {
		return nil, err
	}
	return &struct{}{}, s.update(ctx, in.InstanceArn, in.PermissionSetArn, func(ps *ic.PermissionSet) error {
		if slices.Contains(ps.CustomerPolicies, ref) {
			return errs.E(errs.Conflict, "Customer managed policy reference %s%s is already attached to the permission set", ref.Path, ref.Name)
		}
		if err := checkPolicyQuota(*ps); err != nil {
			return err
		}
		ps.CustomerPolicies = append(ps.CustomerPolicies, ref)
		ps.Version++
		return nil
	})
}

func (s *Service) detachCustomerPolicy(ctx context.Context, in *customerPolicyInput) (*struct{}, error) {
	ref, err := in.ref()
	if err != nil {
		return nil, err
	}
	return &struct{}{}, s.update(ctx, in.InstanceArn, in.PermissionSetArn, func(ps *ic.PermissionSet) error {
		i := slices.Index(ps.CustomerPolicies, ref)
		if i < 0 {
			return errs.E(errs.NotFound, "Customer managed policy reference %s%s is not attached to the permission set", ref.Path, ref.Name)
		}
		ps.CustomerPolicies = slices.Delete(ps.CustomerPolicies, i, i+1)
		ps.Version++
		return nil
	})
}

type listCustomerPoliciesOutput struct {
	CustomerManagedPolicyReferences []ic.PolicyRef
	NextToken                       string `json:",omitempty"`
}

func (s *Service) listCustomerPolicies(ctx context.Context, in *listManagedPoliciesInput) (*listCustomerPoliciesOutput, error) {
	ps, limit, err := s.policyList(ctx, in)
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(ps.CustomerPolicies))
	for i, r := range ps.CustomerPolicies {
		keys[i] = r.Path + r.Name
	}
	start, end, next, err := policyPage(keys, limit, in.NextToken)
	if err != nil {
		return nil, err
	}
	refs := append([]ic.PolicyRef{}, ps.CustomerPolicies[start:end]...)
	return &listCustomerPoliciesOutput{CustomerManagedPolicyReferences: refs, NextToken: next}, nil
}

// missingPolicy is the reason provisioning ps into an account fails, or ""
// when every policy it refers to (its customer managed policies and a
// customer managed boundary) exists there with the path referred to.
func (s *Service) missingPolicy(ctx context.Context, ps ic.PermissionSet, accountID string) (string, error) {
	refs := slices.Clone(ps.CustomerPolicies)
	if ps.Boundary != nil && ps.Boundary.CustomerPolicy != nil {
		refs = append(refs, *ps.Boundary.CustomerPolicy)
	}
	for _, r := range refs {
		p, err := s.store.IAMPolicy(ctx, accountID, r.Name)
		if errs.Is(err, errs.NotFound) || (err == nil && p.Path != r.NormalPath()) {
			return "Received a 404 status error: Not supported policy " + r.ARN(accountID) + ".", nil
		}
		if err != nil {
			return "", err
		}
	}
	return "", nil
}
