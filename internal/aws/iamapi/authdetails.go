package iamapi

import (
	"context"
	"slices"

	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

type authDetailsInput struct {
	Filter   []string
	Marker   string
	MaxItems *int
}

type rolePolicyXML struct {
	PolicyName     string
	PolicyDocument string
}

type roleDetailXML struct {
	Path                     string
	RoleName                 string
	RoleID                   string `xml:"RoleId"`
	Arn                      string
	CreateDate               isoTime
	AssumeRolePolicyDocument string
	InstanceProfileList      members[struct{}]
	RolePolicyList           members[rolePolicyXML]
	AttachedManagedPolicies  members[attachedXML]
	PermissionsBoundary      *boundaryXML `xml:",omitempty"`
	Tags                     members[tagXML]
	RoleLastUsed             *lastUsedXML `xml:",omitempty"`
}

type policyDetailXML struct {
	policyXML
	PolicyVersionList members[versionXML]
}

type authDetailsResult struct {
	UserDetailList  members[userDetailXML]
	GroupDetailList members[groupDetailXML]
	RoleDetailList  members[roleDetailXML]
	Policies        members[policyDetailXML]
	truncation
}

// authDetail is one entry of the combined list GetAccountAuthorizationDetails
// pages through: a user, a group, a role or a managed policy.
type authDetail struct {
	user   *userDetailXML
	group  *groupDetailXML
	role   *roleDetailXML
	policy *policyDetailXML
}

// getAccountAuthorizationDetails describes the account's users, groups,
// roles and managed policies (customer managed ones, and AWS managed ones
// in use), paged through in that order, as AWS lists them.
func (s *Service) getAccountAuthorizationDetails(ctx context.Context, in *authDetailsInput) (*authDetailsResult, error) {
	account, err := callerAccount(ctx)
	if err != nil {
		return nil, err
	}
	want, err := detailFilter(in.Filter)
	if err != nil {
		return nil, err
	}
	p, err := page(in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	all, err := s.principalDetails(ctx, account, want)
	if err != nil {
		return nil, err
	}
	policies, err := s.policyDetails(ctx, account, want["LocalManagedPolicy"], want["AWSManagedPolicy"])
	if err != nil {
		return nil, err
	}
	page, next, err := pageSlice(append(all, policies...), p)
	if err != nil {
		return nil, err
	}
	out := &authDetailsResult{truncation: truncated(next)}
	for _, d := range page {
		switch {
		case d.user != nil:
			out.UserDetailList.Member = append(out.UserDetailList.Member, *d.user)
		case d.group != nil:
			out.GroupDetailList.Member = append(out.GroupDetailList.Member, *d.group)
		case d.role != nil:
			out.RoleDetailList.Member = append(out.RoleDetailList.Member, *d.role)
		default:
			out.Policies.Member = append(out.Policies.Member, *d.policy)
		}
	}
	return out, nil
}

// principalDetails lists the users, groups and roles want asks for.
func (s *Service) principalDetails(ctx context.Context, account string, want map[string]bool) ([]authDetail, error) {
	var all []authDetail
	for _, kind := range []struct {
		name string
		list func(context.Context, string) ([]authDetail, error)
	}{{"User", s.userDetails}, {"Group", s.groupDetails}, {"Role", s.roleDetails}} {
		if !want[kind.name] {
			continue
		}
		got, err := kind.list(ctx, account)
		if err != nil {
			return nil, err
		}
		all = append(all, got...)
	}
	return all, nil
}

var detailTypes = []string{"User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"}

func detailFilter(filter []string) (map[string]bool, error) {
	if len(filter) == 0 {
		filter = detailTypes
	}
	want := map[string]bool{}
	for _, f := range filter {
		if !slices.Contains(detailTypes, f) {
			return nil, iam.Invalid("filter", f, "Member must satisfy constraint: [Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]]")
		}
		want[f] = true
	}
	return want, nil
}

func (s *Service) roleDetails(ctx context.Context, account string) ([]authDetail, error) {
	var out []authDetail
	for p := (store.Page{Limit: 100}); ; {
		roles, next, err := s.store.ListIAMRoles(ctx, account, "/", p)
		if err != nil {
			return nil, err
		}
		for _, r := range roles {
			a, err := s.store.RoleAuthorization(ctx, account, r.Name)
			if err != nil {
				return nil, err
			}
			out = append(out, authDetail{role: roleDetailOut(a)})
		}
		if next == "" {
			break
		}
		p.Token = next
	}
	sso, err := s.ssoRoles(ctx, account)
	for _, r := range sso {
		out = append(out, authDetail{role: roleDetailOut(r.authorization())})
	}
	return out, err
}

func roleDetailOut(a store.RoleAuthorization) *roleDetailXML {
	r := roleOut(a.Role)
	d := &roleDetailXML{Path: r.Path, RoleName: r.RoleName, RoleID: r.RoleID, Arn: r.Arn, CreateDate: r.CreateDate,
		AssumeRolePolicyDocument: r.AssumeRolePolicyDocument, PermissionsBoundary: r.PermissionsBoundary,
		Tags: tagsOut(a.Role.Tags), RoleLastUsed: r.RoleLastUsed}
	for _, p := range a.Inline {
		d.RolePolicyList.Member = append(d.RolePolicyList.Member, rolePolicyXML{PolicyName: p.Name, PolicyDocument: encodeDocument(p.Document)})
	}
	for _, p := range a.Attached {
		d.AttachedManagedPolicies.Member = append(d.AttachedManagedPolicies.Member, attachedOut(p.ARN))
	}
	return d
}

// policyDetails lists the customer managed policies (local) and the AWS
// managed ones in use (aws), each with its versions.
func (s *Service) policyDetails(ctx context.Context, account string, local, aws bool) ([]authDetail, error) {
	uses, err := s.policyUses(ctx, account)
	if err != nil {
		return nil, err
	}
	var out []authDetail
	for p := (store.Page{Limit: 100}); local; {
		policies, next, err := s.store.ListIAMPolicies(ctx, account, store.PolicyFilter{PathPrefix: "/"}, p)
		if err != nil {
			return nil, err
		}
		for _, pol := range policies {
			versions, err := s.store.ListPolicyVersions(ctx, account, pol.Name)
			if err != nil {
				return nil, err
			}
			d := &policyDetailXML{policyXML: customerPolicyOut(pol, uses[pol.ARN()], false)}
			for _, v := range versions {
				d.PolicyVersionList.Member = append(d.PolicyVersionList.Member, versionOut(v))
			}
			out = append(out, authDetail{policy: d})
		}
		if next == "" {
			break
		}
		p.Token = next
	}
	if aws {
		for _, pol := range awsPolicies(store.PolicyFilter{PathPrefix: "/", OnlyAttached: true}, uses) {
			d := &policyDetailXML{policyXML: pol}
			if m, ok := iam.LookupManaged(pol.Arn); ok && len(m.Document) > 0 {
				d.PolicyVersionList.Member = []versionXML{versionOut(iam.PolicyVersion{VersionID: "v1", Document: string(m.Document),
					IsDefault: true, CreatedAt: awsPolicyDate})}
			}
			out = append(out, authDetail{policy: d})
		}
	}
	return out, nil
}
