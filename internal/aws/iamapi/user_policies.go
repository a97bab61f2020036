package iamapi

import (
	"context"
	"strings"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

// owner is the user or group whose policies an operation changes.
type owner struct {
	id, name string
	group    bool
}

func (o owner) kind() string {
	if o.group {
		return "group"
	}
	return "user"
}

func (s *Service) userOwner(ctx context.Context, name string) (owner, error) {
	u, err := s.user(ctx, name)
	return owner{id: u.ID, name: u.Name}, err
}

func (s *Service) groupOwner(ctx context.Context, name string) (owner, error) {
	g, err := s.group(ctx, name)
	return owner{id: g.ID, name: g.Name, group: true}, err
}

// attachableARN checks that arn names a managed policy the caller may
// attach (AWS's, or one of the account's own) and returns the policy's own
// ARN: names are case-insensitive, so arn may spell it in another case, and
// what is stored must be the ARN the policy is counted and found by.
func (s *Service) attachableARN(ctx context.Context, arn string) (string, error) {
	acct, err := callerAccount(ctx)
	if err != nil {
		return "", err
	}
	ref, err := s.lookupPolicy(ctx, acct, arn)
	if err != nil {
		return "", err
	}
	return ref.arn, nil
}

// attachedARN is the ARN to detach: the policy's own when arn names one,
// else arn as given (it then matches nothing, or a policy no longer known).
func (s *Service) attachedARN(ctx context.Context, arn string) (string, error) {
	own, err := s.attachableARN(ctx, arn)
	if errs.Is(err, errs.NotFound) {
		return arn, nil
	}
	return own, err
}

type putPolicyInput struct {
	UserName       string
	GroupName      string
	PolicyName     string
	PolicyDocument string
}

func (s *Service) putInlinePolicy(ctx context.Context, o owner, in *putPolicyInput) (*empty, error) {
	if err := iam.ValidateName("policyName", in.PolicyName, iam.MaxPolicyNameLen); err != nil {
		return nil, err
	}
	if err := iam.ValidateIdentityPolicy("policyDocument", in.PolicyDocument); err != nil {
		return nil, err
	}
	err := s.store.PutIAMInlinePolicy(ctx, o.id, iam.InlinePolicy{Name: in.PolicyName, Document: in.PolicyDocument})
	if e, ok := errs.As(err); ok && e.Kind == errs.Conflict && e.Field == store.FieldLimit {
		return nil, errs.E(errs.Conflict, "Maximum policy size of %d bytes exceeded for %s %s", inlineLimit(o), o.kind(), o.name).
			WithCode("LimitExceeded")
	}
	return &empty{}, s.ownerGone(err, o)
}

// inlineLimit is the owner's quota of inline policy characters, all its
// inline policies together as iam.PolicySize counts them (the store checks
// it in the write's transaction).
func inlineLimit(o owner) int {
	if o.group {
		return iam.MaxGroupInlinePolicySize
	}
	return iam.MaxUserInlinePolicySize
}

// ownerGone words a user or group deleted mid-call.
func (s *Service) ownerGone(err error, o owner) error {
	if e, ok := errs.As(err); ok && e.Kind == errs.NotFound && (e.ResourceType == store.ResourceIAMUser || e.ResourceType == store.ResourceIAMGroup) {
		if o.group {
			return noSuchGroup(o.name)
		}
		return noSuchUser(o.name)
	}
	return err
}

type policyNameInput struct {
	UserName   string
	GroupName  string
	PolicyName string
}

type getPolicyResult struct {
	UserName       string `xml:",omitempty"`
	GroupName      string `xml:",omitempty"`
	PolicyName     string
	PolicyDocument string
}

func (s *Service) getInlinePolicy(ctx context.Context, o owner, name string) (*getPolicyResult, error) {
	if err := iam.ValidateName("policyName", name, iam.MaxPolicyNameLen); err != nil {
		return nil, err
	}
	p, err := s.store.IAMInlinePolicy(ctx, o.id, name)
	if errs.Is(err, errs.NotFound) {
		return nil, errs.E(errs.NotFound, "The %s policy with name %s cannot be found.", o.kind(), name)
	}
	if err != nil {
		return nil, err
	}
	out := &getPolicyResult{PolicyName: p.Name, PolicyDocument: encodeDocument(p.Document)}
	if o.group {
		out.GroupName = o.name
	} else {
		out.UserName = o.name
	}
	return out, nil
}

type ownerPoliciesInput struct {
	UserName   string
	GroupName  string
	PathPrefix string
	Marker     string
	MaxItems   *int
}

type listPolicyNamesResult struct {
	PolicyNames []string `xml:"PolicyNames>member"`
	truncation
}

func (s *Service) listInlinePolicies(ctx context.Context, o owner, in *ownerPoliciesInput) (*listPolicyNamesResult, error) {
	p, err := page(in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	names, next, err := s.store.ListIAMInlinePolicies(ctx, o.id, p)
	if err != nil {
		return nil, badMarker(err)
	}
	return &listPolicyNamesResult{PolicyNames: names, truncation: truncated(next)}, nil
}

func (s *Service) deleteInlinePolicy(ctx context.Context, o owner, name string) (*empty, error) {
	err := s.store.DeleteIAMInlinePolicy(ctx, o.id, name)
	if errs.Is(err, errs.NotFound) {
		return nil, errs.E(errs.NotFound, "The %s policy with name %s cannot be found.", o.kind(), name)
	}
	return &empty{}, err
}

type attachInput struct {
	UserName  string
	GroupName string
	PolicyArn string
}

func (s *Service) attach(ctx context.Context, o owner, arn string) (*empty, error) {
	own, err := s.attachableARN(ctx, arn)
	if err != nil {
		return nil, err
	}
	err = s.store.AttachIAMPolicy(ctx, o.id, own)
	if errs.Is(err, errs.Conflict) {
		quota := "PoliciesPerUser"
		if o.group {
			quota = "PoliciesPerGroup"
		}
		return nil, errs.E(errs.Conflict, "Cannot exceed quota for %s: %d", quota, iam.MaxAttachedPolicies).WithCode("LimitExceeded")
	}
	return &empty{}, s.ownerGone(err, o)
}

func (s *Service) detach(ctx context.Context, o owner, arn string) (*empty, error) {
	own, err := s.attachedARN(ctx, arn)
	if err != nil {
		return nil, err
	}
	err = s.store.DetachIAMPolicy(ctx, o.id, own)
	if errs.Is(err, errs.NotFound) {
		return nil, errs.E(errs.NotFound, "Policy %s was not found.", arn)
	}
	return &empty{}, err
}

func (s *Service) listAttached(ctx context.Context, o owner, in *ownerPoliciesInput) (*listAttachedResult, error) {
	prefix, p, err := prefixedPage(in.PathPrefix, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	arns, next, err := s.store.ListIAMAttachedPolicies(ctx, o.id, p)
	if err != nil {
		return nil, badMarker(err)
	}
	out := &listAttachedResult{truncation: truncated(next)}
	for _, arn := range arns {
		if _, path, _, _ := iam.ParsePolicyARN(arn); strings.HasPrefix(path, prefix) {
			out.AttachedPolicies.Member = append(out.AttachedPolicies.Member, attachedOut(arn))
		}
	}
	return out, nil
}
