package identitystore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

type createGroupInput struct {
	IdentityStoreID string `json:"IdentityStoreId"`
	DisplayName     string
	Description     string
}

func (s *Service) createGroup(ctx context.Context, in *createGroupInput) (*idOutput, error) {
	if err := s.checkStore(ctx, in.IdentityStoreID); err != nil {
		return nil, err
	}
	if err := ic.ValidateGroup(in.DisplayName, in.Description); err != nil {
		return nil, err
	}
	now, by := s.clock.Now(), audit.ActorFrom(ctx).Name
	g := ic.Group{
		ID: ic.NewPrincipalID(s.random, in.IdentityStoreID), DisplayName: in.DisplayName, Description: in.Description,
		CreatedAt: now, UpdatedAt: now, CreatedBy: by, UpdatedBy: by,
	}
	if err := s.store.CreateGroup(ctx, g); err != nil {
		return nil, err
	}
	return &idOutput{IdentityStoreID: in.IdentityStoreID, GroupID: g.ID}, nil
}

type groupOut struct {
	IdentityStoreID string `json:"IdentityStoreId"`
	GroupID         string `json:"GroupId"`
	DisplayName     string
	Description     string          `json:",omitempty"`
	ExternalIDs     []ic.ExternalID `json:"ExternalIds,omitempty"`
	CreatedAt       protocol.Time
	CreatedBy       string `json:",omitempty"`
	UpdatedAt       protocol.Time
	UpdatedBy       string `json:",omitempty"`
}

func toGroupOut(storeID string, g ic.Group) groupOut {
	return groupOut{
		IdentityStoreID: storeID, GroupID: g.ID, DisplayName: g.DisplayName, Description: g.Description,
		ExternalIDs: g.ExternalIDs, CreatedAt: protocol.Time(g.CreatedAt), CreatedBy: g.CreatedBy,
		UpdatedAt: protocol.Time(g.UpdatedAt), UpdatedBy: g.UpdatedBy,
	}
}

type groupRef struct {
	IdentityStoreID string `json:"IdentityStoreId"`
	GroupID         string `json:"GroupId"`
}

func (s *Service) describeGroup(ctx context.Context, in *groupRef) (*groupOut, error) {
	if err := s.checkStore(ctx, in.IdentityStoreID); err != nil {
		return nil, err
	}
	if err := checkID("groupId", in.GroupID); err != nil {
		return nil, err
	}
	g, err := s.store.Group(ctx, in.GroupID)
	if err != nil {
		return nil, err
	}
	out := toGroupOut(in.IdentityStoreID, g)
	return &out, nil
}

type listGroupsInput struct {
	IdentityStoreID string `json:"IdentityStoreId"`
	MaxResults      *int
	NextToken       string
	Filters         []filter
}

type listGroupsOutput struct {
	Groups    []groupOut
	NextToken string `json:",omitempty"`
}

func (s *Service) listGroups(ctx context.Context, in *listGroupsInput) (*listGroupsOutput, error) {
	if err := s.checkStore(ctx, in.IdentityStoreID); err != nil {
		return nil, err
	}
	p, err := page(in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	name, err := onlyFilter(in.Filters, "DisplayName")
	if err != nil {
		return nil, err
	}
	groups, next, err := s.store.ListGroups(ctx, store.GroupFilter{DisplayName: name}, p)
	if err != nil {
		return nil, err
	}
	out := &listGroupsOutput{Groups: []groupOut{}, NextToken: next}
	for _, g := range groups {
		out.Groups = append(out.Groups, toGroupOut(in.IdentityStoreID, g))
	}
	return out, nil
}

type updateGroupInput struct {
	groupRef
	Operations []operation
}

func (s *Service) updateGroup(ctx context.Context, in *updateGroupInput) (*struct{}, error) {
	if err := s.checkStore(ctx, in.IdentityStoreID); err != nil {
		return nil, err
	}
	if err := checkID("groupId", in.GroupID); err != nil {
		return nil, err
	}
	if err := checkOperations(in.Operations); err != nil {
		return nil, err
	}
	_, err := s.store.UpdateGroup(ctx, in.GroupID, func(g ic.Group) (ic.Group, error) {
		for _, op := range in.Operations {
			if err := ic.ApplyGroupUpdate(&g, op.AttributePath, op.AttributeValue); err != nil {
				return g, err
			}
		}
		g.UpdatedAt, g.UpdatedBy = s.clock.Now(), audit.ActorFrom(ctx).Name
		return g, ic.ValidateGroup(g.DisplayName, g.Description)
	})
	return &struct{}{}, err
}

func (s *Service) deleteGroup(ctx context.Context, in *groupRef) (*struct{}, error) {
	if err := s.checkStore(ctx, in.IdentityStoreID); err != nil {
		return nil, err
	}
	if err := checkID("groupId", in.GroupID); err != nil {
		return nil, err
	}
	return &struct{}{}, s.store.DeleteGroup(ctx, in.GroupID)
}

func (s *Service) getGroupID(ctx context.Context, in *getIDInput) (*idOutput, error) {
	if err := s.checkStore(ctx, in.IdentityStoreID); err != nil {
		return nil, err
	}
	path, value, err := in.AlternateIdentifier.uniqueValue()
	if err != nil {
		return nil, err
	}
	var g ic.Group
	switch {
	case in.AlternateIdentifier.ExternalID != nil:
		g, err = s.store.GroupByExternalID(ctx, *in.AlternateIdentifier.ExternalID)
	case path == "displayName" || path == "DisplayName":
		g, err = s.store.GroupByName(ctx, value)
	default:
		return nil, errs.E(errs.Invalid, "AttributePath %q is not a unique group attribute; use displayName", path)
	}
	if errs.Is(err, errs.NotFound) {
		return nil, errs.E(errs.NotFound, "GROUP not found.").WithResource("GROUP", "")
	}
	if err != nil {
		return nil, err
	}
	return &idOutput{IdentityStoreID: in.IdentityStoreID, GroupID: g.ID}, nil
}
