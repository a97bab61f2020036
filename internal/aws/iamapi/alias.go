package iamapi

import (
	"context"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

type aliasInput struct{ AccountAlias string }

// createAccountAlias gives the account its alias, replacing the old one:
// an account has one.
func (s *Service) createAccountAlias(ctx context.Context, in *aliasInput) (*empty, error) {
	acct, err := callerAccount(ctx)
	if err != nil {
		return nil, err
	}
	if err := iam.ValidAccountAlias(in.AccountAlias); err != nil {
		return nil, err
	}
	if err := s.store.SetIAMAccountAlias(ctx, acct, in.AccountAlias); errs.Is(err, errs.Conflict) {
		return nil, errs.E(errs.Conflict, "The account alias %s already exists.", in.AccountAlias)
	} else if err != nil {
		return nil, err
	}
	return &empty{}, nil
}

type listAliasesInput struct {
	Marker   string
	MaxItems *int
}

type listAliasesResult struct {
	AccountAliases []string `xml:"AccountAliases>member"`
	truncation
}

func (s *Service) listAccountAliases(ctx context.Context, in *listAliasesInput) (*listAliasesResult, error) {
	if _, err := page(in.Marker, in.MaxItems); err != nil {
		return nil, err
	}
	acct, err := callerAccount(ctx)
	if err != nil {
		return nil, err
	}
	alias, err := s.store.IAMAccountAlias(ctx, acct)
	if err != nil {
		return nil, err
	}
	out := &listAliasesResult{AccountAliases: []string{}}
	if alias != "" {
		out.AccountAliases = append(out.AccountAliases, alias)
	}
	return out, nil
}

func (s *Service) deleteAccountAlias(ctx context.Context, in *aliasInput) (*empty, error) {
	acct, err := callerAccount(ctx)
	if err != nil {
		return nil, err
	}
	if err := iam.ValidAccountAlias(in.AccountAlias); err != nil {
		return nil, err
	}
	if err := s.store.DeleteIAMAccountAlias(ctx, acct, in.AccountAlias); errs.Is(err, errs.NotFound) {
		return nil, errs.E(errs.NotFound, "The account alias %s cannot be found.", in.AccountAlias)
	} else if err != nil {
		return nil, err
	}
	return &empty{}, nil
}
