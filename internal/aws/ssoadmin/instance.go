package ssoadmin

import (
	"context"
	"regexp"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// The instance: keyward has exactly one, the organization instance its
// first start creates. It can be renamed and tagged, not created again.

type instanceRef struct{ InstanceArn string }

type describeInstanceOutput struct {
	instanceOut
	PermissionSetsEnabled bool
}

func (s *Service) describeInstance(ctx context.Context, in *instanceRef) (*describeInstanceOutput, error) {
	inst, err := s.checkInstance(ctx, in.InstanceArn)
	if err != nil {
		return nil, err
	}
	return &describeInstanceOutput{instanceOut: toInstanceOut(inst), PermissionSetsEnabled: true}, nil
}

func toInstanceOut(inst ic.Instance) instanceOut {
	return instanceOut{InstanceArn: inst.ARN(), IdentityStoreID: inst.IdentityStoreID, OwnerAccountID: inst.OwnerAccountID,
		Name: inst.Name, CreatedDate: protocol.Time(inst.CreatedAt), Status: "ACTIVE"}
}

type updateInstanceInput struct {
	InstanceArn             string
	Name                    *string
	EncryptionConfiguration *struct{ KeyType, KmsKeyArn string }
}

// instanceNameRe is the service model's NameType.
var instanceNameRe = regexp.MustCompile(`^[\w+=,.@-]{0,255}$`)

func checkInstanceName(name string) error {
	if !instanceNameRe.MatchString(name) {
		return errs.E(errs.Invalid, "Name %.260q must be at most 255 letters, digits and +=,.@_-", name)
	}
	return nil
}

func (s *Service) updateInstance(ctx context.Context, in *updateInstanceInput) (*struct{}, error) {
	if _, err := s.checkInstance(ctx, in.InstanceArn); err != nil {
		return nil, err
	}
	if in.EncryptionConfiguration != nil && in.EncryptionConfiguration.KeyType != "AWS_OWNED_KMS_KEY" {
		return nil, errs.E(errs.Invalid, "keyward encrypts with its own key: EncryptionConfiguration.KeyType must be AWS_OWNED_KMS_KEY")
	}
	if in.Name == nil {
		return &struct{}{}, nil
	}
	if err := checkInstanceName(*in.Name); err != nil {
		return nil, err
	}
	_, err := s.store.UpdateInstance(ctx, func(i ic.Instance) (ic.Instance, error) {
		i.Name = *in.Name
		return i, nil
	})
	return &struct{}{}, err
}

type createInstanceInput struct {
	Name        string
	ClientToken string
	Tags        []ic.Tag
}

// ResourceARN is "*": CreateInstance names no existing resource.
func (in *createInstanceInput) ResourceARN(string) string { return "*" }

// createInstance answers as Identity Center does in an organization's
// management account that already has its organization instance.
func (s *Service) createInstance(ctx context.Context, in *createInstanceInput) (*struct{}, error) {
	if err := checkInstanceName(in.Name); err != nil {
		return nil, err
	}
	if err := ic.ValidateTags(in.Tags); err != nil {
		return nil, err
	}
	inst, err := s.store.Instance(ctx)
	if err != nil {
		return nil, err
	}
	return nil, errs.E(errs.Conflict, "An organization instance of IAM Identity Center already exists: %s. keyward serves one instance.", inst.ARN())
}
