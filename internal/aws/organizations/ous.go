package organizations

import (
	"context"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

type createOrganizationInput struct{ FeatureSet string }

// createOrganization answers as AWS does for an account already in an
// organization: keyward's organization exists from the first start.
func (s *Service) createOrganization(_ context.Context, in *createOrganizationInput) (*struct{}, error) {
	if in.FeatureSet != "" && in.FeatureSet != "ALL" && in.FeatureSet != "CONSOLIDATED_BILLING" {
		return nil, invalid("INVALID_ENUM", "FeatureSet must be ALL or CONSOLIDATED_BILLING")
	}
	return nil, errs.E(errs.Conflict, "The AWS account is already a member of an organization.").
		WithCode("AlreadyInOrganizationException")
}

type root struct {
	ID          string `json:"Id"`
	Arn         string
	Name        string
	PolicyTypes []policyType
}

func rootOut(o ic.Organization, r ic.Root) root {
	return root{ID: r.ID, Arn: rootARN(o, r.ID), Name: r.Name, PolicyTypes: policyTypesOut(r)}
}

func policyTypesOut(r ic.Root) []policyType {
	out := []policyType{}
	for _, t := range r.PolicyTypes {
		out = append(out, policyType{Type: t, Status: "ENABLED"})
	}
	return out
}

type listRootsOutput struct {
	Roots     []root
	NextToken string `json:",omitempty"`
}

func (s *Service) listRoots(ctx context.Context, in *pageArgs) (*listRootsOutput, error) {
	if _, err := protocol.Limit(in.MaxResults, defaultPage, maxPage); err != nil {
		return nil, err
	}
	if in.NextToken != "" {
		return nil, invalid("INVALID_NEXT_TOKEN", "invalid NextToken")
	}
	o, err := s.org(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.store.Root(ctx)
	if err != nil {
		return nil, err
	}
	return &listRootsOutput{Roots: []root{rootOut(o, r)}}, nil
}

type orgUnit struct {
	ID   string `json:"Id"`
	Arn  string
	Name string
	Path string `json:",omitempty"`
}

// ouOut describes an OU with its path.
func (s *Service) ouOut(ctx context.Context, o ic.Organization, ou ic.OrgUnit) (orgUnit, error) {
	path, err := s.store.PathOf(ctx, ou.ID)
	if err != nil {
		return orgUnit{}, err
	}
	return orgUnit{ID: ou.ID, Arn: ouARN(o, ou.ID), Name: ou.Name, Path: pathString(o, path)}, nil
}

type ouOutput struct{ OrganizationalUnit orgUnit }

type createOUInput struct {
	ParentID string `json:"ParentId"`
	Name     string
	Tags     []ic.Tag
}

func (s *Service) createOrganizationalUnit(ctx context.Context, in *createOUInput) (*ouOutput, error) {
	if err := checkID("parentId", in.ParentID, validParent, "INVALID_PATTERN", parentShape); err != nil {
		return nil, err
	}
	if err := ic.ValidateOrgUnitName(in.Name); err != nil {
		return nil, err
	}
	if err := validateTags(in.Tags); err != nil {
		return nil, err
	}
	path, err := s.parentPath(ctx, in.ParentID)
	if err != nil {
		return nil, err
	}
	if len(path) > ic.MaxOUDepth { // the root and MaxOUDepth OUs
		return nil, constraintViolation("OU_DEPTH_LIMIT_EXCEEDED", "You attempted to create an OU tree that is too many levels deep.")
	}
	ou := ic.OrgUnit{ID: ic.NewOrgUnitID(s.random, path[0]), Name: in.Name, ParentID: in.ParentID, CreatedAt: s.clock.Now()}
	if err := s.store.CreateOrgUnit(ctx, ou, in.Tags); err != nil {
		return nil, err
	}
	return s.describeOU(ctx, ou)
}

// parentPath returns the path of an existing root or OU, or
// errs.NotFound ResourceParent.
func (s *Service) parentPath(ctx context.Context, parentID string) ([]string, error) {
	if ic.OrgKindOf(parentID) == ic.KindRoot {
		r, err := s.store.Root(ctx)
		if err != nil || r.ID != parentID {
			return nil, orMissing(err, store.ResourceParent, parentID)
		}
		return []string{r.ID}, nil
	}
	path, err := s.store.PathOf(ctx, parentID)
	if errs.Is(err, errs.NotFound) {
		return nil, orMissing(nil, store.ResourceParent, parentID)
	}
	return path, err
}

// orMissing returns err unless it is nil or errs.NotFound, in which case
// it is errs.NotFound of resource.
func orMissing(err error, resource, id string) error {
	if err != nil && !errs.Is(err, errs.NotFound) {
		return err
	}
	return errs.E(errs.NotFound, "%s %s not found", resource, id).WithResource(resource, id)
}

func (s *Service) describeOU(ctx context.Context, ou ic.OrgUnit) (*ouOutput, error) {
	o, err := s.org(ctx)
	if err != nil {
		return nil, err
	}
	out, err := s.ouOut(ctx, o, ou)
	if err != nil {
		return nil, err
	}
	return &ouOutput{OrganizationalUnit: out}, nil
}

type ouIDInput struct {
	OrganizationalUnitID string `json:"OrganizationalUnitId"`
}

func checkOUID(id string) error {
	return checkID("organizationalUnitId", id, ic.ValidOrgUnitID, "INVALID_PATTERN", ouShape)
}

func (s *Service) describeOrganizationalUnit(ctx context.Context, in *ouIDInput) (*ouOutput, error) {
	if err := checkOUID(in.OrganizationalUnitID); err != nil {
		return nil, err
	}
	ou, err := s.store.OrgUnit(ctx, in.OrganizationalUnitID)
	if err != nil {
		return nil, err
	}
	return s.describeOU(ctx, ou)
}

type updateOUInput struct {
	OrganizationalUnitID string `json:"OrganizationalUnitId"`
	Name                 *string
}

func (s *Service) updateOrganizationalUnit(ctx context.Context, in *updateOUInput) (*ouOutput, error) {
	if err := checkOUID(in.OrganizationalUnitID); err != nil {
		return nil, err
	}
	if in.Name == nil {
		return s.describeOrganizationalUnit(ctx, &ouIDInput{OrganizationalUnitID: in.OrganizationalUnitID})
	}
	if err := ic.ValidateOrgUnitName(*in.Name); err != nil {
		return nil, err
	}
	ou, err := s.store.UpdateOrgUnit(ctx, in.OrganizationalUnitID, func(ou ic.OrgUnit) (ic.OrgUnit, error) {
		ou.Name = *in.Name
		return ou, nil
	})
	if err != nil {
		return nil, err
	}
	return s.describeOU(ctx, ou)
}

func (s *Service) deleteOrganizationalUnit(ctx context.Context, in *ouIDInput) (*struct{}, error) {
	if err := checkOUID(in.OrganizationalUnitID); err != nil {
		return nil, err
	}
	return done(s.store.DeleteOrgUnit(ctx, in.OrganizationalUnitID))
}
