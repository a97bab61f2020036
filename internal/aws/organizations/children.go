package organizations

import (
	"context"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

type parentInput struct {
	ParentID string `json:"ParentId"`
	pageArgs
}

// parentPage checks a list-under-a-parent input and returns its page.
func parentPage(in *parentInput) (store.Page, error) {
	if err := checkID("parentId", in.ParentID, validParent, "INVALID_PATTERN", parentShape); err != nil {
		return store.Page{}, err
	}
	limit, err := protocol.Limit(in.MaxResults, defaultPage, maxPage)
	return store.Page{Limit: limit, Token: in.NextToken}, err
}

type listOUsOutput struct {
	OrganizationalUnits []orgUnit
	NextToken           string `json:",omitempty"`
}

func (s *Service) listOrganizationalUnitsForParent(ctx context.Context, in *parentInput) (*listOUsOutput, error) {
	p, err := parentPage(in)
	if err != nil {
		return nil, err
	}
	o, err := s.org(ctx)
	if err != nil {
		return nil, err
	}
	ous, next, err := s.store.ListOrgUnits(ctx, in.ParentID, p)
	if err != nil {
		return nil, invalidToken(err)
	}
	out := &listOUsOutput{OrganizationalUnits: []orgUnit{}, NextToken: next}
	for _, ou := range ous {
		w, err := s.ouOut(ctx, o, ou)
		if err != nil {
			return nil, err
		}
		out.OrganizationalUnits = append(out.OrganizationalUnits, w)
	}
	return out, nil
}

func (s *Service) listAccountsForParent(ctx context.Context, in *parentInput) (*listAccountsOutput, error) {
	p, err := parentPage(in)
	if err != nil {
		return nil, err
	}
	accts, next, err := s.store.ListAccountsForParent(ctx, in.ParentID, p)
	if err != nil {
		return nil, invalidToken(err)
	}
	return s.accountsOut(ctx, accts, next)
}

type listChildrenInput struct {
	ParentID  string `json:"ParentId"`
	ChildType string
	pageArgs
}

type child struct {
	ID   string `json:"Id"`
	Type string
}

type listChildrenOutput struct {
	Children  []child
	NextToken string `json:",omitempty"`
}

func (s *Service) listChildren(ctx context.Context, in *listChildrenInput) (*listChildrenOutput, error) {
	p, err := parentPage(&parentInput{ParentID: in.ParentID, pageArgs: in.pageArgs})
	if err != nil {
		return nil, err
	}
	var ids []string
	var next string
	switch in.ChildType {
	case ic.KindAccount:
		var accts []ic.Account
		accts, next, err = s.store.ListAccountsForParent(ctx, in.ParentID, p)
		for _, a := range accts {
			ids = append(ids, a.ID)
		}
	case ic.KindOrgUnit:
		var ous []ic.OrgUnit
		ous, next, err = s.store.ListOrgUnits(ctx, in.ParentID, p)
		for _, ou := range ous {
			ids = append(ids, ou.ID)
		}
	case "":
		return nil, inputRequired(protocol.Required("childType", ""))
	default:
		return nil, invalid("INVALID_ENUM", "ChildType %.64q must be ACCOUNT or ORGANIZATIONAL_UNIT", in.ChildType)
	}
	if err != nil {
		return nil, invalidToken(err)
	}
	out := &listChildrenOutput{Children: []child{}, NextToken: next}
	for _, id := range ids {
		out.Children = append(out.Children, child{ID: id, Type: in.ChildType})
	}
	return out, nil
}

type listParentsInput struct {
	ChildID string `json:"ChildId"`
	pageArgs
}

type listParentsOutput struct {
	Parents   []child
	NextToken string `json:",omitempty"`
}

func (s *Service) listParents(ctx context.Context, in *listParentsInput) (*listParentsOutput, error) {
	if err := checkID("childId", in.ChildID, validChild, "INVALID_PATTERN", childShape); err != nil {
		return nil, err
	}
	if _, err := protocol.Limit(in.MaxResults, defaultPage, maxPage); err != nil {
		return nil, err
	}
	if in.NextToken != "" {
		return nil, invalid("INVALID_NEXT_TOKEN", "invalid NextToken")
	}
	parent, err := s.store.ParentOf(ctx, in.ChildID)
	if errs.Is(err, errs.NotFound) {
		return nil, errs.E(errs.NotFound, "We can't find an organizational unit (OU) or Amazon Web Services account with the ChildId that you specified.").
			WithCode("ChildNotFoundException")
	}
	if err != nil {
		return nil, err
	}
	return &listParentsOutput{Parents: []child{{ID: parent, Type: kindOfParent(parent)}}}, nil
}

type moveAccountInput struct {
	AccountID           string `json:"AccountId"`
	SourceParentID      string `json:"SourceParentId"`
	DestinationParentID string `json:"DestinationParentId"`
}

func (s *Service) moveAccount(ctx context.Context, in *moveAccountInput) (*struct{}, error) {
	if err := checkID("accountId", in.AccountID, ic.ValidAccountID, "INVALID_PATTERN", "12 digits"); err != nil {
		return nil, err
	}
	if err := checkID("sourceParentId", in.SourceParentID, validParent, "INVALID_PATTERN", parentShape); err != nil {
		return nil, err
	}
	if err := checkID("destinationParentId", in.DestinationParentID, validParent, "INVALID_PATTERN", parentShape); err != nil {
		return nil, err
	}
	err := s.store.MoveAccount(ctx, in.AccountID, in.SourceParentID, in.DestinationParentID)
	if e, ok := errs.As(err); ok && e.Kind == errs.NotFound && e.ResourceType == store.ResourceParent {
		if e.ResourceID == in.SourceParentID {
			return nil, errs.E(errs.NotFound, "We can't find a source root or OU with the ParentId that you specified.").
				WithCode("SourceParentNotFoundException")
		}
		return nil, errs.E(errs.NotFound, "We can't find the destination container (a root or OU) with the ParentId that you specified.").
			WithCode("DestinationParentNotFoundException")
	}
	return done(err)
}

// done is the empty output of an operation that returns nothing, or err.
func done(err error) (*struct{}, error) {
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
