package iamapi

import (
	"context"

	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

// userDetailXML is GetAccountAuthorizationDetails' UserDetail.
type userDetailXML struct {
	Path                    string
	UserName                string
	UserID                  string `xml:"UserId"`
	Arn                     string
	CreateDate              isoTime
	UserPolicyList          members[rolePolicyXML]
	GroupList               members[string]
	AttachedManagedPolicies members[attachedXML]
	PermissionsBoundary     *boundaryXML `xml:",omitempty"`
	Tags                    members[tagXML]
}

// groupDetailXML is GetAccountAuthorizationDetails' GroupDetail.
type groupDetailXML struct {
	Path                    string
	GroupName               string
	GroupID                 string `xml:"GroupId"`
	Arn                     string
	CreateDate              isoTime
	GroupPolicyList         members[rolePolicyXML]
	AttachedManagedPolicies members[attachedXML]
}

// everyPage calls each with every item list reads, page after page.
func everyPage[T any](read func(store.Page) ([]T, string, error), each func(T) error) error {
	for p := (store.Page{Limit: maxMaxItems}); ; {
		items, next, err := read(p)
		if err != nil {
			return err
		}
		for _, it := range items {
			if err := each(it); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		p.Token = next
	}
}

// ownerPolicies reads a user's or group's inline and attached policies.
func (s *Service) ownerPolicies(ctx context.Context, ownerID string) (members[rolePolicyXML], members[attachedXML], error) {
	var inline members[rolePolicyXML]
	var attached members[attachedXML]
	err := everyPage(func(p store.Page) ([]string, string, error) { return s.store.ListIAMInlinePolicies(ctx, ownerID, p) },
		func(name string) error {
			pol, err := s.store.IAMInlinePolicy(ctx, ownerID, name)
			inline.Member = append(inline.Member, rolePolicyXML{PolicyName: pol.Name, PolicyDocument: encodeDocument(pol.Document)})
			return err
		})
	if err != nil {
		return inline, attached, err
	}
	err = everyPage(func(p store.Page) ([]string, string, error) { return s.store.ListIAMAttachedPolicies(ctx, ownerID, p) },
		func(arn string) error {
			attached.Member = append(attached.Member, attachedOut(arn))
			return nil
		})
	return inline, attached, err
}

// userDetails describes every user of the account with its policies,
// groups, boundary and tags.
func (s *Service) userDetails(ctx context.Context, account string) ([]authDetail, error) {
	var out []authDetail
	err := everyPage(func(p store.Page) ([]iam.User, string, error) { return s.store.ListIAMUsers(ctx, account, "/", p) },
		func(u iam.User) error {
			d := &userDetailXML{Path: u.Path, UserName: u.Name, UserID: u.ID, Arn: u.ARN(), CreateDate: isoTime(u.CreatedAt),
				PermissionsBoundary: boundaryOut(u.PermissionsBoundary), Tags: tagsOut(u.Tags)}
			var err error
			if d.UserPolicyList, d.AttachedManagedPolicies, err = s.ownerPolicies(ctx, u.ID); err != nil {
				return err
			}
			err = everyPage(func(p store.Page) ([]iam.Group, string, error) { return s.store.ListIAMGroupsForUser(ctx, u.ID, p) },
				func(g iam.Group) error {
					d.GroupList.Member = append(d.GroupList.Member, g.Name)
					return nil
				})
			out = append(out, authDetail{user: d})
			return err
		})
	return out, err
}

// groupDetails describes every group of the account with its policies.
func (s *Service) groupDetails(ctx context.Context, account string) ([]authDetail, error) {
	var out []authDetail
	err := everyPage(func(p store.Page) ([]iam.Group, string, error) { return s.store.ListIAMGroups(ctx, account, "/", p) },
		func(g iam.Group) error {
			d := &groupDetailXML{Path: g.Path, GroupName: g.Name, GroupID: g.ID, Arn: g.ARN(), CreateDate: isoTime(g.CreatedAt)}
			var err error
			d.GroupPolicyList, d.AttachedManagedPolicies, err = s.ownerPolicies(ctx, g.ID)
			out = append(out, authDetail{group: d})
			return err
		})
	return out, err
}
