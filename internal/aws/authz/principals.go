package authz

import (
	"context"
	"strings"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

// PrincipalPolicies describes the IAM user, group or role an ARN names and
// gathers its identity policies, permissions boundary and the SCPs over
// its account, for the policy simulator (iam:SimulatePrincipalPolicy). An
// ARN naming no such entity is errs.NotFound.
func (a *Authority) PrincipalPolicies(ctx context.Context, arn string) (iam.Principal, iam.Policies, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[2] != "iam" {
		return iam.Principal{}, iam.Policies{}, errs.E(errs.Invalid, "PolicySourceArn %.128q is not the ARN of an IAM user, group or role.", arn).WithCode("InvalidInput")
	}
	account, res := parts[4], parts[5]
	kind, name := res[:max(strings.Index(res, "/"), 0)], res[strings.LastIndex(res, "/")+1:]
	p := iam.Principal{ARN: arn, Account: account, OrgID: a.orgID}
	var pol iam.Policies
	var err error
	switch kind {
	case "role":
		p.Type, p.RoleARN = iam.PrincipalTypeAssumedRole, arn
		pol.Identity, pol.Boundary, err = a.namedRolePolicies(ctx, account, name)
	case "user":
		p.Type, p.Username = iam.PrincipalTypeUser, name
		pol.Identity, pol.Boundary, err = a.namedUserPolicies(ctx, account, name)
	case "group":
		pol.Identity, err = a.groupPolicies(ctx, account, name)
	default:
		err = errs.E(errs.Invalid, "PolicySourceArn %.128q is not the ARN of an IAM user, group or role.", arn).WithCode("InvalidInput")
	}
	if err != nil {
		return p, pol, err
	}
	pol.SCPs, err = a.scps(ctx, account)
	return p, pol, err
}

func (a *Authority) namedRolePolicies(ctx context.Context, account, name string) ([]iam.Document, []iam.Document, error) {
	ra, err := a.store.RoleAuthorization(ctx, account, name)
	if err != nil {
		return nil, nil, err
	}
	b, err := a.boundary(ctx, ra.Role.PermissionsBoundary)
	return a.identityDocs(ra.Inline, ra.Attached), b, err
}

func (a *Authority) namedUserPolicies(ctx context.Context, account, name string) ([]iam.Document, []iam.Document, error) {
	u, err := a.store.IAMUser(ctx, account, name)
	if err != nil {
		return nil, nil, err
	}
	return a.userPolicies(ctx, u.ID)
}

// groupPolicies are a group's inline and attached policies.
func (a *Authority) groupPolicies(ctx context.Context, account, name string) ([]iam.Document, error) {
	g, err := a.store.IAMGroup(ctx, account, name)
	if err != nil {
		return nil, err
	}
	names, _, err := a.store.ListIAMInlinePolicies(ctx, g.ID, store.Page{Limit: 1000})
	if err != nil {
		return nil, err
	}
	var inline []store.RolePolicy
	for _, n := range names {
		p, err := a.store.IAMInlinePolicy(ctx, g.ID, n)
		if err != nil {
			return nil, err
		}
		inline = append(inline, store.RolePolicy{Name: p.Name, Document: p.Document})
	}
	arns, _, err := a.store.ListIAMAttachedPolicies(ctx, g.ID, store.Page{Limit: 1000})
	if err != nil {
		return nil, err
	}
	var attached []store.AttachedPolicy
	for _, arn := range arns {
		doc, err := a.policyDocument(ctx, arn)
		if err != nil {
			return nil, err
		}
		attached = append(attached, store.AttachedPolicy{ARN: arn, Document: doc})
	}
	return a.identityDocs(inline, attached), nil
}
