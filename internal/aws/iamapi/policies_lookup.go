package iamapi

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

// awsPolicyDate stands in for the creation and update dates of AWS managed
// policies, which the catalog does not hold.
var awsPolicyDate = time.Date(2015, 2, 6, 18, 39, 46, 0, time.UTC)

// maxARNLen is IAM's bound on a policy ARN member.
const maxARNLen = 2048

// policyRef is a managed policy an ARN names: AWS's (from the catalog) or
// one of the caller's own.
type policyRef struct {
	arn      string
	aws      *iam.ManagedPolicy
	customer *iam.Policy
}

func noSuchPolicy(arn string) error {
	return errs.E(errs.NotFound, "Policy %s does not exist or is not attachable.", arn).WithCode("NoSuchEntity")
}

// checkPolicyARN checks that arn is a managed policy's ARN.
func checkPolicyARN(arn string) error {
	if arn == "" {
		return iam.Invalid("policyArn", arn, "Member must have length greater than or equal to 20")
	}
	if len(arn) > maxARNLen {
		return iam.Invalid("policyArn", arn, "Member must have length less than or equal to 2048")
	}
	if _, _, _, ok := iam.ParsePolicyARN(arn); !ok {
		return errs.E(errs.Invalid, "ARN %s is not valid.", clipARN(arn)).WithCode("InvalidInput")
	}
	return nil
}

func clipARN(s string) string {
	if len(s) > 256 {
		return s[:256] + "..."
	}
	return s
}

// lookupPolicy resolves a managed policy ARN the caller may use.
func (s *Service) lookupPolicy(ctx context.Context, account, arn string) (policyRef, error) {
	if err := checkPolicyARN(arn); err != nil {
		return policyRef{}, err
	}
	owner, path, name, _ := iam.ParsePolicyARN(arn)
	switch owner {
	case iam.AWSAccount:
		p, ok := iam.LookupManaged(arn)
		if !ok || strings.HasPrefix(path, "/aws-service-role/") {
			return policyRef{}, noSuchPolicy(arn)
		}
		return policyRef{arn: arn, aws: &p}, nil
	case account:
		p, err := s.store.IAMPolicy(ctx, account, name)
		if errs.Is(err, errs.NotFound) || (err == nil && p.Path != path) {
			return policyRef{}, noSuchPolicy(arn)
		}
		if err != nil {
			return policyRef{}, err
		}
		return policyRef{arn: p.ARN(), customer: &p}, nil
	}
	return policyRef{}, noSuchPolicy(arn)
}

// callerPolicy resolves a managed policy ARN for the caller's account.
func (s *Service) callerPolicy(ctx context.Context, arn string) (string, policyRef, error) {
	account, err := callerAccount(ctx)
	if err != nil {
		return "", policyRef{}, err
	}
	ref, err := s.lookupPolicy(ctx, account, arn)
	return account, ref, err
}

// customerPolicy resolves an ARN that must name one of the caller's own
// policies (AWS managed ones cannot be changed).
func (s *Service) customerPolicy(ctx context.Context, arn string) (string, iam.Policy, error) {
	account, ref, err := s.callerPolicy(ctx, arn)
	if err != nil {
		return "", iam.Policy{}, err
	}
	if ref.customer == nil {
		return "", iam.Policy{}, errs.E(errs.Invalid, "Cannot perform the operation on the AWS managed policy %s.", arn).
			WithCode("InvalidInput")
	}
	return account, *ref.customer, nil
}

// checkBoundary checks a permissions boundary ARN ("" is none) and
// returns the policy's own ARN (arn may spell its name in another case).
func (s *Service) checkBoundary(ctx context.Context, account, arn string) (string, error) {
	if arn == "" {
		return "", nil
	}
	ref, err := s.lookupPolicy(ctx, account, arn)
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			return "", errs.E(errs.NotFound, "Scope ARN: %s does not exist or is not attachable.", arn).WithCode("NoSuchEntity")
		}
		return "", err
	}
	return ref.arn, nil
}

// awsPolicyID is a stable id for an AWS managed policy (the catalog holds
// none): "ANPA" and 17 characters derived from its ARN.
func awsPolicyID(arn string) string {
	sum := sha256.Sum256([]byte(arn))
	return iam.PrefixPolicyID + base32.StdEncoding.EncodeToString(sum[:])[:17]
}

// awsPolicyOut is an AWS managed policy in IAM's Policy shape.
func awsPolicyOut(p iam.ManagedPolicy, use store.PolicyUse) policyXML {
	return policyXML{PolicyName: p.Name, PolicyID: awsPolicyID(p.ARN), Arn: p.ARN, Path: p.Path, DefaultVersionID: "v1",
		AttachmentCount: use.Attachments, PermissionsBoundaryUsageCount: use.Boundaries, IsAttachable: true,
		Description: p.Description, CreateDate: isoTime(awsPolicyDate), UpdateDate: isoTime(awsPolicyDate)}
}

// customerPolicyOut is one of the caller's policies in IAM's Policy shape.
func customerPolicyOut(p iam.Policy, use store.PolicyUse, withTags bool) policyXML {
	out := policyXML{PolicyName: p.Name, PolicyID: p.ID, Arn: p.ARN(), Path: p.Path, DefaultVersionID: p.DefaultVersion,
		AttachmentCount: use.Attachments, PermissionsBoundaryUsageCount: use.Boundaries, IsAttachable: true,
		Description: p.Description, CreateDate: isoTime(p.CreatedAt), UpdateDate: isoTime(p.UpdatedAt)}
	if withTags && len(p.Tags) > 0 {
		t := tagsOut(p.Tags)
		out.Tags = &t
	}
	return out
}
