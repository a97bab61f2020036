package iamapi

import (
	"context"
	"slices"
	"strings"

	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

type listEntitiesInput struct {
	PolicyArn         string
	EntityFilter      string
	PathPrefix        string
	PolicyUsageFilter string
	Marker            string
	MaxItems          *int
}

type policyRoleXML struct {
	RoleName string
	RoleID   string `xml:"RoleId"`
}

type policyUserXML struct {
	UserName string
	UserID   string `xml:"UserId"`
}

type policyGroupXML struct {
	GroupName string
	GroupID   string `xml:"GroupId"`
}

type listEntitiesResult struct {
	PolicyGroups members[policyGroupXML]
	PolicyUsers  members[policyUserXML]
	PolicyRoles  members[policyRoleXML]
	truncation
}

// listEntitiesForPolicy lists the roles using a managed policy: the
// caller's own (attached or as their boundary) and Identity Center's (whose
// permission set names it), and the users and groups using it.
func (s *Service) listEntitiesForPolicy(ctx context.Context, in *listEntitiesInput) (*listEntitiesResult, error) {
	f, err := entitiesFilter(in)
	if err != nil {
		return nil, err
	}
	p, err := page(in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	account, ref, err := s.callerPolicy(ctx, in.PolicyArn)
	if err != nil {
		return nil, err
	}
	var roles []policyRoleXML
	if in.EntityFilter == "" || in.EntityFilter == "Role" {
		if roles, err = s.rolesUsing(ctx, account, ref.arn, f); err != nil {
			return nil, err
		}
	}
	users, groups, err := s.principalsUsing(ctx, account, ref.arn, in.EntityFilter, f)
	if err != nil {
		return nil, err
	}
	if p.Token != "" {
		users, groups = nil, nil // they came whole on the first page
	}
	page, next, err := pageSlice(roles, p)
	if err != nil {
		return nil, err
	}
	return &listEntitiesResult{PolicyGroups: list(groups), PolicyUsers: list(users),
		PolicyRoles: list(page), truncation: truncated(next)}, nil
}

// principalsUsing lists the account's users and groups using arn as f
// says (entityFilter "" for all, or "User" or "Group"), under f's path.
// They come on the first page whole (an account's principals using one
// policy are few); roles are paged.
func (s *Service) principalsUsing(ctx context.Context, account, arn, entityFilter string, f store.PolicyFilter) ([]policyUserXML, []policyGroupXML, error) {
	if entityFilter != "" && entityFilter != "User" && entityFilter != "Group" {
		return nil, nil, nil
	}
	users, groups, err := s.store.IAMPrincipalsForPolicy(ctx, account, arn, f.Usage)
	if err != nil {
		return nil, nil, err
	}
	var us []policyUserXML
	var gs []policyGroupXML
	for _, u := range users {
		if entityFilter != "Group" && strings.HasPrefix(u.Path, orRoot(f.PathPrefix)) {
			us = append(us, policyUserXML{UserName: u.Name, UserID: u.ID})
		}
	}
	for _, g := range groups {
		if entityFilter != "User" && strings.HasPrefix(g.Path, orRoot(f.PathPrefix)) {
			gs = append(gs, policyGroupXML{GroupName: g.Name, GroupID: g.ID})
		}
	}
	return us, gs, nil
}

func entitiesFilter(in *listEntitiesInput) (store.PolicyFilter, error) {
	switch in.EntityFilter {
	case "", "User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy":
	default:
		return store.PolicyFilter{}, iam.Invalid("entityFilter", in.EntityFilter,
			"Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]")
	}
	return policyFilter(&listPoliciesInput{PathPrefix: in.PathPrefix, PolicyUsageFilter: in.PolicyUsageFilter})
}

// rolesUsing lists the account's roles under f's path using arn as f's
// usage, ordered by name.
func (s *Service) rolesUsing(ctx context.Context, account, arn string, f store.PolicyFilter) ([]policyRoleXML, error) {
	own, err := s.store.RolesForPolicy(ctx, account, arn, f.Usage)
	if err != nil {
		return nil, err
	}
	if f.Usage != store.UsageBoundary {
		sso, err := s.ssoRoles(ctx, account)
		if err != nil {
			return nil, err
		}
		for _, r := range sso {
			if slices.Contains(r.managed, arn) {
				own = append(own, r.role)
			}
		}
	}
	var out []policyRoleXML
	for _, r := range own {
		if len(r.Path) >= len(f.PathPrefix) && r.Path[:len(f.PathPrefix)] == f.PathPrefix {
			out = append(out, policyRoleXML{RoleName: r.Name, RoleID: r.ID})
		}
	}
	return out, nil
}
