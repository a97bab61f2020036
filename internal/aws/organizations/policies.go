package organizations

import (
	"context"
	"slices"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// checkPolicyType refuses a missing or unknown policy type; supported
// false lets a known type keyward does not store through (lists of it
// are empty).
func checkPolicyType(field, t string, supported bool) error {
	if err := protocol.Required(field, t); err != nil {
		return inputRequired(err)
	}
	if !slices.Contains(ic.PolicyTypes, t) {
		return invalid("INVALID_ENUM_POLICY_TYPE", "%s %.64q is not a policy type Organizations knows", upperFirst(field), t)
	}
	if supported && t != ic.SCP {
		return errs.E(errs.Invalid, "You can't use the specified policy type with the feature set currently enabled for this organization: keyward supports only SERVICE_CONTROL_POLICY.").
			WithCode("PolicyTypeNotAvailableForOrganizationException")
	}
	return nil
}

type policyTypeInput struct {
	RootID     string `json:"RootId"`
	PolicyType string
}

type rootOutput struct{ Root root }

func (s *Service) enablePolicyType(ctx context.Context, in *policyTypeInput) (*rootOutput, error) {
	return s.setPolicyType(ctx, in, true)
}

func (s *Service) disablePolicyType(ctx context.Context, in *policyTypeInput) (*rootOutput, error) {
	return s.setPolicyType(ctx, in, false)
}

func (s *Service) setPolicyType(ctx context.Context, in *policyTypeInput, enable bool) (*rootOutput, error) {
	if err := checkID("rootId", in.RootID, ic.ValidRootID, "INVALID_PATTERN", rootShape); err != nil {
		return nil, err
	}
	if err := checkPolicyType("policyType", in.PolicyType, enable); err != nil {
		return nil, err
	}
	r, err := s.store.SetPolicyType(ctx, in.RootID, in.PolicyType, enable)
	if e, ok := errs.As(err); ok && e.Kind == errs.Conflict && e.Field == store.FieldPolicyType {
		if enable {
			return nil, errs.E(errs.Conflict, "The specified policy type is already enabled in the specified root.").
				WithCode("PolicyTypeAlreadyEnabledException")
		}
		return nil, errs.E(errs.Conflict, "The specified policy type isn't currently enabled in this root.").
			WithCode("PolicyTypeNotEnabledException")
	}
	if err != nil {
		return nil, err
	}
	o, err := s.org(ctx)
	if err != nil {
		return nil, err
	}
	return &rootOutput{Root: rootOut(o, r)}, nil
}

type policySummary struct {
	ID          string `json:"Id"`
	Arn         string
	Name        string
	Description string
	Type        string
	AwsManaged  bool
}

type policy struct {
	PolicySummary policySummary
	Content       string
}

type policyOutput struct{ Policy policy }

func summaryOut(o ic.Organization, p ic.OrgPolicy) policySummary {
	return policySummary{ID: p.ID, Arn: policyARN(o, p), Name: p.Name, Description: p.Description,
		Type: p.Type, AwsManaged: p.AWSManaged}
}

func (s *Service) policyOut(ctx context.Context, p ic.OrgPolicy) (*policyOutput, error) {
	o, err := s.org(ctx)
	if err != nil {
		return nil, err
	}
	return &policyOutput{Policy: policy{PolicySummary: summaryOut(o, p), Content: p.Content}}, nil
}

type createPolicyInput struct {
	Content     string
	Description *string
	Name        string
	Type        string
	Tags        []ic.Tag
}

func (s *Service) createPolicy(ctx context.Context, in *createPolicyInput) (*policyOutput, error) {
	desc := ""
	if in.Description != nil {
		desc = *in.Description
	}
	if err := inputRequired(protocol.Required("content", in.Content, "name", in.Name)); err != nil {
		return nil, err
	}
	if in.Description == nil {
		return nil, inputRequired(protocol.Required("description", ""))
	}
	if err := checkPolicyType("type", in.Type, true); err != nil {
		return nil, err
	}
	if err := ic.ValidateOrgPolicyText(in.Name, desc); err != nil {
		return nil, err
	}
	if err := validateTags(in.Tags); err != nil {
		return nil, err
	}
	if err := ic.ValidateSCP(in.Content); err != nil {
		return nil, err
	}
	p := ic.OrgPolicy{ID: ic.NewOrgPolicyID(s.random), Type: in.Type, Name: in.Name, Description: desc,
		Content: in.Content, CreatedAt: s.clock.Now()}
	if err := s.store.CreateOrgPolicy(ctx, p, in.Tags); err != nil {
		return nil, err
	}
	return s.policyOut(ctx, p)
}

type policyIDInput struct {
	PolicyID string `json:"PolicyId"`
}

func checkPolicyID(id string) error {
	return checkID("policyId", id, ic.ValidOrgPolicyID, "INVALID_SYNTAX_POLICY_ID", policyShape)
}

// checkMutable refuses changes to the AWS managed policy.
func checkMutable(id string) error {
	if id == ic.FullAWSAccessID {
		return invalid("IMMUTABLE_POLICY", "You specified a policy that is managed by Amazon Web Services and can't be modified.")
	}
	return nil
}

func (s *Service) describePolicy(ctx context.Context, in *policyIDInput) (*policyOutput, error) {
	if err := checkPolicyID(in.PolicyID); err != nil {
		return nil, err
	}
	p, err := s.store.OrgPolicy(ctx, in.PolicyID)
	if err != nil {
		return nil, err
	}
	return s.policyOut(ctx, p)
}

type updatePolicyInput struct {
	PolicyID    string `json:"PolicyId"`
	Name        *string
	Description *string
	Content     *string
}

func (s *Service) updatePolicy(ctx context.Context, in *updatePolicyInput) (*policyOutput, error) {
	if err := checkPolicyID(in.PolicyID); err != nil {
		return nil, err
	}
	if err := checkMutable(in.PolicyID); err != nil {
		return nil, err
	}
	if in.Content != nil {
		if err := ic.ValidateSCP(*in.Content); err != nil {
			return nil, err
		}
	}
	p, err := s.store.UpdateOrgPolicy(ctx, in.PolicyID, func(p ic.OrgPolicy) (ic.OrgPolicy, error) {
		p.Name = deref(in.Name, p.Name)
		p.Description = deref(in.Description, p.Description)
		p.Content = deref(in.Content, p.Content)
		return p, ic.ValidateOrgPolicyText(p.Name, p.Description)
	})
	if err != nil {
		return nil, err
	}
	return s.policyOut(ctx, p)
}

func deref(v *string, otherwise string) string {
	if v == nil {
		return otherwise
	}
	return *v
}

func (s *Service) deletePolicy(ctx context.Context, in *policyIDInput) (*struct{}, error) {
	if err := checkPolicyID(in.PolicyID); err != nil {
		return nil, err
	}
	if err := checkMutable(in.PolicyID); err != nil {
		return nil, err
	}
	return done(s.store.DeleteOrgPolicy(ctx, in.PolicyID))
}

type listPoliciesInput struct {
	Filter string
	pageArgs
}

type listPoliciesOutput struct {
	Policies  []policySummary
	NextToken string `json:",omitempty"`
}

func (s *Service) listPolicies(ctx context.Context, in *listPoliciesInput) (*listPoliciesOutput, error) {
	if err := checkPolicyType("filter", in.Filter, false); err != nil {
		return nil, err
	}
	limit, err := protocol.Limit(in.MaxResults, defaultPage, maxPage)
	if err != nil {
		return nil, err
	}
	ps, next, err := s.store.ListOrgPolicies(ctx, in.Filter, store.Page{Limit: limit, Token: in.NextToken})
	if err != nil {
		return nil, invalidToken(err)
	}
	return s.summariesOut(ctx, ps, next)
}

func (s *Service) summariesOut(ctx context.Context, ps []ic.OrgPolicy, next string) (*listPoliciesOutput, error) {
	o, err := s.org(ctx)
	if err != nil {
		return nil, err
	}
	out := &listPoliciesOutput{Policies: []policySummary{}, NextToken: next}
	for _, p := range ps {
		out.Policies = append(out.Policies, summaryOut(o, p))
	}
	return out, nil
}
