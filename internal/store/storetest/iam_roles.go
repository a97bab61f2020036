package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

const (
	iamAccount  = "111122223333"
	iamTrust    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	iamAllowS3  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
	awsReadOnly = "arn:aws:iam::aws:policy/ReadOnlyAccess"
)

// newIAMRole stores a role named name under path in iamAccount.
func (h *harness) newIAMRole(t *testing.T, name, path string) iam.Role {
	t.Helper()
	r := iam.Role{AccountID: iamAccount, ID: "AROA" + name, Name: name, Path: path, TrustPolicy: iamTrust,
		MaxSessionDuration: iam.DefaultRoleSession, Tags: []iam.Tag{{Key: "team", Value: "core"}}, CreatedAt: h.clk.Now()}
	ok(t, h.s.CreateIAMRole(h.ctx, r))
	return r
}

var iamRoleTests = []test{
	{"a role is created, found by its name in any case and logged", func(t *testing.T, h *harness) {
		r := h.newIAMRole(t, "Deploy", "/ci/")
		e := h.lastEvent(t)
		equal(t, "event", [3]string{"iam.role.create", "IAM_ROLE", "arn:aws:iam::111122223333:role/ci/Deploy"},
			[3]string{e.Action, e.TargetType, e.TargetID})
		got, err := h.s.IAMRole(h.ctx, iamAccount, "DEPLOY")
		ok(t, err)
		equal(t, "role", r, got)
		_, err = h.s.IAMRole(h.ctx, "444455556666", "Deploy")
		notFound(t, err, store.ResourceIAMRole)
		h.unchangedLog(t, func() {
			dup := r
			dup.ID, dup.Name = "AROAother", "deploy"
			taken(t, h.s.CreateIAMRole(h.ctx, dup), store.ResourceIAMRole, store.FieldName)
		})
	}},
	{"roles are listed by name, under a path prefix, page by page", func(t *testing.T, h *harness) {
		h.newIAMRole(t, "c", "/team/a/")
		h.newIAMRole(t, "A", "/team/")
		h.newIAMRole(t, "b", "/")
		all, _ := walk(t, 1, func(p store.Page) ([]iam.Role, string, error) { return h.s.ListIAMRoles(h.ctx, iamAccount, "/", p) })
		equal(t, "names", []string{"A", "b", "c"}, roleNames(all))
		team, _ := walk(t, 10, func(p store.Page) ([]iam.Role, string, error) {
			return h.s.ListIAMRoles(h.ctx, iamAccount, "/team/", p)
		})
		equal(t, "under /team/", []string{"A", "c"}, roleNames(team))
		other, _, err := h.s.ListIAMRoles(h.ctx, "444455556666", "/", store.Page{Limit: 10})
		ok(t, err)
		equal(t, "another account", 0, len(other))
	}},
	{"updating a role changes only what may change", func(t *testing.T, h *harness) {
		r := h.newIAMRole(t, "app", "/")
		got, err := h.s.UpdateIAMRole(h.ctx, iamAccount, "APP", func(old iam.Role) (iam.Role, error) {
			old.Description, old.MaxSessionDuration, old.Name, old.ID = "new", 7200, "renamed", "AROAX"
			old.PermissionsBoundary, old.Tags = awsReadOnly, nil
			return old, nil
		})
		ok(t, err)
		want := r
		want.Description, want.MaxSessionDuration, want.PermissionsBoundary, want.Tags = "new", 7200, awsReadOnly, nil
		equal(t, "returned", want, got)
		stored, err := h.s.IAMRole(h.ctx, iamAccount, "app")
		ok(t, err)
		equal(t, "stored", want, stored)
		equal(t, "event", "iam.role.update", h.lastEvent(t).Action)
		h.unchangedLog(t, func() {
			_, err := h.s.UpdateIAMRole(h.ctx, iamAccount, "app", func(iam.Role) (iam.Role, error) { return iam.Role{}, errFn })
			fnFailed(t, err)
			_, err = h.s.UpdateIAMRole(h.ctx, iamAccount, "missing", func(r iam.Role) (iam.Role, error) { return r, nil })
			notFound(t, err, store.ResourceIAMRole)
		})
	}},
	{"touching a role records its last use without an event, never moving back", func(t *testing.T, h *harness) {
		h.newIAMRole(t, "app", "/")
		at := h.clk.Now().Add(time.Hour)
		h.unchangedLog(t, func() {
			ok(t, h.s.TouchIAMRole(h.ctx, iamAccount, "app", at, "eu-west-1"))
			ok(t, h.s.TouchIAMRole(h.ctx, iamAccount, "app", at.Add(-time.Minute), "us-east-1"))
		})
		got, err := h.s.IAMRole(h.ctx, iamAccount, "app")
		ok(t, err)
		equal(t, "last used", [2]any{at, "eu-west-1"}, [2]any{got.LastUsed, got.LastUsedRegion})
	}},
	{"inline policies are put, replaced, read, listed and deleted", func(t *testing.T, h *harness) {
		h.newIAMRole(t, "app", "/")
		ok(t, h.s.PutRolePolicy(h.ctx, iamAccount, "app", store.RolePolicy{Name: "s3", Document: iamTrust}))
		ok(t, h.s.PutRolePolicy(h.ctx, iamAccount, "app", store.RolePolicy{Name: "s3", Document: iamAllowS3}))
		ok(t, h.s.PutRolePolicy(h.ctx, iamAccount, "app", store.RolePolicy{Name: "a", Document: iamAllowS3}))
		equal(t, "event", "iam.role.policy.put", h.lastEvent(t).Action)
		got, err := h.s.RolePolicy(h.ctx, iamAccount, "app", "s3")
		ok(t, err)
		equal(t, "policy", store.RolePolicy{Name: "s3", Document: iamAllowS3}, got)
		names, _ := walk(t, 1, func(p store.Page) ([]string, string, error) { return h.s.ListRolePolicies(h.ctx, iamAccount, "app", p) })
		equal(t, "names", []string{"a", "s3"}, names)
		ok(t, h.s.DeleteRolePolicy(h.ctx, iamAccount, "app", "a"))
		h.unchangedLog(t, func() {
			notFound(t, h.s.DeleteRolePolicy(h.ctx, iamAccount, "app", "a"), store.ResourceIAMRolePolicy)
			_, err := h.s.RolePolicy(h.ctx, iamAccount, "app", "a")
			notFound(t, err, store.ResourceIAMRolePolicy)
			notFound(t, h.s.PutRolePolicy(h.ctx, iamAccount, "missing", store.RolePolicy{Name: "x", Document: "{}"}), store.ResourceIAMRole)
		})
	}},
	{"a role's inline policies together stay within 10,240 characters", func(t *testing.T, h *harness) {
		h.newIAMRole(t, "app", "/")
		half := strings.Repeat("a", 6000)
		ok(t, h.s.PutRolePolicy(h.ctx, iamAccount, "app", store.RolePolicy{Name: "one", Document: half}))
		ok(t, h.s.PutRolePolicy(h.ctx, iamAccount, "app", store.RolePolicy{Name: "one", Document: half + "b"}))
		h.unchangedLog(t, func() {
			e := isKind(t, h.s.PutRolePolicy(h.ctx, iamAccount, "app", store.RolePolicy{Name: "two", Document: half}), errs.Invalid)
			equal(t, "code", "LimitExceeded", e.Code)
		})
	}},
	{"managed policies are attached once each, listed and detached", func(t *testing.T, h *harness) {
		h.newIAMRole(t, "app", "/")
		ok(t, h.s.AttachRolePolicy(h.ctx, iamAccount, "app", awsReadOnly))
		ok(t, h.s.AttachRolePolicy(h.ctx, iamAccount, "app", awsReadOnly))
		equal(t, "event", "iam.role.policy.attach", h.lastEvent(t).Action)
		arns, _ := walk(t, 1, func(p store.Page) ([]string, string, error) {
			return h.s.ListAttachedRolePolicies(h.ctx, iamAccount, "app", p)
		})
		equal(t, "attached", []string{awsReadOnly}, arns)
		h.unchangedLog(t, func() {
			notFound(t, h.s.AttachRolePolicy(h.ctx, iamAccount, "app", "arn:aws:iam::111122223333:policy/none"), store.ResourceIAMPolicy)
		})
		ok(t, h.s.DetachRolePolicy(h.ctx, iamAccount, "app", awsReadOnly))
		h.unchangedLog(t, func() {
			notFound(t, h.s.DetachRolePolicy(h.ctx, iamAccount, "app", awsReadOnly), store.ResourceIAMAttachment)
		})
	}},
	{"an eleventh attached policy exceeds the quota", func(t *testing.T, h *harness) {
		h.newIAMRole(t, "app", "/")
		for i := range store.MaxAttachedRolePolicies {
			ok(t, h.s.AttachRolePolicy(h.ctx, iamAccount, "app", awsReadOnly+strings.Repeat("x", i)))
		}
		h.unchangedLog(t, func() {
			taken(t, h.s.AttachRolePolicy(h.ctx, iamAccount, "app", awsReadOnly+"-more"), store.ResourceIAMRole, store.FieldLimit)
		})
		ok(t, h.s.AttachRolePolicy(h.ctx, iamAccount, "app", awsReadOnly)) // already attached: no new slot
	}},
	{"a role is deleted only once its policies are gone", func(t *testing.T, h *harness) {
		h.newIAMRole(t, "app", "/")
		ok(t, h.s.PutRolePolicy(h.ctx, iamAccount, "app", store.RolePolicy{Name: "s3", Document: iamAllowS3}))
		ok(t, h.s.AttachRolePolicy(h.ctx, iamAccount, "app", awsReadOnly))
		h.unchangedLog(t, func() { taken(t, h.s.DeleteIAMRole(h.ctx, iamAccount, "app"), store.ResourceIAMRole, store.FieldInUse) })
		ok(t, h.s.DeleteRolePolicy(h.ctx, iamAccount, "app", "s3"))
		h.unchangedLog(t, func() { taken(t, h.s.DeleteIAMRole(h.ctx, iamAccount, "app"), store.ResourceIAMRole, store.FieldInUse) })
		ok(t, h.s.DetachRolePolicy(h.ctx, iamAccount, "app", awsReadOnly))
		ok(t, h.s.DeleteIAMRole(h.ctx, iamAccount, "APP"))
		equal(t, "event", [2]string{"iam.role.delete", "arn:aws:iam::111122223333:role/app"},
			[2]string{h.lastEvent(t).Action, h.lastEvent(t).TargetID})
		_, err := h.s.IAMRole(h.ctx, iamAccount, "app")
		notFound(t, err, store.ResourceIAMRole)
		h.newIAMRole(t, "app", "/") // the name is free again
	}},
	{"a role's authorization holds its inline documents and its policies' default versions", func(t *testing.T, h *harness) {
		r := h.newIAMRole(t, "app", "/")
		p := h.newIAMPolicy(t, "deploy", "/")
		_, err := h.s.CreatePolicyVersion(h.ctx, iamAccount, "deploy", iamAllowS3, true, h.clk.Now())
		ok(t, err)
		ok(t, h.s.PutRolePolicy(h.ctx, iamAccount, "app", store.RolePolicy{Name: "inline", Document: iamTrust}))
		ok(t, h.s.AttachRolePolicy(h.ctx, iamAccount, "app", p.ARN()))
		ok(t, h.s.AttachRolePolicy(h.ctx, iamAccount, "app", awsReadOnly))
		got, err := h.s.RoleAuthorization(h.ctx, iamAccount, "App")
		ok(t, err)
		equal(t, "authorization", store.RoleAuthorization{Role: r,
			Inline:   []store.RolePolicy{{Name: "inline", Document: iamTrust}},
			Attached: []store.AttachedPolicy{{ARN: p.ARN(), Document: iamAllowS3}, {ARN: awsReadOnly}}}, got)
		_, err = h.s.RoleAuthorization(h.ctx, iamAccount, "missing")
		notFound(t, err, store.ResourceIAMRole)
	}},
}

func roleNames(rs []iam.Role) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Name
	}
	return out
}
