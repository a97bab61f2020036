package iamapi

import (
	"context"
	"time"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

// wireGroup is IAM's Group shape.
type wireGroup struct {
	Path       string
	GroupName  string
	GroupID    string `xml:"GroupId"`
	Arn        string
	CreateDate time.Time
}

func toWireGroup(g iam.Group) wireGroup {
	return wireGroup{Path: g.Path, GroupName: g.Name, GroupID: g.ID, Arn: g.ARN(), CreateDate: wireTime(g.CreatedAt)}
}

func noSuchGroup(name string) error {
	return errs.E(errs.NotFound, "The group with name %s cannot be found.", name)
}

// group finds the named group in the caller's account.
func (s *Service) group(ctx context.Context, name string) (iam.Group, error) {
	acct, err := callerAccount(ctx)
	if err != nil {
		return iam.Group{}, err
	}
	if err := iam.ValidateName("groupName", name, iam.MaxGroupNameLen); err != nil {
		return iam.Group{}, err
	}
	g, err := s.store.IAMGroup(ctx, acct, name)
	if errs.Is(err, errs.NotFound) {
		return iam.Group{}, noSuchGroup(name)
	}
	return g, err
}

func validGroup(g iam.Group) error {
	if err := iam.ValidateName("groupName", g.Name, iam.MaxGroupNameLen); err != nil {
		return err
	}
	return iam.ValidatePath("path", g.Path)
}

type createGroupInput struct {
	GroupName string
	Path      string
}

type groupResult struct {
	Group wireGroup
}

func (s *Service) createGroup(ctx context.Context, in *createGroupInput) (*groupResult, error) {
	acct, err := callerAccount(ctx)
	if err != nil {
		return nil, err
	}
	g := iam.Group{AccountID: acct, ID: iam.NewGroupID(s.random), Name: in.GroupName, Path: orRoot(in.Path), CreatedAt: s.clock.Now()}
	if err := validGroup(g); err != nil {
		return nil, err
	}
	if err := s.store.CreateIAMGroup(ctx, g); errs.Is(err, errs.Conflict) {
		return nil, errs.E(errs.Conflict, "Group with name %s already exists.", g.Name)
	} else if err != nil {
		return nil, err
	}
	return &groupResult{Group: toWireGroup(g)}, nil
}

type getGroupInput struct {
	GroupName string
	Marker    string
	MaxItems  *int
}

type getGroupResult struct {
	Group wireGroup
	Users []wireUser `xml:"Users>member"`
	truncation
}

func (s *Service) getGroup(ctx context.Context, in *getGroupInput) (*getGroupResult, error) {
	p, err := page(in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	g, err := s.group(ctx, in.GroupName)
	if err != nil {
		return nil, err
	}
	users, next, err := s.store.ListIAMGroupMembers(ctx, g.ID, p)
	if err != nil {
		return nil, badMarker(err)
	}
	out := &getGroupResult{Group: toWireGroup(g), Users: make([]wireUser, len(users)), truncation: truncated(next)}
	for i, u := range users {
		u.Tags = nil
		out.Users[i] = toWireUser(u)
	}
	return out, nil
}

type listGroupsInput struct {
	PathPrefix string
	Marker     string
	MaxItems   *int
}

type listGroupsResult struct {
	Groups []wireGroup `xml:"Groups>member"`
	truncation
}

func groupsResult(groups []iam.Group, next string) *listGroupsResult {
	out := &listGroupsResult{Groups: make([]wireGroup, len(groups)), truncation: truncated(next)}
	for i, g := range groups {
		out.Groups[i] = toWireGroup(g)
	}
	return out
}

func (s *Service) listGroups(ctx context.Context, in *listGroupsInput) (*listGroupsResult, error) {
	acct, prefix, p, err := listScope(ctx, in.PathPrefix, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	groups, next, err := s.store.ListIAMGroups(ctx, acct, prefix, p)
	if err != nil {
		return nil, badMarker(err)
	}
	return groupsResult(groups, next), nil
}

type listGroupsForUserInput struct {
	UserName string
	Marker   string
	MaxItems *int
}

func (s *Service) listGroupsForUser(ctx context.Context, in *listGroupsForUserInput) (*listGroupsResult, error) {
	p, err := page(in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	u, err := s.user(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	groups, next, err := s.store.ListIAMGroupsForUser(ctx, u.ID, p)
	if err != nil {
		return nil, badMarker(err)
	}
	return groupsResult(groups, next), nil
}

type updateGroupInput struct {
	GroupName    string
	NewGroupName string
	NewPath      string
}

func (s *Service) updateGroup(ctx context.Context, in *updateGroupInput) (*empty, error) {
	g, err := s.group(ctx, in.GroupName)
	if err != nil {
		return nil, err
	}
	_, err = s.store.UpdateIAMGroup(ctx, g.ID, func(g iam.Group) (iam.Group, error) {
		if in.NewGroupName != "" {
			g.Name = in.NewGroupName
		}
		if in.NewPath != "" {
			g.Path = in.NewPath
		}
		return g, validGroup(g)
	})
	switch {
	case errs.Is(err, errs.Conflict):
		return nil, errs.E(errs.Conflict, "Group with name %s already exists.", in.NewGroupName)
	case errs.Is(err, errs.NotFound):
		return nil, noSuchGroup(in.GroupName)
	}
	return &empty{}, err
}

type groupNameInput struct{ GroupName string }

func (s *Service) deleteGroup(ctx context.Context, in *groupNameInput) (*empty, error) {
	g, err := s.group(ctx, in.GroupName)
	if err != nil {
		return nil, err
	}
	if err := s.store.DeleteIAMGroup(ctx, g.ID); errs.Is(err, errs.NotFound) {
		return nil, noSuchGroup(in.GroupName)
	} else if err != nil {
		return nil, deleteConflict(err)
	}
	return &empty{}, nil
}

type membershipInput struct {
	GroupName string
	UserName  string
}

// members finds both sides of a membership change.
func (s *Service) members(ctx context.Context, in *membershipInput) (iam.Group, iam.User, error) {
	g, err := s.group(ctx, in.GroupName)
	if err != nil {
		return iam.Group{}, iam.User{}, err
	}
	u, err := s.user(ctx, in.UserName)
	return g, u, err
}

func (s *Service) addUserToGroup(ctx context.Context, in *membershipInput) (*empty, error) {
	g, u, err := s.members(ctx, in)
	if err != nil {
		return nil, err
	}
	err = s.store.AddIAMGroupMember(ctx, g.ID, u.ID)
	if e, ok := errs.As(err); ok && e.Kind == errs.Conflict && e.Field == store.FieldLimit {
		return nil, errs.E(errs.Conflict, "Cannot exceed quota for GroupsPerUser: %d", iam.MaxGroupsPerUser).WithCode("LimitExceeded")
	}
	return &empty{}, s.ownerGone(err, owner{name: in.UserName})
}

func (s *Service) removeUserFromGroup(ctx context.Context, in *membershipInput) (*empty, error) {
	g, u, err := s.members(ctx, in)
	if err != nil {
		return nil, err
	}
	// Removing a user who is not a member succeeds, as AWS answers it.
	if err := s.store.RemoveIAMGroupMember(ctx, g.ID, u.ID); err != nil && !errs.Is(err, errs.NotFound) {
		return nil, err
	}
	return &empty{}, nil
}
