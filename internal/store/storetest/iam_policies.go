package storetest

import (
	"testing"
	"time"

	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

// newIAMPolicy stores a policy named name under path in iamAccount, its
// first version allowing s3.
func (h *harness) newIAMPolicy(t *testing.T, name, path string) iam.Policy {
	t.Helper()
	now := h.clk.Now()
	p := iam.Policy{AccountID: iamAccount, ID: "ANPA" + name, Name: name, Path: path, Description: "d",
		DefaultVersion: "v1", Tags: []iam.Tag{{Key: "k", Value: "v"}}, CreatedAt: now, UpdatedAt: now}
	ok(t, h.s.CreateIAMPolicy(h.ctx, p, iam.PolicyVersion{VersionID: "v1", Document: iamAllowS3, IsDefault: true, CreatedAt: now}))
	return p
}

func policyNames(ps []iam.Policy) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

func versionIDs(vs []iam.PolicyVersion) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.VersionID
	}
	return out
}

var iamPolicyTests = []test{
	{"a policy is created with its first version as the default, found by name in any case", func(t *testing.T, h *harness) {
		p := h.newIAMPolicy(t, "Deploy", "/ci/")
		e := h.lastEvent(t)
		equal(t, "event", [3]string{"iam.policy.create", "IAM_POLICY", "arn:aws:iam::111122223333:policy/ci/Deploy"},
			[3]string{e.Action, e.TargetType, e.TargetID})
		got, err := h.s.IAMPolicy(h.ctx, iamAccount, "deploy")
		ok(t, err)
		equal(t, "policy", p, got)
		v, err := h.s.PolicyVersion(h.ctx, iamAccount, "deploy", "v1")
		ok(t, err)
		equal(t, "version", iam.PolicyVersion{VersionID: "v1", Document: iamAllowS3, IsDefault: true, CreatedAt: p.CreatedAt}, v)
		h.unchangedLog(t, func() {
			dup := p
			dup.ID, dup.Name = "ANPAother", "DEPLOY"
			taken(t, h.s.CreateIAMPolicy(h.ctx, dup, iam.PolicyVersion{VersionID: "v1", Document: "{}"}), store.ResourceIAMPolicy, store.FieldName)
			_, err := h.s.PolicyVersion(h.ctx, iamAccount, "deploy", "v2")
			notFound(t, err, store.ResourceIAMPolicyVersion)
		})
	}},
	{"policies are listed by name under a prefix, and by use", func(t *testing.T, h *harness) {
		h.newIAMPolicy(t, "c", "/team/")
		a := h.newIAMPolicy(t, "a", "/")
		b := h.newIAMPolicy(t, "b", "/team/")
		h.newIAMRole(t, "app", "/")
		ok(t, h.s.AttachRolePolicy(h.ctx, iamAccount, "app", a.ARN()))
		_, err := h.s.UpdateIAMRole(h.ctx, iamAccount, "app", func(r iam.Role) (iam.Role, error) {
			r.PermissionsBoundary = b.ARN()
			return r, nil
		})
		ok(t, err)
		list := func(f store.PolicyFilter) []string {
			all, _ := walk(t, 1, func(p store.Page) ([]iam.Policy, string, error) { return h.s.ListIAMPolicies(h.ctx, iamAccount, f, p) })
			return policyNames(all)
		}
		equal(t, "all", []string{"a", "b", "c"}, list(store.PolicyFilter{PathPrefix: "/"}))
		equal(t, "under /team/", []string{"b", "c"}, list(store.PolicyFilter{PathPrefix: "/team/"}))
		equal(t, "only attached", []string{"a", "b"}, list(store.PolicyFilter{OnlyAttached: true}))
		equal(t, "as permissions", []string{"a"}, list(store.PolicyFilter{Usage: store.UsagePermissions}))
		equal(t, "as boundaries", []string{"b"}, list(store.PolicyFilter{Usage: store.UsageBoundary}))
		uses, err := h.s.PolicyUses(h.ctx, iamAccount)
		ok(t, err)
		equal(t, "uses", map[string]store.PolicyUse{a.ARN(): {Attachments: 1}, b.ARN(): {Boundaries: 1}}, uses)
		roles, err := h.s.RolesForPolicy(h.ctx, iamAccount, b.ARN(), "")
		ok(t, err)
		equal(t, "roles bounded by b", []string{"app"}, roleNames(roles))
		roles, err = h.s.RolesForPolicy(h.ctx, iamAccount, b.ARN(), store.UsagePermissions)
		ok(t, err)
		equal(t, "roles with b attached", 0, len(roles))
	}},
	{"versions are numbered without reuse, at most five, and one is the default", func(t *testing.T, h *harness) {
		h.newIAMPolicy(t, "p", "/")
		for i := 2; i <= iam.MaxPolicyVersions; i++ {
			h.clk.Advance(time.Minute)
			v, err := h.s.CreatePolicyVersion(h.ctx, iamAccount, "p", iamTrust, i == 3, h.clk.Now())
			ok(t, err)
			equal(t, "version id", iam.VersionID(i), v.VersionID)
		}
		equal(t, "event", "iam.policy.version.create", h.lastEvent(t).Action)
		h.unchangedLog(t, func() {
			_, err := h.s.CreatePolicyVersion(h.ctx, iamAccount, "p", iamTrust, false, h.clk.Now())
			taken(t, err, store.ResourceIAMPolicy, store.FieldLimit)
			taken(t, h.s.DeletePolicyVersion(h.ctx, iamAccount, "p", "v3"), store.ResourceIAMPolicy, store.FieldInUse)
			notFound(t, h.s.SetDefaultPolicyVersion(h.ctx, iamAccount, "p", "v9"), store.ResourceIAMPolicyVersion)
		})
		ok(t, h.s.DeletePolicyVersion(h.ctx, iamAccount, "p", "v2"))
		v, err := h.s.CreatePolicyVersion(h.ctx, iamAccount, "p", iamTrust, false, h.clk.Now())
		ok(t, err)
		equal(t, "next id", "v6", v.VersionID)
		ok(t, h.s.SetDefaultPolicyVersion(h.ctx, iamAccount, "p", "v6"))
		all, err := h.s.ListPolicyVersions(h.ctx, iamAccount, "p")
		ok(t, err)
		equal(t, "newest first", []string{"v6", "v5", "v4", "v3", "v1"}, versionIDs(all))
		if !all[0].IsDefault || all[3].IsDefault {
			t.Errorf("default flags = %+v, want only v6", all)
		}
		p, err := h.s.IAMPolicy(h.ctx, iamAccount, "p")
		ok(t, err)
		equal(t, "default and update date", [2]any{"v6", h.clk.Now()}, [2]any{p.DefaultVersion, p.UpdatedAt})
	}},
	{"a policy is deleted only when unused and down to its default version", func(t *testing.T, h *harness) {
		p := h.newIAMPolicy(t, "p", "/")
		h.newIAMRole(t, "app", "/")
		ok(t, h.s.AttachRolePolicy(h.ctx, iamAccount, "app", p.ARN()))
		_, err := h.s.CreatePolicyVersion(h.ctx, iamAccount, "p", iamTrust, false, h.clk.Now())
		ok(t, err)
		h.unchangedLog(t, func() {
			taken(t, h.s.DeleteIAMPolicy(h.ctx, iamAccount, "p"), store.ResourceIAMPolicy, store.FieldInUse)
		})
		ok(t, h.s.DetachRolePolicy(h.ctx, iamAccount, "app", p.ARN()))
		h.unchangedLog(t, func() {
			taken(t, h.s.DeleteIAMPolicy(h.ctx, iamAccount, "p"), store.ResourceIAMPolicy, store.FieldInUse)
		})
		ok(t, h.s.DeletePolicyVersion(h.ctx, iamAccount, "p", "v2"))
		ok(t, h.s.DeleteIAMPolicy(h.ctx, iamAccount, "p"))
		equal(t, "event", "iam.policy.delete", h.lastEvent(t).Action)
		_, err = h.s.IAMPolicy(h.ctx, iamAccount, "p")
		notFound(t, err, store.ResourceIAMPolicy)
		h.newIAMPolicy(t, "p", "/") // the name and its versions start afresh
		v, err := h.s.CreatePolicyVersion(h.ctx, iamAccount, "p", iamTrust, false, h.clk.Now())
		ok(t, err)
		equal(t, "version", "v2", v.VersionID)
	}},
	{"updating a policy changes its tags and description only", func(t *testing.T, h *harness) {
		p := h.newIAMPolicy(t, "p", "/")
		got, err := h.s.UpdateIAMPolicy(h.ctx, iamAccount, "p", func(old iam.Policy) (iam.Policy, error) {
			old.Tags, old.Description, old.Name, old.DefaultVersion = []iam.Tag{{Key: "a", Value: "b"}}, "new", "x", "v9"
			return old, nil
		})
		ok(t, err)
		want := p
		want.Tags, want.Description = []iam.Tag{{Key: "a", Value: "b"}}, "new"
		equal(t, "policy", want, got)
		stored, err := h.s.IAMPolicy(h.ctx, iamAccount, "p")
		ok(t, err)
		equal(t, "stored", want, stored)
		h.unchangedLog(t, func() {
			_, err := h.s.UpdateIAMPolicy(h.ctx, iamAccount, "p", func(iam.Policy) (iam.Policy, error) { return iam.Policy{}, errFn })
			fnFailed(t, err)
		})
	}},
}
