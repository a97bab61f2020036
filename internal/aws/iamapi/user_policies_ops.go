package iamapi

import "context"

// The user and group policy operations: each finds its owner and shares
// the rest (policies.go).

func (s *Service) putUserPolicy(ctx context.Context, in *putPolicyInput) (*empty, error) {
	o, err := s.userOwner(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	return s.putInlinePolicy(ctx, o, in)
}

func (s *Service) putGroupPolicy(ctx context.Context, in *putPolicyInput) (*empty, error) {
	o, err := s.groupOwner(ctx, in.GroupName)
	if err != nil {
		return nil, err
	}
	return s.putInlinePolicy(ctx, o, in)
}

func (s *Service) getUserPolicy(ctx context.Context, in *policyNameInput) (*getPolicyResult, error) {
	o, err := s.userOwner(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	return s.getInlinePolicy(ctx, o, in.PolicyName)
}

func (s *Service) getGroupPolicy(ctx context.Context, in *policyNameInput) (*getPolicyResult, error) {
	o, err := s.groupOwner(ctx, in.GroupName)
	if err != nil {
		return nil, err
	}
	return s.getInlinePolicy(ctx, o, in.PolicyName)
}

func (s *Service) listUserPolicies(ctx context.Context, in *ownerPoliciesInput) (*listPolicyNamesResult, error) {
	o, err := s.userOwner(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	return s.listInlinePolicies(ctx, o, in)
}

func (s *Service) listGroupPolicies(ctx context.Context, in *ownerPoliciesInput) (*listPolicyNamesResult, error) {
	o, err := s.groupOwner(ctx, in.GroupName)
	if err != nil {
		return nil, err
	}
	return s.listInlinePolicies(ctx, o, in)
}

func (s *Service) deleteUserPolicy(ctx context.Context, in *policyNameInput) (*empty, error) {
	o, err := s.userOwner(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	return s.deleteInlinePolicy(ctx, o, in.PolicyName)
}

func (s *Service) deleteGroupPolicy(ctx context.Context, in *policyNameInput) (*empty, error) {
	o, err := s.groupOwner(ctx, in.GroupName)
	if err != nil {
		return nil, err
	}
	return s.deleteInlinePolicy(ctx, o, in.PolicyName)
}

func (s *Service) attachUserPolicy(ctx context.Context, in *attachInput) (*empty, error) {
	o, err := s.userOwner(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	return s.attach(ctx, o, in.PolicyArn)
}

func (s *Service) attachGroupPolicy(ctx context.Context, in *attachInput) (*empty, error) {
	o, err := s.groupOwner(ctx, in.GroupName)
	if err != nil {
		return nil, err
	}
	return s.attach(ctx, o, in.PolicyArn)
}

func (s *Service) detachUserPolicy(ctx context.Context, in *attachInput) (*empty, error) {
	o, err := s.userOwner(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	return s.detach(ctx, o, in.PolicyArn)
}

func (s *Service) detachGroupPolicy(ctx context.Context, in *attachInput) (*empty, error) {
	o, err := s.groupOwner(ctx, in.GroupName)
	if err != nil {
		return nil, err
	}
	return s.detach(ctx, o, in.PolicyArn)
}

func (s *Service) listAttachedUserPolicies(ctx context.Context, in *ownerPoliciesInput) (*listAttachedResult, error) {
	o, err := s.userOwner(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	return s.listAttached(ctx, o, in)
}

func (s *Service) listAttachedGroupPolicies(ctx context.Context, in *ownerPoliciesInput) (*listAttachedResult, error) {
	o, err := s.groupOwner(ctx, in.GroupName)
	if err != nil {
		return nil, err
	}
	return s.listAttached(ctx, o, in)
}
