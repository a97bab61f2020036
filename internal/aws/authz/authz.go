// Package authz decides whether a signed AWS call is allowed, as IAM does:
// it gathers every policy that applies to the caller and the request — the
// caller's identity policies (an IAM role's inline and attached policies,
// or for an Identity Center role its permission set's), its permissions
// boundary, its session policies, a role's trust policy when the action
// assumes that role, and the service control policies above the caller's
// account — and asks iam.Evaluate. A refusal carries AWS's access denied
// message. It owns which policies apply to which principal and the request
// context keys keyward knows; it does not own the policy language or the
// evaluation logic (package iam), nor the action and resource names of
// operations (each service's inputs, through gateway.Resourcer, or for
// Organizations, whose ARNs need the organization, its callers).
//
// A root user may do anything in its own account, limited only by the
// service control policies over a member account (the management account
// has none), as in AWS; in another account it needs what anyone needs
// there, such as a role's trust policy.
package authz

import (
	"context"
	"strings"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

// Authority authorizes signed calls against the store's policies.
type Authority struct {
	store      Store
	clock      clock.Clock
	management string // the management account's id
	orgID      string
	docs       *docCache // identity policies: inline, managed, boundaries, session
	trustDocs  *docCache
	roles      readCache[store.RoleAuthorization]
	users      readCache[store.UserAuthorization]
}

// New returns an authority for the organization whose management account
// is managementAccountID.
func New(s Store, clk clock.Clock, managementAccountID, orgID string) *Authority {
	return &Authority{store: s, clock: clk, management: managementAccountID, orgID: orgID,
		docs: &docCache{parse: iam.ParseIdentityPolicy}, trustDocs: &docCache{parse: iam.ParseTrustPolicy}}
}

// Authorize is a gateway.Authorizer.
func (a *Authority) Authorize(ctx context.Context, p awsauth.Principal, req gateway.Request) error {
	if strings.EqualFold(req.Action, "sts:GetCallerIdentity") {
		return nil // AWS needs no permission for it
	}
	if err := sessionKindRefusal(p, req.Action); err != nil {
		return err
	}
	pol, err := a.policies(ctx, p, req)
	if err != nil {
		return err
	}
	r := a.request(ctx, p, req)
	r.Principal.Tags = a.principalTags(ctx, p)
	if err := decide(p, r, pol); err != nil {
		return err
	}
	// Passing session tags to a role or a federated user also needs
	// sts:TagSession, and passing a source identity to a role
	// sts:SetSourceIdentity, also when a role session passes on the one it
	// has (it always does: a source identity is kept along a role chain).
	assume := strings.EqualFold(req.Action, "sts:AssumeRole")
	if _, tagged := r.Context.Get(iam.KeyTagKeys); tagged && (assume || strings.EqualFold(req.Action, "sts:GetFederationToken")) {
		if err := decide(p, withAction(r, "sts:TagSession"), pol); err != nil {
			return err
		}
	}
	if _, sourced := r.Context.Get(iam.KeySTSSourceIdentity); (sourced || p.Session.SourceIdentity != "") && assume {
		return decide(p, withAction(r, "sts:SetSourceIdentity"), pol)
	}
	return nil
}

func withAction(r iam.Request, action string) iam.Request {
	r.Action = action
	return r
}

// decide evaluates r and words a denial as AWS does.
func decide(p awsauth.Principal, r iam.Request, pol iam.Policies) error {
	d := iam.Evaluate(r, pol)
	if d.Allowed {
		return nil
	}
	resource := r.Resource
	if resource == "*" {
		resource = ""
	}
	return errs.E(errs.Denied, "%s", d.Message(p.ARN, r.Action, resource))
}

// request is the evaluation's question: the caller, the action, the
// resource and its account, and the context keys.
func (a *Authority) request(ctx context.Context, p awsauth.Principal, req gateway.Request) iam.Request {
	return iam.Request{Action: req.Action, Resource: req.Resource, Principal: a.principal(p),
		ResourceAccount: arnAccount(req.Resource), Context: a.context(ctx, p, req)}
}

// principal describes the caller to the evaluator.
func (a *Authority) principal(p awsauth.Principal) iam.Principal {
	out := iam.Principal{ARN: p.ARN, Account: p.AccountID, UserID: p.UserID, OrgID: a.orgID}
	switch p.Type {
	case awsauth.Root:
		out.Type = iam.PrincipalTypeAccount
	case awsauth.AssumedRole:
		out.Type, out.RoleARN = iam.PrincipalTypeAssumedRole, p.Session.RoleARN()
		out.Tags, out.SourceIdentity = p.Session.Tags, p.Session.SourceIdentity
	case awsauth.User:
		out.Type, out.Username = iam.PrincipalTypeUser, p.ARN[strings.LastIndex(p.ARN, "/")+1:]
	case awsauth.FederatedUser:
		describeFederatedUser(&out, p)
	}
	return out
}

// arnAccount is the account field of an ARN: "" for "*", for an ARN
// without one (an SSO instance's) and for AWS's own resources (AWS managed
// policies, arn:aws:iam::aws:policy/…), which every account may read as
// its own. It is "" too for Organizations' resources: their ARNs name the
// management account, but Organizations itself decides which accounts may
// call it (a delegated administrator reads the organization with no
// resource-based policy), so the caller's own policies decide, as in its
// account.
func arnAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[4] == "aws" || parts[2] == "organizations" {
		return ""
	}
	return parts[4]
}
