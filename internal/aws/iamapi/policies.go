package iamapi

import (
	"context"
	"strings"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

type createPolicyInput struct {
	PolicyName     string
	Path           string
	PolicyDocument string
	Description    string
	Tags           []tagIn
}

type policyResult struct{ Policy policyXML }

func (s *Service) createPolicy(ctx context.Context, in *createPolicyInput) (*policyResult, error) {
	account, err := callerAccount(ctx)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	p := iam.Policy{AccountID: account, ID: iam.NewPolicyID(s.random), Name: in.PolicyName, Path: in.Path,
		Description: in.Description, DefaultVersion: iam.VersionID(1), Tags: tagsIn(in.Tags), CreatedAt: now, UpdatedAt: now}
	if p.Path == "" {
		p.Path = "/"
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := iam.ValidateManagedDocument(in.PolicyDocument); err != nil {
		return nil, err
	}
	v := iam.PolicyVersion{VersionID: p.DefaultVersion, Document: in.PolicyDocument, IsDefault: true, CreatedAt: now}
	if err := s.store.CreateIAMPolicy(ctx, p, v); err != nil {
		if e, ok := errs.As(err); ok && e.Kind == errs.Conflict && e.Field == store.FieldName {
			return nil, errs.E(errs.Conflict, "A policy called %s already exists. Duplicate names are not allowed.", p.Name).
				WithCode("EntityAlreadyExists")
		}
		return nil, err
	}
	return &policyResult{Policy: customerPolicyOut(p, store.PolicyUse{}, true)}, nil
}

type policyARNInput struct{ PolicyArn string }

func (s *Service) getPolicy(ctx context.Context, in *policyARNInput) (*policyResult, error) {
	account, ref, err := s.callerPolicy(ctx, in.PolicyArn)
	if err != nil {
		return nil, err
	}
	uses, err := s.policyUses(ctx, account)
	if err != nil {
		return nil, err
	}
	if ref.aws != nil {
		return &policyResult{Policy: awsPolicyOut(*ref.aws, uses[ref.arn])}, nil
	}
	return &policyResult{Policy: customerPolicyOut(*ref.customer, uses[ref.arn], true)}, nil
}

func (s *Service) deletePolicy(ctx context.Context, in *policyARNInput) (*emptyResult, error) {
	account, p, err := s.customerPolicy(ctx, in.PolicyArn)
	if err != nil {
		return nil, err
	}
	return &emptyResult{}, wordPolicyError(s.store.DeleteIAMPolicy(ctx, account, p.Name), in.PolicyArn)
}

// wordPolicyError words the store's errors about a policy as IAM does
// (the store words its DeleteConflict and LimitExceeded itself).
func wordPolicyError(err error, arn string) error {
	if e, ok := errs.As(err); ok && e.Kind == errs.NotFound && e.ResourceType == store.ResourceIAMPolicy {
		return noSuchPolicy(arn)
	}
	return err
}

type tagPolicyInput struct {
	PolicyArn string
	Tags      []tagIn
}

func (s *Service) tagPolicy(ctx context.Context, in *tagPolicyInput) (*emptyResult, error) {
	add := tagsIn(in.Tags)
	if err := iam.ValidateTags("tags", add); err != nil {
		return nil, err
	}
	return s.changePolicyTags(ctx, in.PolicyArn, func(tags []iam.Tag) ([]iam.Tag, error) { return iam.MergeTags(tags, add) })
}

type untagPolicyInput struct {
	PolicyArn string
	TagKeys   []string
}

func (s *Service) untagPolicy(ctx context.Context, in *untagPolicyInput) (*emptyResult, error) {
	if err := checkTagKeys(in.TagKeys); err != nil {
		return nil, err
	}
	return s.changePolicyTags(ctx, in.PolicyArn, func(tags []iam.Tag) ([]iam.Tag, error) { return iam.RemoveTags(tags, in.TagKeys), nil })
}

func (s *Service) changePolicyTags(ctx context.Context, arn string, change func([]iam.Tag) ([]iam.Tag, error)) (*emptyResult, error) {
	account, p, err := s.customerPolicy(ctx, arn)
	if err != nil {
		return nil, err
	}
	_, err = s.store.UpdateIAMPolicy(ctx, account, p.Name, func(p iam.Policy) (iam.Policy, error) {
		tags, err := change(p.Tags)
		p.Tags = tags
		return p, err
	})
	return &emptyResult{}, wordPolicyError(err, arn)
}

type listPolicyTagsInput struct {
	PolicyArn string
	Marker    string
	MaxItems  *int
}

func (s *Service) listPolicyTags(ctx context.Context, in *listPolicyTagsInput) (*tagsResult, error) {
	p, err := page(in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	_, ref, err := s.callerPolicy(ctx, in.PolicyArn)
	if err != nil || ref.customer == nil {
		return &tagsResult{Tags: list[tagXML](nil)}, err
	}
	return pageTags(ref.customer.Tags, p)
}

type listPoliciesInput struct {
	Scope             string
	OnlyAttached      bool
	PathPrefix        string
	PolicyUsageFilter string
	Marker            string
	MaxItems          *int
}

type listPoliciesResult struct {
	Policies members[policyXML]
	truncation
}

// listPolicies pages the caller's own policies ("l" Markers), then AWS's
// ("a" Markers), as Scope asks.
func (s *Service) listPolicies(ctx context.Context, in *listPoliciesInput) (*listPoliciesResult, error) {
	account, err := callerAccount(ctx)
	if err != nil {
		return nil, err
	}
	f, err := policyFilter(in)
	if err != nil {
		return nil, err
	}
	p, err := page(in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	uses, err := s.policyUses(ctx, account)
	if err != nil {
		return nil, err
	}
	out, next, err := s.pagePolicies(ctx, account, in.Scope, f, uses, p)
	if err != nil {
		return nil, badMarker(err)
	}
	return &listPoliciesResult{Policies: list(out), truncation: truncated(next)}, nil
}

func policyFilter(in *listPoliciesInput) (store.PolicyFilter, error) {
	prefix, err := pathPrefix(in.PathPrefix)
	if err != nil {
		return store.PolicyFilter{}, err
	}
	switch in.Scope {
	case "", "All", "AWS", "Local":
	default:
		return store.PolicyFilter{}, iam.Invalid("scope", in.Scope, "Member must satisfy enum value set: [All, AWS, Local]")
	}
	switch in.PolicyUsageFilter {
	case "", store.UsagePermissions, store.UsageBoundary:
	default:
		return store.PolicyFilter{}, iam.Invalid("policyUsageFilter", in.PolicyUsageFilter,
			"Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]")
	}
	return store.PolicyFilter{PathPrefix: prefix, OnlyAttached: in.OnlyAttached, Usage: in.PolicyUsageFilter}, nil
}

func (s *Service) pagePolicies(ctx context.Context, account, scope string, f store.PolicyFilter, uses map[string]store.PolicyUse, p store.Page) ([]policyXML, string, error) {
	var out []policyXML
	phase, token := "l", ""
	if scope == "AWS" {
		phase = "a"
	}
	if p.Token != "" {
		phase, token = p.Token[:1], p.Token[1:]
	}
	if phase == "l" && scope != "AWS" {
		page, next, err := s.store.ListIAMPolicies(ctx, account, f, store.Page{Limit: p.Limit, Token: token})
		for _, pol := range page {
			out = append(out, customerPolicyOut(pol, uses[pol.ARN()], false))
		}
		if err != nil || next != "" || scope == "Local" {
			return out, prefixed("l", next), err
		}
		phase, token = "a", ""
	}
	if phase != "a" || scope == "Local" {
		return nil, "", errs.E(errs.Invalid, "bad marker")
	}
	more, next, err := pageSlice(awsPolicies(f, uses), store.Page{Limit: p.Limit - len(out), Token: token})
	return append(out, more...), prefixed("a", next), err
}

// awsPolicies lists the catalog's attachable policies that pass f.
func awsPolicies(f store.PolicyFilter, uses map[string]store.PolicyUse) []policyXML {
	var out []policyXML
	for _, p := range iam.ManagedPolicies() {
		use := uses[p.ARN]
		if !strings.HasPrefix(p.Path, f.PathPrefix) || strings.HasPrefix(p.Path, "/aws-service-role/") || !usedAs(f, use) {
			continue
		}
		out = append(out, awsPolicyOut(p, use))
	}
	return out
}

// usedAs applies ListPolicies' OnlyAttached and PolicyUsageFilter.
func usedAs(f store.PolicyFilter, use store.PolicyUse) bool {
	switch {
	case f.Usage == store.UsagePermissions:
		return use.Attachments > 0
	case f.Usage == store.UsageBoundary:
		return use.Boundaries > 0
	case f.OnlyAttached:
		return use.Attachments+use.Boundaries > 0
	}
	return true
}
