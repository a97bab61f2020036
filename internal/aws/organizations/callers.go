package organizations

import (
	"context"
	"strings"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// callers returns authorize followed by Organizations' own rule on who
// may call what, which no policy in a member account can lift: any account
// may describe the organization, the management account and a member
// account that is a delegated administrator of some service may read it,
// and only the management account may change it (keyward has no
// Organizations resource policy to delegate policy management).
func (s *Service) callers(authorize gateway.Authorizer) gateway.Authorizer {
	return func(ctx context.Context, p awsauth.Principal, req gateway.Request) error {
		if authorize != nil {
			if err := authorize(ctx, p, req); err != nil {
				return err
			}
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
