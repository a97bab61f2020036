package organizations

import (
	"context"

	"github.com/keyward/keyward/internal/aws/protocol"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

type attachInput struct {
	PolicyID string `json:"PolicyId"`
	TargetID string `json:"TargetId"`
}

func (in *attachInput) check() error {
	if err := checkPolicyID(in.PolicyID); err != nil {
		return err
	}
	return checkID("targetId", in.TargetID, validTarget, "INVALID_PATTERN_TARGET_ID", targetShape)
}

func (s *Service) attachPolicy(ctx context.Context, in *attachInput) (*struct{}, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	return done(s.store.AttachPolicy(ctx, in.PolicyID, in.TargetID))
}

func (s *Service) detachPolicy(ctx context.Context, in *attachInput) (*struct{}, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	return done(s.store.DetachPolicy(ctx, in.PolicyID, in.TargetID))
}

type policiesForTargetInput struct {
	TargetID string `json:"TargetId"`
	Filter   string
	pageArgs
}

func (s *Service) listPoliciesForTarget(ctx context.Context, in *policiesForTargetInput) (*listPoliciesOutput, error) {
	if err := checkID("targetId", in.TargetID, validTarget, "INVALID_PATTERN_TARGET_ID", targetShape); err != nil {
		return nil, err
	}
	if err := checkPolicyType("filter", in.Filter, false); err != nil {
		return nil, err
	}
	limit, err := protocol.Limit(in.MaxResults, defaultPage, maxPage)
	if err != nil {
		return nil, err
	}
	ps, next, err := s.store.ListPoliciesForTarget(ctx, in.TargetID, in.Filter, store.Page{Limit: limit, Token: in.NextToken})
	if err != nil {
		return nil, invalidToken(err)
	}
	return s.summariesOut(ctx, ps, next)
}

type targetsForPolicyInput struct {
	PolicyID string `json:"PolicyId"`
	pageArgs
}

type policyTarget struct {
	TargetID string `json:"TargetId"`
	Arn      string
	Name     string
	Type     string
}

type listTargetsOutput struct {
	Targets   []policyTarget
	NextToken string `json:",omitempty"`
}

func (s *Service) listTargetsForPolicy(ctx context.Context, in *targetsForPolicyInput) (*listTargetsOutput, error) {
	if err := checkPolicyID(in.PolicyID); err != nil {
		return nil, err
	}
	limit, err := protocol.Limit(in.MaxResults, defaultPage, maxPage)
	if err != nil {
		return nil, err
	}
	ids, next, err := s.store.ListTargetsForPolicy(ctx, in.PolicyID, store.Page{Limit: limit, Token: in.NextToken})
	if err != nil {
		return nil, invalidToken(err)
	}
	o, err := s.org(ctx)
	if err != nil {
		return nil, err
	}
	out := &listTargetsOutput{Targets: []policyTarget{}, NextToken: next}
	for _, id := range ids {
		name, err := s.targetName(ctx, id)
		if err != nil {
			return nil, err
		}
		out.Targets = append(out.Targets, policyTarget{TargetID: id, Arn: targetARN(o, id), Name: name, Type: ic.OrgKindOf(id)})
	}
	return out, nil
}

// targetName is the name of a root, OU or account.
func (s *Service) targetName(ctx context.Context, id string) (string, error) {
	switch ic.OrgKindOf(id) {
	case ic.KindRoot:
		return ic.RootName, nil
	case ic.KindOrgUnit:
		ou, err := s.store.OrgUnit(ctx, id)
		return ou.Name, err
	}
	a, err := s.store.Account(ctx, id)
	return a.Name, err
}
