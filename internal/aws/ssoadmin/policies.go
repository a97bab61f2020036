package ssoadmin

import (
	"context"
	"encoding/base64"
	"regexp"
	"slices"
	"unicode/utf8"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// Quotas on a permission set's policies. Identity Center allows 20 AWS and
// customer managed policies per permission set, together (not adjustable); see
// docs/operator-guide.md for why keyward enforces 20 rather than IAM's
// default of 10 managed policies per role.
const (
	maxManagedPolicies = 20
	maxInlinePolicy    = 32768
)

type managedPolicyInput struct {
	permissionSetRef
	ManagedPolicyArn string
}

// managedPolicyARN checks the ARN's shape and partition: the first thing
// both attach and detach do, before anything is looked up.
func managedPolicyARN(arn string) error {
	if err := protocol.Required("managedPolicyArn", arn); err != nil {
		return err
	}
	return ic.CheckManagedPolicyARN(arn)
}

func (s *Service) attachManagedPolicy(ctx context.Context, in *managedPolicyInput) (*struct{}, error) {
	if err := managedPolicyARN(in.ManagedPolicyArn); err != nil {
		return nil, err
	}
	if _, ok := iam.LookupManaged(in.ManagedPolicyArn); !ok {
		return nil, errs.E(errs.NotFound, "Could not find AWS managed policy %s", in.ManagedPolicyArn)
	}
	return &struct{}{}, s.update(ctx, in.InstanceArn, in.PermissionSetArn, func(ps *ic.PermissionSet) error {
		if slices.Contains(ps.ManagedPolicies, in.ManagedPolicyArn) {
			return errs.E(errs.Conflict, "Policy %s is already attached to the permission set", in.ManagedPolicyArn)
		}
		if err := checkPolicyQuota(*ps); err != nil {
			return err
		}
		ps.ManagedPolicies = append(ps.ManagedPolicies, in.ManagedPolicyArn)
		ps.Version++
		return nil
	})
}

func (s *Service) detachManagedPolicy(ctx context.Context, in *managedPolicyInput) (*struct{}, error) {
	if err := managedPolicyARN(in.ManagedPolicyArn); err != nil {
		return nil, err
	}
	return &struct{}{}, s.update(ctx, in.InstanceArn, in.PermissionSetArn, func(ps *ic.PermissionSet) error {
		i := slices.Index(ps.ManagedPolicies, in.ManagedPolicyArn)
		if i < 0 {
			return errs.E(errs.NotFound, "Policy %s is not attached to the permission set", in.ManagedPolicyArn)
		}
		ps.ManagedPolicies = slices.Delete(ps.ManagedPolicies, i, i+1)
		ps.Version++
		return nil
	})
}

// checkPolicyQuota refuses one more managed policy, AWS or customer
// managed, when the permission set holds its quota of them together.
func checkPolicyQuota(ps ic.PermissionSet) error {
	if len(ps.ManagedPolicies)+len(ps.CustomerPolicies) >= maxManagedPolicies {
		return errs.E(errs.Invalid, "a permission set holds at most %d managed policies, AWS and customer managed together", maxManagedPolicies).
			WithCode("ServiceQuotaExceededException")
	}
	return nil
}

type attachedPolicy struct {
	Name string
	Arn  string
}

type listManagedPoliciesInput struct {
	permissionSetRef
	MaxResults *int
	NextToken  string
}

type listManagedPoliciesOutput struct {
	AttachedManagedPolicies []attachedPolicy
	NextToken               string `json:",omitempty"`
}

func (s *Service) listManagedPolicies(ctx context.Context, in *listManagedPoliciesInput) (*listManagedPoliciesOutput, error) {
	ps, limit, err := s.policyList(ctx, in)
	if err != nil {
		return nil, err
	}
	start, end, next, err := policyPage(ps.ManagedPolicies, limit, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &listManagedPoliciesOutput{AttachedManagedPolicies: []attachedPolicy{}, NextToken: next}
	for _, arn := range ps.ManagedPolicies[start:end] {
		p, _ := iam.LookupManaged(arn)
		out.AttachedManagedPolicies = append(out.AttachedManagedPolicies, attachedPolicy{Name: p.Name, Arn: arn})
	}
	return out, nil
}

// policyList resolves a policy list's permission set and page size.
func (s *Service) policyList(ctx context.Context, in *listManagedPoliciesInput) (ic.PermissionSet, int, error) {
	ps, err := s.permissionSet(ctx, in.InstanceArn, in.PermissionSetArn)
	if err != nil {
		return ps, 0, err
	}
	limit, err := protocol.Limit(in.MaxResults, 100, 100)
	return ps, limit, err
}

// policyPage bounds a page of up to limit of a permission set's policies
// (keys names each), in the order they were attached, starting after the
// one token names, and gives the token of the next page. The policies live
// in the permission set rather than in a table the store pages, so the
// token is the opaque key of its page's last policy; a token naming no
// attached policy (forged, or detached since) is invalid, with the store's
// message.
func policyPage(keys []string, limit int, token string) (start, end int, next string, err error) {
	if token != "" {
		last, err := base64.RawURLEncoding.DecodeString(token)
		i := slices.Index(keys, string(last))
		if err != nil || i < 0 {
			return 0, 0, "", errs.E(errs.Invalid, "invalid NextToken")
		}
		start = i + 1
	}
	end = min(start+limit, len(keys))
	if end < len(keys) {
		next = base64.RawURLEncoding.EncodeToString([]byte(keys[end-1]))
	}
	return start, end, next, nil
}

type putInlinePolicyInput struct {
	permissionSetRef
	InlinePolicy string
}

// inlinePolicyPattern is the service model's PermissionSetPolicyDocument.
var inlinePolicyPattern = regexp.MustCompile(`^[\t\n\r\x{20}-\x{FF}]+$`)

func (s *Service) putInlinePolicy(ctx context.Context, in *putInlinePolicyInput) (*struct{}, error) {
	if in.InlinePolicy == "" || utf8.RuneCountInString(in.InlinePolicy) > maxInlinePolicy {
		return nil, errs.E(errs.Invalid, "InlinePolicy must be 1 to %d characters", maxInlinePolicy)
	}
	if !inlinePolicyPattern.MatchString(in.InlinePolicy) {
		return nil, errs.E(errs.Invalid, "InlinePolicy may hold only tabs, line breaks and characters U+0020 to U+00FF")
	}
	if _, err := iam.ParseIdentityPolicy([]byte(in.InlinePolicy)); err != nil {
		return nil, errs.E(errs.Invalid, "%s", err.Error())
	}
	return &struct{}{}, s.update(ctx, in.InstanceArn, in.PermissionSetArn, func(ps *ic.PermissionSet) error {
		ps.InlinePolicy = in.InlinePolicy
		ps.Version++
		return nil
	})
}

type inlinePolicyOutput struct{ InlinePolicy string }

func (s *Service) getInlinePolicy(ctx context.Context, in *permissionSetRef) (*inlinePolicyOutput, error) {
	ps, err := s.permissionSet(ctx, in.InstanceArn, in.PermissionSetArn)
	if err != nil {
		return nil, err
	}
	return &inlinePolicyOutput{InlinePolicy: ps.InlinePolicy}, nil
}

func (s *Service) deleteInlinePolicy(ctx context.Context, in *permissionSetRef) (*struct{}, error) {
	return &struct{}{}, s.update(ctx, in.InstanceArn, in.PermissionSetArn, func(ps *ic.PermissionSet) error {
		if ps.InlinePolicy != "" {
			ps.InlinePolicy = ""
			ps.Version++
		}
		return nil
	})
}
