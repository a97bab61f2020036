package iamapi

import (
	"context"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// rootCaller reports whether the caller is the account's root user.
func rootCaller(ctx context.Context) bool {
	p, ok := awsauth.PrincipalFrom(ctx)
	return ok && p.Type == awsauth.Root
}

// rootUser is GetUser's answer for the root user: no name or path, the
// account's id and the date it joined.
func (s *Service) rootUser(ctx context.Context) (wireUser, error) {
	p, _ := awsauth.PrincipalFrom(ctx)
	a, err := s.store.Account(ctx, p.AccountID)
	if err != nil {
		return wireUser{}, err
	}
	return wireUser{UserID: p.AccountID, Arn: p.ARN, CreateDate: wireTime(a.JoinedAt)}, nil
}

type tagUserInput struct {
	UserName string
	Tags     []iam.Tag
}

func (s *Service) tagUser(ctx context.Context, in *tagUserInput) (*empty, error) {
	if len(in.Tags) == 0 {
		return nil, errs.E(errs.Invalid, "Tags must name at least one tag")
	}
	if err := iam.ValidateTags("tags", in.Tags); err != nil {
		return nil, err
	}
	_, err := s.changeUser(ctx, in.UserName, func(u iam.User) (iam.User, error) {
		tags, err := iam.MergeTags(u.Tags, in.Tags)
		u.Tags = tags
		return u, err
	})
	return &empty{}, err
}

type untagUserInput struct {
	UserName string
	TagKeys  []string
}

func (s *Service) untagUser(ctx context.Context, in *untagUserInput) (*empty, error) {
	if len(in.TagKeys) == 0 || len(in.TagKeys) > iam.MaxTags {
		return nil, errs.E(errs.Invalid, "TagKeys must name 1 to %d keys", iam.MaxTags)
	}
	_, err := s.changeUser(ctx, in.UserName, func(u iam.User) (iam.User, error) {
		u.Tags = iam.RemoveTags(u.Tags, in.TagKeys)
		return u, nil
	})
	return &empty{}, err
}

type listUserTagsInput struct {
	UserName string
	Marker   string
	MaxItems *int
}

// listUserTags pages a user's tags by MaxItems, as ListRoleTags does.
func (s *Service) listUserTags(ctx context.Context, in *listUserTagsInput) (*tagsResult, error) {
	p, err := page(in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	u, err := s.user(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	return pageTags(u.Tags, p)
}

type boundaryInput struct {
	UserName            string
	PermissionsBoundary string
}

func (s *Service) putUserPermissionsBoundary(ctx context.Context, in *boundaryInput) (*empty, error) {
	boundary, err := s.attachableARN(ctx, in.PermissionsBoundary)
	if err != nil {
		return nil, err
	}
	_, err = s.changeUser(ctx, in.UserName, func(u iam.User) (iam.User, error) {
		u.PermissionsBoundary = boundary
		return u, nil
	})
	return &empty{}, err
}

func (s *Service) deleteUserPermissionsBoundary(ctx context.Context, in *userNameInput) (*empty, error) {
	_, err := s.changeUser(ctx, in.UserName, func(u iam.User) (iam.User, error) {
		u.PermissionsBoundary = ""
		return u, nil
	})
	return &empty{}, err
}
