package ssoadmin

import (
	"context"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
)

// keyward's instance has no applications and no trusted token issuers:
// their lists are empty, so that automation reading them (Terraform's data
// sources, inventory scripts) works, and nothing is created.

type listEmptyInput struct {
	InstanceArn string
	MaxResults  *int
	NextToken   string
	Filter      *struct{ ApplicationAccount, ApplicationProvider string }
}

// ResourceARN is the instance's ARN.
func (in *listEmptyInput) ResourceARN(string) string { return orInstance("", in.InstanceArn) }

// checkEmptyList validates a list of what keyward has none of: a token
// cannot name a page, for no list ever had one.
func (s *Service) checkEmptyList(ctx context.Context, in *listEmptyInput) error {
	if _, err := s.checkInstance(ctx, in.InstanceArn); err != nil {
		return err
	}
	if _, err := protocol.Limit(in.MaxResults, 100, 100); err != nil {
		return err
	}
	if in.NextToken != "" {
		return errs.E(errs.Invalid, "invalid NextToken")
	}
	return nil
}

type listApplicationsOutput struct{ Applications []struct{} }

func (s *Service) listApplications(ctx context.Context, in *listEmptyInput) (*listApplicationsOutput, error) {
	if err := s.checkEmptyList(ctx, in); err != nil {
		return nil, err
	}
	return &listApplicationsOutput{Applications: []struct{}{}}, nil
}

type listTrustedTokenIssuersOutput struct{ TrustedTokenIssuers []struct{} }

func (s *Service) listTrustedTokenIssuers(ctx context.Context, in *listEmptyInput) (*listTrustedTokenIssuersOutput, error) {
	if err := s.checkEmptyList(ctx, in); err != nil {
		return nil, err
	}
	return &listTrustedTokenIssuersOutput{TrustedTokenIssuers: []struct{}{}}, nil
}
