package iamapi

import (
	"context"
	"regexp"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

var versionIDRe = regexp.MustCompile(`^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$`)

func checkVersionID(id string) error {
	if !versionIDRe.MatchString(id) {
		return iam.Invalid("versionId", id, `Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`)
	}
	return nil
}

func noSuchVersion(arn, id string) error {
	return errs.E(errs.NotFound, "Policy %s version %s does not exist or is not attachable.", arn, id).WithCode("NoSuchEntity")
}

// wordVersionError words the store's errors about a policy version.
func wordVersionError(err error, arn, id string) error {
	if e, ok := errs.As(err); ok && e.Kind == errs.NotFound && e.ResourceType == store.ResourceIAMPolicyVersion {
		return noSuchVersion(arn, id)
	}
	return wordPolicyError(err, arn)
}

type createPolicyVersionInput struct {
	PolicyArn      string
	PolicyDocument string
	SetAsDefault   bool
}

type versionResult struct{ PolicyVersion versionXML }

func (s *Service) createPolicyVersion(ctx context.Context, in *createPolicyVersionInput) (*versionResult, error) {
	account, p, err := s.customerPolicy(ctx, in.PolicyArn)
	if err != nil {
		return nil, err
	}
	if err := iam.ValidateManagedDocument(in.PolicyDocument); err != nil {
		return nil, err
	}
	v, err := s.store.CreatePolicyVersion(ctx, account, p.Name, in.PolicyDocument, in.SetAsDefault, s.clock.Now())
	if err != nil {
		return nil, wordPolicyError(err, in.PolicyArn)
	}
	v.Document = "" // CreatePolicyVersion does not echo the document
	return &versionResult{PolicyVersion: versionOut(v)}, nil
}

type policyVersionInput struct {
	PolicyArn string
	VersionID string `query:"VersionId"`
}

func (s *Service) getPolicyVersion(ctx context.Context, in *policyVersionInput) (*versionResult, error) {
	if err := checkVersionID(in.VersionID); err != nil {
		return nil, err
	}
	account, ref, err := s.callerPolicy(ctx, in.PolicyArn)
	if err != nil {
		return nil, err
	}
	if ref.aws != nil {
		if in.VersionID != "v1" || len(ref.aws.Document) == 0 {
			return nil, noSuchVersion(in.PolicyArn, in.VersionID)
		}
		v := iam.PolicyVersion{VersionID: "v1", Document: string(ref.aws.Document), IsDefault: true, CreatedAt: awsPolicyDate}
		return &versionResult{PolicyVersion: versionOut(v)}, nil
	}
	v, err := s.store.PolicyVersion(ctx, account, ref.customer.Name, in.VersionID)
	if err != nil {
		return nil, wordVersionError(err, in.PolicyArn, in.VersionID)
	}
	return &versionResult{PolicyVersion: versionOut(v)}, nil
}

type listPolicyVersionsInput struct {
	PolicyArn string
	Marker    string
	MaxItems  *int
}

type listVersionsResult struct {
	Versions members[versionXML]
	truncation
}

func (s *Service) listPolicyVersions(ctx context.Context, in *listPolicyVersionsInput) (*listVersionsResult, error) {
	p, err := page(in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	account, ref, err := s.callerPolicy(ctx, in.PolicyArn)
	if err != nil {
		return nil, err
	}
	versions := []iam.PolicyVersion{{VersionID: "v1", IsDefault: true, CreatedAt: awsPolicyDate}}
	if ref.customer != nil {
		if versions, err = s.store.ListPolicyVersions(ctx, account, ref.customer.Name); err != nil {
			return nil, wordPolicyError(err, in.PolicyArn)
		}
	}
	out := make([]versionXML, len(versions))
	for i, v := range versions {
		v.Document = "" // ListPolicyVersions leaves documents out
		out[i] = versionOut(v)
	}
	page, next, err := pageSlice(out, p)
	if err != nil {
		return nil, err
	}
	return &listVersionsResult{Versions: list(page), truncation: truncated(next)}, nil
}

func (s *Service) deletePolicyVersion(ctx context.Context, in *policyVersionInput) (*emptyResult, error) {
	return s.changeVersion(ctx, in, s.store.DeletePolicyVersion)
}

func (s *Service) setDefaultPolicyVersion(ctx context.Context, in *policyVersionInput) (*emptyResult, error) {
	return s.changeVersion(ctx, in, s.store.SetDefaultPolicyVersion)
}

// changeVersion checks a version of one of the caller's policies and
// applies change to it.
func (s *Service) changeVersion(ctx context.Context, in *policyVersionInput, change func(ctx context.Context, account, name, id string) error) (*emptyResult, error) {
	if err := checkVersionID(in.VersionID); err != nil {
		return nil, err
	}
	account, p, err := s.customerPolicy(ctx, in.PolicyArn)
	if err != nil {
		return nil, err
	}
	return &emptyResult{}, wordVersionError(change(ctx, account, p.Name, in.VersionID), in.PolicyArn, in.VersionID)
}
