package storetest

import (
	"testing"
	"time"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

// errConflictKind names errs.Conflict for isKind.
const errConflictKind = errs.Conflict

var iamProviderTests = []test{
	{"a SAML provider is created, found by ARN, listed, updated and deleted", func(t *testing.T, h *harness) {
		p := iam.SAMLProvider{AccountID: iamAccount, Name: "okta", Metadata: "<md/>", EntityID: "http://idp",
			Certificates: []string{"MIIB"}, CreatedAt: h.clk.Now(), ValidUntil: h.clk.Now().Add(time.Hour)}
		ok(t, h.s.CreateIAMSAMLProvider(h.ctx, p))
		equal(t, "event", "iam.samlprovider.create", h.lastEvent(t).Action)
		taken(t, h.s.CreateIAMSAMLProvider(h.ctx, p), store.ResourceIAMSAMLProvider, store.FieldName)
		got, err := h.s.IAMSAMLProvider(h.ctx, p.ARN())
		ok(t, err)
		equal(t, "got", p, got)
		upd, err := h.s.UpdateIAMSAMLProvider(h.ctx, p.ARN(), func(old iam.SAMLProvider) (iam.SAMLProvider, error) {
			old.Metadata, old.EntityID = "<md2/>", "http://idp2"
			return old, nil
		})
		ok(t, err)
		all, err := h.s.ListIAMSAMLProviders(h.ctx, iamAccount)
		ok(t, err)
		equal(t, "list", []iam.SAMLProvider{upd}, all)
		ok(t, h.s.DeleteIAMSAMLProvider(h.ctx, p.ARN()))
		notFound(t, h.s.DeleteIAMSAMLProvider(h.ctx, p.ARN()), store.ResourceIAMSAMLProvider)
	}},
	{"an OIDC provider is unique per URL and account, and its client ids and thumbprints change", func(t *testing.T, h *harness) {
		p := iam.OIDCProvider{AccountID: iamAccount, URL: "token.actions.githubusercontent.com",
			ClientIDs: []string{"sts.amazonaws.com"}, Thumbprints: []string{"6938fd4d98bab03faadb97b34396831e3780aea1"},
			CreatedAt: h.clk.Now()}
		ok(t, h.s.CreateIAMOIDCProvider(h.ctx, p))
		taken(t, h.s.CreateIAMOIDCProvider(h.ctx, p), store.ResourceIAMOIDCProvider, store.FieldName)
		other := p
		other.AccountID = "999988887777"
		ok(t, h.s.CreateIAMOIDCProvider(h.ctx, other))
		upd, err := h.s.UpdateIAMOIDCProvider(h.ctx, p.ARN(), func(old iam.OIDCProvider) (iam.OIDCProvider, error) {
			old.ClientIDs = append(old.ClientIDs, "my-app")
			return old, nil
		})
		ok(t, err)
		got, err := h.s.IAMOIDCProvider(h.ctx, p.ARN())
		ok(t, err)
		equal(t, "updated", upd, got)
		mine, err := h.s.ListIAMOIDCProviders(h.ctx, iamAccount)
		ok(t, err)
		equal(t, "mine", []iam.OIDCProvider{upd}, mine)
		ok(t, h.s.DeleteIAMOIDCProvider(h.ctx, p.ARN()))
		_, err = h.s.IAMOIDCProvider(h.ctx, p.ARN())
		notFound(t, err, store.ResourceIAMOIDCProvider)
	}},
	{"an account has one alias, replaced by a new one; setting a held alias again is a conflict", func(t *testing.T, h *harness) {
		alias, err := h.s.IAMAccountAlias(h.ctx, iamAccount)
		ok(t, err)
		equal(t, "none", "", alias)
		ok(t, h.s.SetIAMAccountAlias(h.ctx, iamAccount, "acme-prod"))
		ok(t, h.s.SetIAMAccountAlias(h.ctx, iamAccount, "acme-main"))
		h.unchangedLog(t, func() {
			taken(t, h.s.SetIAMAccountAlias(h.ctx, iamAccount, "acme-main"), store.ResourceIAMAccountAlias, store.FieldName)
		})
		alias, err = h.s.IAMAccountAlias(h.ctx, iamAccount)
		ok(t, err)
		equal(t, "replaced", "acme-main", alias)
		h.unchangedLog(t, func() {
			taken(t, h.s.SetIAMAccountAlias(h.ctx, "999988887777", "acme-main"), store.ResourceIAMAccountAlias, store.FieldName)
		})
		ok(t, h.s.SetIAMAccountAlias(h.ctx, "999988887777", "acme-prod"))
		notFound(t, h.s.DeleteIAMAccountAlias(h.ctx, iamAccount, "acme-prod"), store.ResourceIAMAccountAlias)
		ok(t, h.s.DeleteIAMAccountAlias(h.ctx, iamAccount, "acme-main"))
		equal(t, "event", "iam.alias.delete", h.lastEvent(t).Action)
	}},
}

// iamPrincipalPolicyTests are the cases where users and groups meet the
// roles side's customer managed policies.
var iamPrincipalPolicyTests = []test{
	{"users and groups using a customer managed policy keep it from deletion and count as its uses", func(t *testing.T, h *harness) {
		p := h.newIAMPolicy(t, "shared", "/")
		u, g := h.createIAMUser(t, "alice"), h.createIAMGroup(t, "admins")
		bounded := h.createIAMUser(t, "bob")
		ok(t, h.s.AttachIAMPolicy(h.ctx, u.ID, p.ARN()))
		ok(t, h.s.AttachIAMPolicy(h.ctx, g.ID, p.ARN()))
		_, err := h.s.UpdateIAMUser(h.ctx, bounded.ID, func(b iam.User) (iam.User, error) {
			b.PermissionsBoundary = p.ARN()
			return b, nil
		})
		ok(t, err)
		uses, err := h.s.PolicyUses(h.ctx, iamAccount)
		ok(t, err)
		equal(t, "uses", store.PolicyUse{Attachments: 2, Boundaries: 1}, uses[p.ARN()])
		attached, _, err := h.s.ListIAMPolicies(h.ctx, iamAccount, store.PolicyFilter{OnlyAttached: true}, store.Page{Limit: 10})
		ok(t, err)
		equal(t, "attached policies", 1, len(attached))
		users, groups, err := h.s.IAMPrincipalsForPolicy(h.ctx, iamAccount, p.ARN(), "")
		ok(t, err)
		equal(t, "users", []string{"alice", "bob"}, userNames(users))
		equal(t, "groups", 1, len(groups))
		users, groups, err = h.s.IAMPrincipalsForPolicy(h.ctx, iamAccount, p.ARN(), store.UsageBoundary)
		ok(t, err)
		equal(t, "bounded users", []string{"bob"}, userNames(users))
		equal(t, "groups bounded", 0, len(groups))
		h.unchangedLog(t, func() {
			e := isKind(t, h.s.DeleteIAMPolicy(h.ctx, iamAccount, p.Name), errConflictKind)
			equal(t, "field", store.FieldInUse, e.Field)
		})
		ok(t, h.s.DetachIAMPolicy(h.ctx, u.ID, p.ARN()))
		ok(t, h.s.DetachIAMPolicy(h.ctx, g.ID, p.ARN()))
		_, err = h.s.UpdateIAMUser(h.ctx, bounded.ID, func(b iam.User) (iam.User, error) {
			b.PermissionsBoundary = ""
			return b, nil
		})
		ok(t, err)
		ok(t, h.s.DeleteIAMPolicy(h.ctx, iamAccount, p.Name))
	}},
}
