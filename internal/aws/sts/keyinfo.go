package sts

import (
	"context"
	"regexp"
	"strings"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// KeyOwners finds the account of a long-term access key.
type KeyOwners interface {
	AccessKey(ctx context.Context, id string) (ic.AccessKey, error)
	IAMAccessKey(ctx context.Context, id string) (iam.AccessKey, iam.User, error)
}

var accessKeyIDRe = regexp.MustCompile(`^\w{16,128}$`)

type getAccessKeyInfoInput struct {
	AccessKeyID string `query:"AccessKeyId"`
}

// Validate checks the key id against STS's model.
func (in *getAccessKeyInfoInput) Validate() error {
	if !accessKeyIDRe.MatchString(in.AccessKeyID) {
		return iam.Invalid("accessKeyId", in.AccessKeyID, `Member must satisfy regular expression pattern: [\w]* and have length between 16 and 128`)
	}
	return nil
}

type getAccessKeyInfoOutput struct {
	Account string
}

// getAccessKeyInfo names the account of any access key id. keyward's
// temporary (ASIA) key ids carry their account as AWS's do; its long-term
// (AKIA) keys are random, so they are looked up: root keys, then IAM users'.
// A key id keyward does not know is decoded as AWS encodes accounts, which
// answers correctly for keys AWS issued, as AWS does.
func (s *Service) getAccessKeyInfo(ctx context.Context, in *getAccessKeyInfoInput) (*getAccessKeyInfoOutput, error) {
	id := in.AccessKeyID
	if owners, ok := s.store.(KeyOwners); ok && !strings.HasPrefix(id, iam.PrefixTemporaryAccessKey) {
		if k, err := owners.AccessKey(ctx, id); err == nil {
			return &getAccessKeyInfoOutput{Account: k.AccountID}, nil
		} else if !errs.Is(err, errs.NotFound) {
			return nil, err
		}
		if k, _, err := owners.IAMAccessKey(ctx, id); err == nil {
			return &getAccessKeyInfoOutput{Account: k.AccountID}, nil
		} else if !errs.Is(err, errs.NotFound) {
			return nil, err
		}
	}
	account, err := awsauth.AccountOfKeyID(id)
	if err != nil {
		return nil, iam.Invalid("accessKeyId", id, "Member must be an access key id: a four-letter prefix and 16 characters of A-Z and 2-7")
	}
	return &getAccessKeyInfoOutput{Account: account}, nil
}
