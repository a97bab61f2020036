package iamapi

import (
	"context"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

// changeRole applies change to one of the caller's own roles (Identity
// Center's are protected) and returns the result.
func (s *Service) changeRole(ctx context.Context, name string, change func(iam.Role) (iam.Role, error)) (iam.Role, error) {
	account, err := s.ownRole(ctx, name)
	if err != nil {
		return iam.Role{}, err
	}
	r, err := s.store.UpdateIAMRole(ctx, account, name, change)
	return r, wordRoleError(err, name)
}

// ownRole checks name and that it is not one of Identity Center's roles,
// and returns the caller's account.
func (s *Service) ownRole(ctx context.Context, name string) (string, error) {
	account, err := roleCaller(ctx, name)
	if err != nil {
		return "", err
	}
	return account, s.protect(ctx, account, name)
}

type updateRoleInput struct {
	RoleName           string
	Description        *string
	MaxSessionDuration *int
}

func (s *Service) updateRole(ctx context.Context, in *updateRoleInput) (*emptyResult, error) {
	if in.Description != nil {
		if err := iam.ValidateRoleDescription(*in.Description); err != nil {
			return nil, err
		}
	}
	if in.MaxSessionDuration != nil {
		if err := iam.ValidateSessionDuration(*in.MaxSessionDuration); err != nil {
			return nil, err
		}
	}
	_, err := s.changeRole(ctx, in.RoleName, func(r iam.Role) (iam.Role, error) {
		if in.Description != nil {
			r.Description = *in.Description
		}
		if in.MaxSessionDuration != nil {
			r.MaxSessionDuration = *in.MaxSessionDuration
		}
		return r, nil
	})
	return &emptyResult{}, err
}

type updateRoleDescriptionInput struct {
	RoleName    string
	Description string
}

func (s *Service) updateRoleDescription(ctx context.Context, in *updateRoleDescriptionInput) (*roleResult, error) {
	if err := iam.ValidateRoleDescription(in.Description); err != nil {
		return nil, err
	}
	r, err := s.changeRole(ctx, in.RoleName, func(r iam.Role) (iam.Role, error) {
		r.Description = in.Description
		return r, nil
	})
	if err != nil {
		return nil, err
	}
	return &roleResult{Role: roleOut(r)}, nil
}

type updateAssumeRolePolicyInput struct {
	RoleName       string
	PolicyDocument string
}

func (s *Service) updateAssumeRolePolicy(ctx context.Context, in *updateAssumeRolePolicyInput) (*emptyResult, error) {
	if err := iam.ValidateTrustPolicy(in.PolicyDocument); err != nil {
		return nil, err
	}
	_, err := s.changeRole(ctx, in.RoleName, func(r iam.Role) (iam.Role, error) {
		r.TrustPolicy = in.PolicyDocument
		return r, nil
	})
	return &emptyResult{}, err
}

func (s *Service) deleteRole(ctx context.Context, in *roleNameInput) (*emptyResult, error) {
	account, err := s.ownRole(ctx, in.RoleName)
	if err != nil {
		return nil, err
	}
	inline, _, err := s.store.ListRolePolicies(ctx, account, in.RoleName, store.Page{Limit: 1})
	if err != nil {
		return nil, wordRoleError(err, in.RoleName)
	}
	if len(inline) > 0 {
		return nil, errs.E(errs.Conflict, "Cannot delete entity, must delete policies first.").WithCode("DeleteConflict")
	}
	return &emptyResult{}, wordRoleError(s.store.DeleteIAMRole(ctx, account, in.RoleName), in.RoleName)
}

type tagRoleInput struct {
	RoleName string
	Tags     []tagIn
}

func (s *Service) tagRole(ctx context.Context, in *tagRoleInput) (*emptyResult, error) {
	add := tagsIn(in.Tags)
	if err := iam.ValidateTags("tags", add); err != nil {
		return nil, err
	}
	_, err := s.changeRole(ctx, in.RoleName, func(r iam.Role) (iam.Role, error) {
		tags, err := iam.MergeTags(r.Tags, add)
		r.Tags = tags
		return r, err
	})
	return &emptyResult{}, err
}

type untagRoleInput struct {
	RoleName string
	TagKeys  []string
}

func (s *Service) untagRole(ctx context.Context, in *untagRoleInput) (*emptyResult, error) {
	if err := checkTagKeys(in.TagKeys); err != nil {
		return nil, err
	}
	_, err := s.changeRole(ctx, in.RoleName, func(r iam.Role) (iam.Role, error) {
		r.Tags = iam.RemoveTags(r.Tags, in.TagKeys)
		return r, nil
	})
	return &emptyResult{}, err
}

// checkTagKeys checks UntagRole's and UntagPolicy's keys.
func checkTagKeys(keys []string) error {
	tags := make([]iam.Tag, len(keys))
	for i, k := range keys {
		tags[i] = iam.Tag{Key: k}
	}
	if len(keys) == 0 {
		return iam.Invalid("tagKeys", "[]", "Member must have length greater than or equal to 1")
	}
	return iam.ValidateTags("tagKeys", tags)
}

type listRoleTagsInput struct {
	RoleName string
	Marker   string
	MaxItems *int
}

type tagsResult struct {
	Tags members[tagXML]
	truncation
}

func (s *Service) listRoleTags(ctx context.Context, in *listRoleTagsInput) (*tagsResult, error) {
	p, err := page(in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	r, err := s.anyRole(ctx, in.RoleName)
	if err != nil {
		return nil, err
	}
	return pageTags(r.Tags, p)
}

func pageTags(tags []iam.Tag, p store.Page) (*tagsResult, error) {
	page, next, err := pageSlice(tags, p)
	if err != nil {
		return nil, err
	}
	return &tagsResult{Tags: tagsOut(page), truncation: truncated(next)}, nil
}

type putBoundaryInput struct {
	RoleName            string
	PermissionsBoundary string
}

func (s *Service) putRolePermissionsBoundary(ctx context.Context, in *putBoundaryInput) (*emptyResult, error) {
	account, err := callerAccount(ctx)
	if err != nil {
		return nil, err
	}
	if in.PermissionsBoundary == "" {
		return nil, iam.Invalid("permissionsBoundary", "", "Member must have length greater than or equal to 20")
	}
	boundary, err := s.checkBoundary(ctx, account, in.PermissionsBoundary)
	if err != nil {
		return nil, err
	}
	_, err = s.changeRole(ctx, in.RoleName, func(r iam.Role) (iam.Role, error) {
		r.PermissionsBoundary = boundary
		return r, nil
	})
	return &emptyResult{}, err
}

func (s *Service) deleteRolePermissionsBoundary(ctx context.Context, in *roleNameInput) (*emptyResult, error) {
	_, err := s.changeRole(ctx, in.RoleName, func(r iam.Role) (iam.Role, error) {
		r.PermissionsBoundary = "" // none set is no error
		return r, nil
	})
	return &emptyResult{}, err
}
