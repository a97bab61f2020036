package iamapi

import (
	"context"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

type createUserInput struct {
	UserName            string
	Path                string
	PermissionsBoundary string
	Tags                []iam.Tag
}

type userResult struct {
	User wireUser
}

func (s *Service) createUser(ctx context.Context, in *createUserInput) (*userResult, error) {
	acct, err := callerAccount(ctx)
	if err != nil {
		return nil, err
	}
	u := iam.User{AccountID: acct, ID: iam.NewUserID(s.random), Name: in.UserName, Path: orRoot(in.Path),
		Tags: in.Tags, CreatedAt: s.clock.Now()}
	if err := validUser(u); err != nil {
		return nil, err
	}
	if in.PermissionsBoundary != "" {
		if u.PermissionsBoundary, err = s.attachableARN(ctx, in.PermissionsBoundary); err != nil {
			return nil, err
		}
	}
	if err := s.store.CreateIAMUser(ctx, u); errs.Is(err, errs.Conflict) {
		return nil, errs.E(errs.Conflict, "User with name %s already exists.", u.Name)
	} else if err != nil {
		return nil, err
	}
	return &userResult{User: toWireUser(u)}, nil
}

func orRoot(path string) string {
	if path == "" {
		return "/"
	}
	return path
}

func validUser(u iam.User) error {
	if err := iam.ValidateName("userName", u.Name, iam.MaxUserNameLen); err != nil {
		return err
	}
	if err := iam.ValidatePath("path", u.Path); err != nil {
		return err
	}
	return iam.ValidateTags("tags", u.Tags)
}

type getUserInput struct{ UserName string }

func (s *Service) getUser(ctx context.Context, in *getUserInput) (*userResult, error) {
	if in.UserName == "" && rootCaller(ctx) {
		root, err := s.rootUser(ctx)
		if err != nil {
			return nil, err
		}
		return &userResult{User: root}, nil
	}
	u, err := s.userOrCaller(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	return &userResult{User: toWireUser(u)}, nil
}

type listUsersInput struct {
	PathPrefix string
	Marker     string
	MaxItems   *int
}

type listUsersResult struct {
	Users []wireUser `xml:"Users>member"`
	truncation
}

func (s *Service) listUsers(ctx context.Context, in *listUsersInput) (*listUsersResult, error) {
	acct, prefix, p, err := listScope(ctx, in.PathPrefix, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	users, next, err := s.store.ListIAMUsers(ctx, acct, prefix, p)
	if err != nil {
		return nil, badMarker(err)
	}
	out := &listUsersResult{Users: make([]wireUser, len(users)), truncation: truncated(next)}
	for i, u := range users {
		u.Tags = nil // ListUsers leaves tags out, as AWS does
		out.Users[i] = toWireUser(u)
	}
	return out, nil
}

type updateUserInput struct {
	UserName    string
	NewUserName string
	NewPath     string
}

func (s *Service) updateUser(ctx context.Context, in *updateUserInput) (*empty, error) {
	_, err := s.changeUser(ctx, in.UserName, func(u iam.User) (iam.User, error) {
		if in.NewUserName != "" {
			u.Name = in.NewUserName
		}
		if in.NewPath != "" {
			u.Path = in.NewPath
		}
		return u, validUser(u)
	})
	if errs.Is(err, errs.Conflict) {
		return nil, errs.E(errs.Conflict, "User with name %s already exists.", in.NewUserName)
	}
	return &empty{}, err
}

type userNameInput struct{ UserName string }

// deleteConflicts words why a user or group cannot be deleted yet.
var deleteConflicts = map[string]string{
	store.ResourceIAMAccessKey:    "Cannot delete entity, must delete access keys first.",
	store.ResourceIAMInlinePolicy: "Cannot delete entity, must delete policies first.",
	store.ResourceIAMAttachment:   "Cannot delete entity, must detach all policies first.",
	store.ResourceIAMMember:       "Cannot delete entity, must remove users from group first.",
	store.ResourceIAMMFADevice:    "Cannot delete entity, must delete MFA device first.",
}

func deleteConflict(err error) error {
	if e, ok := errs.As(err); ok && e.Kind == errs.Conflict {
		if msg, known := deleteConflicts[e.ResourceType]; known {
			return errs.E(errs.Conflict, "%s", msg).WithCode("DeleteConflict")
		}
	}
	return err
}

func (s *Service) deleteUser(ctx context.Context, in *userNameInput) (*empty, error) {
	u, err := s.user(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	if err := s.store.DeleteIAMUser(ctx, u.ID); errs.Is(err, errs.NotFound) {
		return nil, noSuchUser(in.UserName)
	} else if err != nil {
		return nil, deleteConflict(err)
	}
	return &empty{}, nil
}
