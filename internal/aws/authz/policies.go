package authz

import (
	"context"
	"strings"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// Store is what authorization reads.
type Store interface {
	RoleAuthorization(ctx context.Context, accountID, roleName string) (store.RoleAuthorization, error)
	UserAuthorization(ctx context.Context, userID string) (store.UserAuthorization, error)
	IAMUser(ctx context.Context, accountID, name string) (iam.User, error)
	IAMGroup(ctx context.Context, accountID, name string) (iam.Group, error)
	ListIAMInlinePolicies(ctx context.Context, ownerID string, p store.Page) ([]string, string, error)
	IAMInlinePolicy(ctx context.Context, ownerID, name string) (iam.InlinePolicy, error)
	ListIAMAttachedPolicies(ctx context.Context, ownerID string, p store.Page) ([]string, string, error)
	IAMPolicy(ctx context.Context, accountID, name string) (iam.Policy, error)
	PolicyVersion(ctx context.Context, accountID, name, versionID string) (iam.PolicyVersion, error)
	ListRoles(ctx context.Context, f store.RoleFilter, p store.Page) ([]ic.Role, string, error)
	PermissionSet(ctx context.Context, id string) (ic.PermissionSet, error)
	EffectiveSCPs(ctx context.Context, accountID string) ([]store.SCPLevel, error)
}

// policies gathers every policy that applies to p making req.
func (a *Authority) policies(ctx context.Context, p awsauth.Principal, req gateway.Request) (iam.Policies, error) {
	var pol iam.Policies
	var err error
	switch p.Type {
	case awsauth.Root:
		pol.Identity = []iam.Document{allowAll}
	case awsauth.AssumedRole:
		pol, err = a.rolePolicies(ctx, p.Session)
	case awsauth.User:
		pol.Identity, pol.Boundary, err = a.userPolicies(ctx, p.UserID)
	case awsauth.FederatedUser:
		pol, err = a.federatedUserPolicies(ctx, p, func(ctx context.Context, parent awsauth.Principal) (iam.Policies, error) {
			var pp iam.Policies
			var err error
			pp.Identity, pp.Boundary, err = a.userPolicies(ctx, parent.UserID)
			return pp, err
		})
	default:
		return pol, errs.E(errs.Denied, "%s principals cannot call this API", p.Type)
	}
	if err != nil {
		return pol, err
	}
	if pol.Trust, err = a.trustPolicy(ctx, req); err != nil {
		return pol, err
	}
	pol.SCPs, err = a.scps(ctx, p.AccountID)
	return pol, err
}

// scps are the service control policies over an account, one list per
// level; nil for the management account, which SCPs never limit, and
// while SCPs are disabled.
func (a *Authority) scps(ctx context.Context, accountID string) ([][]iam.Document, error) {
	if accountID == a.management {
		return nil, nil
	}
	levels, err := a.store.EffectiveSCPs(ctx, accountID)
	if errs.Is(err, errs.NotFound) || len(levels) == 0 {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([][]iam.Document, len(levels))
	for i, l := range levels {
		out[i] = []iam.Document{}
		for _, p := range l.Policies {
			out[i] = a.docs.add(out[i], p.Content)
		}
	}
	return out, nil
}

// allowAll stands for a root user's implicit permission to everything in
// its account.
var allowAll = iam.Document{Version: "2012-10-17", Statement: []iam.Statement{{Effect: "Allow", Action: []string{"*"}, Resource: []string{"*"}}}}

// rolePolicies are a role session's identity, boundary and session
// policies. Identity Center's roles take their permission set's policies.
func (a *Authority) rolePolicies(ctx context.Context, s iam.Session) (iam.Policies, error) {
	var pol iam.Policies
	var err error
	if s.RolePath == ic.RolePath {
		pol.Identity, pol.Boundary, err = a.permissionSetPolicies(ctx, s)
	} else {
		pol.Identity, pol.Boundary, err = a.iamRolePolicies(ctx, s)
	}
	if err != nil {
		return pol, err
	}
	pol.Session, err = a.sessionPolicies(ctx, s)
	return pol, err
}

// permissionSetPolicies are the AWS and customer managed and inline
// policies of the permission set behind an Identity Center role, and its
// permissions boundary. Customer managed references resolve to the policy
// of that name in the role's account. keyward evaluates the permission set
// as it is now, where AWS uses what was last provisioned.
func (a *Authority) permissionSetPolicies(ctx context.Context, s iam.Session) (identity, boundary []iam.Document, err error) {
	ps, found, err := a.sessionPermissionSet(ctx, s)
	if err != nil || !found {
		return nil, nil, err // a deprovisioned role's sessions have no permissions left
	}
	identity = a.managedDocs(ps.ManagedPolicies)
	for _, ref := range ps.CustomerPolicies {
		doc, err := a.policyDocument(ctx, ref.ARN(s.AccountID))
		if err != nil {
			return nil, nil, err
		}
		identity = a.docs.add(identity, doc)
	}
	if ps.InlinePolicy != "" {
		identity = a.docs.add(identity, ps.InlinePolicy)
	}
	if ps.Boundary != nil {
		doc, err := a.policyDocument(ctx, ps.Boundary.ARN(s.AccountID))
		if err != nil {
			return nil, nil, err
		}
		// A boundary that cannot be read allows nothing: non-nil and empty.
		boundary = a.docs.add([]iam.Document{}, doc)
	}
	return identity, boundary, nil
}

// sessionPermissionSet is the permission set of the Identity Center role a
// session is for; found is false once the role or permission set is gone.
func (a *Authority) sessionPermissionSet(ctx context.Context, s iam.Session) (ic.PermissionSet, bool, error) {
	roles, _, err := a.store.ListRoles(ctx, store.RoleFilter{AccountID: s.AccountID}, store.Page{Limit: 1000})
	if err != nil {
		return ic.PermissionSet{}, false, err
	}
	for _, r := range roles {
		if r.ID != s.RoleID {
			continue
		}
		ps, err := a.store.PermissionSet(ctx, r.PermissionSetID)
		if errs.Is(err, errs.NotFound) {
			return ps, false, nil
		}
		return ps, err == nil, err
	}
	return ic.PermissionSet{}, false, nil
}

// iamRolePolicies are an IAM role's inline and attached policies and its
// permissions boundary. A role deleted since the session began grants
// nothing.
func (a *Authority) iamRolePolicies(ctx context.Context, s iam.Session) (identity, boundary []iam.Document, err error) {
	ra, err := a.roleAuthorization(ctx, s.AccountID, s.RoleName)
	if errs.Is(err, errs.NotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	identity = a.identityDocs(ra.Inline, ra.Attached)
	boundary, err = a.boundary(ctx, ra.Role.PermissionsBoundary)
	return identity, boundary, err
}

// userPolicies are an IAM user's and its groups' policies and the user's
// permissions boundary. A user deleted since its key was read grants
// nothing.
func (a *Authority) userPolicies(ctx context.Context, userID string) (identity, boundary []iam.Document, err error) {
	ua, err := a.userAuthorization(ctx, userID)
	if errs.Is(err, errs.NotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	identity = a.identityDocs(ua.Inline, ua.Attached)
	boundary, err = a.boundary(ctx, ua.User.PermissionsBoundary)
	return identity, boundary, err
}

// identityDocs are the documents of inline and attached policies.
func (a *Authority) identityDocs(inline []store.RolePolicy, attached []store.AttachedPolicy) []iam.Document {
	var docs []iam.Document
	for _, p := range inline {
		docs = a.docs.add(docs, p.Document)
	}
	for _, p := range attached {
		docs = a.attachedDoc(docs, p.ARN, p.Document)
	}
	return docs
}

// boundary is a permissions boundary's document: nil when there is none,
// and non-nil but empty (allowing nothing) when it cannot be read.
func (a *Authority) boundary(ctx context.Context, arn string) ([]iam.Document, error) {
	if arn == "" {
		return nil, nil
	}
	doc, err := a.policyDocument(ctx, arn)
	if err != nil {
		return nil, err
	}
	return a.docs.add([]iam.Document{}, doc), nil
}

// sessionPolicies are the policies passed when the session was made; nil
// when none were, so that they do not limit it.
func (a *Authority) sessionPolicies(ctx context.Context, s iam.Session) ([]iam.Document, error) {
	if s.Policy == "" && len(s.PolicyARNs) == 0 {
		return nil, nil
	}
	docs := []iam.Document{}
	if s.Policy != "" {
		docs = a.docs.add(docs, s.Policy)
	}
	for _, arn := range s.PolicyARNs {
		doc, err := a.policyDocument(ctx, arn)
		if err != nil {
			return nil, err
		}
		docs = a.docs.add(docs, doc)
	}
	return docs, nil
}

// trustPolicy is the trust policy of the role an sts:AssumeRole request
// names; nil for every other request.
func (a *Authority) trustPolicy(ctx context.Context, req gateway.Request) ([]iam.Document, error) {
	if !strings.EqualFold(req.Action, "sts:AssumeRole") {
		return nil, nil
	}
	account, name, ok := iam.ParseRoleARN(req.Resource)
	if !ok {
		return []iam.Document{}, nil
	}
	ra, err := a.roleAuthorization(ctx, account, name)
	if errs.Is(err, errs.NotFound) {
		return []iam.Document{}, nil
	}
	if err != nil {
		return nil, err
	}
	return a.trustDocs.add([]iam.Document{}, ra.Role.TrustPolicy), nil
}

// managedDocs are the documents of AWS managed policies by ARN; one keyward
// does not bundle a document for grants nothing.
func (a *Authority) managedDocs(arns []string) []iam.Document {
	var docs []iam.Document
	for _, arn := range arns {
		docs = a.attachedDoc(docs, arn, "")
	}
	return docs
}

// attachedDoc appends an attached policy's document: a customer managed
// policy's default version, or an AWS managed policy's bundled document.
func (a *Authority) attachedDoc(docs []iam.Document, arn, doc string) []iam.Document {
	if doc == "" {
		if m, ok := iam.LookupManaged(arn); ok && m.Document != nil {
			doc = string(m.Document)
		}
	}
	return a.docs.add(docs, doc)
}

// policyDocument reads a managed policy's default document by ARN: AWS
// managed from the catalog, customer managed from the store ("" when it
// does not exist).
func (a *Authority) policyDocument(ctx context.Context, arn string) (string, error) {
	if m, ok := iam.LookupManaged(arn); ok {
		return string(m.Document), nil
	}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || !strings.HasPrefix(parts[5], "policy/") {
		return "", nil
	}
	name := parts[5][strings.LastIndex(parts[5], "/")+1:]
	p, err := a.store.IAMPolicy(ctx, parts[4], name)
	if errs.Is(err, errs.NotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	v, err := a.store.PolicyVersion(ctx, parts[4], name, p.DefaultVersion)
	if errs.Is(err, errs.NotFound) {
		return "", nil
	}
	return v.Document, err
}
