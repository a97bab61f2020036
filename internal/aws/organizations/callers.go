package organizations

import (
	"context"
	"strings"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// callers returns authorize, asked once for each resource the input names
// (see resources) or once on "*", followed by Organizations' own rule on
// who may call what, which no policy in a member account can lift: any
// account may describe the organization, the management account and a
// member account that is a delegated administrator of some service may
// read it, and only the management account may change it (keyward has no
// Organizations resource policy to delegate policy management).
func (s *Service) callers(authorize gateway.Authorizer) gateway.Authorizer {
	return func(ctx context.Context, p awsauth.Principal, req gateway.Request) error {
		if err := s.authorizeEach(ctx, authorize, p, req); err != nil {
			return err
		}
		op := strings.TrimPrefix(req.Action, "organizations:")
		if op == "DescribeOrganization" {
			return nil
		}
		o, err := s.store.Organization(ctx)
		if err != nil || p.AccountID == o.ManagementAccountID {
			return err
		}
		if strings.HasPrefix(op, "Describe") || strings.HasPrefix(op, "List") {
			ds, _, err := s.store.ListDelegatedServices(ctx, p.AccountID, store.Page{Limit: 1})
			if err != nil || len(ds) > 0 {
				return err
			}
		}
		return errs.E(errs.Denied, "You don't have permissions to access this resource.").WithCode("AccessDeniedException")
	}
}

// authorizeEach asks authorize about every resource req's input names, as
// AWS requires each to be allowed (AttachPolicy's policy and target,
// MoveAccount's account and both parents), or about req as it is when
// the input names none.
func (s *Service) authorizeEach(ctx context.Context, authorize gateway.Authorizer, p awsauth.Principal, req gateway.Request) error {
	if authorize == nil {
		return nil
	}
	arns, err := s.resources(ctx, req.Input)
	if err != nil {
		return err
	}
	if len(arns) == 0 {
		return authorize(ctx, p, req)
	}
	for _, arn := range arns {
		req.Resource = arn
		if err := authorize(ctx, p, req); err != nil {
			return err
		}
	}
	return nil
}
