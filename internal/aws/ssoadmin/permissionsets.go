package ssoadmin

import (
	"context"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

type permissionSetOut struct {
	Name             string
	PermissionSetArn string
	Description      string `json:",omitempty"`
	CreatedDate      protocol.Time
	SessionDuration  string
	RelayState       string `json:",omitempty"`
}

func toPermissionSetOut(ps ic.PermissionSet) permissionSetOut {
	d := ps.SessionDuration
	if d == "" {
		d = ic.DefaultSessionDuration
	}
	return permissionSetOut{Name: ps.Name, PermissionSetArn: ps.ARN(), Description: ps.Description,
		CreatedDate: protocol.Time(ps.CreatedAt), SessionDuration: d, RelayState: ps.RelayState}
}

type permissionSetOutput struct{ PermissionSet permissionSetOut }

type createPermissionSetInput struct {
	InstanceArn     string
	Name            string
	Description     string
	SessionDuration string
	RelayState      string
	Tags            []ic.Tag
}

func (s *Service) createPermissionSet(ctx context.Context, in *createPermissionSetInput) (*permissionSetOutput, error) {
	inst, err := s.checkInstance(ctx, in.InstanceArn)
	if err != nil {
		return nil, err
	}
	if err := protocol.Required("name", in.Name); err != nil {
		return nil, err
	}
	ps := ic.PermissionSet{
		ID: ic.NewPermissionSetID(s.random), InstanceID: inst.ID, Name: in.Name, Description: in.Description,
		SessionDuration: in.SessionDuration, RelayState: in.RelayState, Tags: in.Tags, Version: 1, CreatedAt: s.clock.Now(),
	}
	if ps.SessionDuration == "" {
		ps.SessionDuration = ic.DefaultSessionDuration
	}
	if err := ps.Validate(); err != nil {
		return nil, err
	}
	if err := s.store.CreatePermissionSet(ctx, ps); err != nil {
		if errs.Is(err, errs.Conflict) {
			return nil, errs.E(errs.Conflict, "PermissionSet with name %s already exists.", in.Name)
		}
		return nil, err
	}
	return &permissionSetOutput{PermissionSet: toPermissionSetOut(ps)}, nil
}

type permissionSetRef struct {
	InstanceArn      string
	PermissionSetArn string
}

func (s *Service) describePermissionSet(ctx context.Context, in *permissionSetRef) (*permissionSetOutput, error) {
	ps, err := s.permissionSet(ctx, in.InstanceArn, in.PermissionSetArn)
	if err != nil {
		return nil, err
	}
	return &permissionSetOutput{PermissionSet: toPermissionSetOut(ps)}, nil
}

type listInput struct {
	InstanceArn string
	MaxResults  *int
	NextToken   string
}

type listPermissionSetsOutput struct {
	PermissionSets []string
	NextToken      string `json:",omitempty"`
}

func (s *Service) listPermissionSets(ctx context.Context, in *listInput) (*listPermissionSetsOutput, error) {
	if _, err := s.checkInstance(ctx, in.InstanceArn); err != nil {
		return nil, err
	}
	limit, err := protocol.Limit(in.MaxResults, 100, 100)
	if err != nil {
		return nil, err
	}
	sets, next, err := s.store.ListPermissionSets(ctx, store.Page{Limit: limit, Token: in.NextToken})
	if err != nil {
		return nil, err
	}
	out := &listPermissionSetsOutput{PermissionSets: []string{}, NextToken: next}
	for _, ps := range sets {
		out.PermissionSets = append(out.PermissionSets, ps.ARN())
	}
	return out, nil
}

type updatePermissionSetInput struct {
	permissionSetRef
	Description     *string
	SessionDuration *string
	RelayState      *string
}

func (s *Service) updatePermissionSet(ctx context.Context, in *updatePermissionSetInput) (*struct{}, error) {
	if in.SessionDuration != nil { // present but empty is not "leave it": AWS needs 1 character at least
		if _, err := ic.ParseSessionDuration(*in.SessionDuration); err != nil {
			return nil, err
		}
	}
	return &struct{}{}, s.update(ctx, in.InstanceArn, in.PermissionSetArn, func(ps *ic.PermissionSet) error {
		if in.Description != nil {
			ps.Description = *in.Description
		}
		if in.RelayState != nil {
			ps.RelayState = *in.RelayState
		}
		if in.SessionDuration != nil && *in.SessionDuration != ps.SessionDuration {
			ps.SessionDuration = *in.SessionDuration
			ps.Version++
		}
		return ps.Validate()
	})
}

func (s *Service) deletePermissionSet(ctx context.Context, in *permissionSetRef) (*struct{}, error) {
	inst, err := s.checkInstance(ctx, in.InstanceArn)
	if err != nil {
		return nil, err
	}
	id, err := s.permissionSetID(inst, in.PermissionSetArn)
	if err != nil {
		return nil, err
	}
	return &struct{}{}, s.store.DeletePermissionSet(ctx, id)
}

type listTagsInput struct {
	InstanceArn string
	ResourceArn string
	NextToken   string
}

type listTagsOutput struct {
	Tags      []ic.Tag
	NextToken string `json:",omitempty"`
}

func (s *Service) listTags(ctx context.Context, in *listTagsInput) (*listTagsOutput, error) {
	if err := protocol.Required("resourceArn", in.ResourceArn); err != nil {
		return nil, err
	}
	res, err := ic.ParseTaggableARN(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	tags, err := s.tags(ctx, in, res)
	if err != nil {
		return nil, err
	}
	if tags == nil {
		tags = []ic.Tag{}
	}
	return &listTagsOutput{Tags: tags}, nil
}

// tags returns the tags of the resource an input names. keyward has no
// applications or trusted token issuers.
func (s *Service) tags(ctx context.Context, in *listTagsInput, res ic.TaggableResource) ([]ic.Tag, error) {
	switch res.Kind {
	case ic.ResourcePermissionSet:
		ps, err := s.permissionSet(ctx, in.InstanceArn, in.ResourceArn)
		return ps.Tags, err
	case ic.ResourceInstance:
		inst, err := s.checkInstance(ctx, in.ResourceArn)
		return inst.Tags, err
	}
	return nil, errs.E(errs.NotFound, "%s %s not found", res.Kind, in.ResourceArn)
}
