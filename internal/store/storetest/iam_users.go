package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

func (h *harness) newIAMUser(name string) iam.User {
	return iam.User{AccountID: iamAccount, ID: iam.PrefixUserID + h.name("U"), Name: name, Path: "/",
		Tags: []iam.Tag{{Key: "team", Value: "blue"}}, CreatedAt: h.clk.Now()}
}

func (h *harness) createIAMUser(t *testing.T, name string) iam.User {
	t.Helper()
	u := h.newIAMUser(name)
	ok(t, h.s.CreateIAMUser(h.ctx, u))
	return u
}

func (h *harness) createIAMGroup(t *testing.T, name string) iam.Group {
	t.Helper()
	g := iam.Group{AccountID: iamAccount, ID: iam.PrefixGroupID + h.name("G"), Name: name, Path: "/", CreatedAt: h.clk.Now()}
	ok(t, h.s.CreateIAMGroup(h.ctx, g))
	return g
}

func (h *harness) iamKey(u iam.User) iam.AccessKey {
	return iam.AccessKey{ID: "AKIA" + h.name("K"), AccountID: u.AccountID, UserID: u.ID, Status: iam.KeyActive,
		SealedSecret: []byte("sealed"), CreatedAt: h.clk.Now()}
}

var iamUserTests = []test{
	{"an IAM user is created, found by name in any case and by id, with its event", func(t *testing.T, h *harness) {
		u := h.createIAMUser(t, "Alice")
		e := h.lastEvent(t)
		equal(t, "event", [3]string{"iam.user.create", "IAM_USER", u.ID}, [3]string{e.Action, e.TargetType, e.TargetID})
		got, err := h.s.IAMUser(h.ctx, iamAccount, "aLICE")
		ok(t, err)
		equal(t, "by name", u, got)
		got, err = h.s.IAMUserByID(h.ctx, u.ID)
		ok(t, err)
		equal(t, "by id", u, got)
		_, err = h.s.IAMUser(h.ctx, "999988887777", "Alice")
		notFound(t, err, store.ResourceIAMUser)
		h.unchangedLog(t, func() {
			taken(t, h.s.CreateIAMUser(h.ctx, h.newIAMUser("ALICE")), store.ResourceIAMUser, store.FieldName)
		})
		ok(t, h.s.CreateIAMUser(h.ctx, iam.User{AccountID: "999988887777", ID: "AIDAOTHER", Name: "Alice", Path: "/"}))
	}},
	{"IAM users list by name, filtered by path prefix, in pages", func(t *testing.T, h *harness) {
		for _, n := range []string{"carol", "Bob", "alice"} {
			h.createIAMUser(t, n)
		}
		dev := h.newIAMUser("dave")
		dev.Path = "/dev/"
		ok(t, h.s.CreateIAMUser(h.ctx, dev))
		all, pages := walk(t, 2, func(p store.Page) ([]iam.User, string, error) {
			return h.s.ListIAMUsers(h.ctx, iamAccount, "/", p)
		})
		equal(t, "names", []string{"alice", "Bob", "carol", "dave"}, userNames(all))
		equal(t, "pages", 2, pages)
		devs, _, err := h.s.ListIAMUsers(h.ctx, iamAccount, "/dev/", store.Page{Limit: 10})
		ok(t, err)
		equal(t, "under /dev/", []string{"dave"}, userNames(devs))
	}},
	{"an IAM user is renamed and retagged by compare-and-swap, never onto a taken name", func(t *testing.T, h *harness) {
		u := h.createIAMUser(t, "alice")
		h.createIAMUser(t, "bob")
		got, err := h.s.UpdateIAMUser(h.ctx, u.ID, func(old iam.User) (iam.User, error) {
			old.Name, old.Path, old.Tags = "alicia", "/ops/", nil
			return old, nil
		})
		ok(t, err)
		equal(t, "renamed", "alicia", got.Name)
		_, err = h.s.IAMUser(h.ctx, iamAccount, "alicia")
		ok(t, err)
		h.unchangedLog(t, func() {
			_, err := h.s.UpdateIAMUser(h.ctx, u.ID, func(old iam.User) (iam.User, error) { old.Name = "BOB"; return old, nil })
			taken(t, err, store.ResourceIAMUser, store.FieldName)
			_, err = h.s.UpdateIAMUser(h.ctx, u.ID, func(iam.User) (iam.User, error) { return iam.User{}, errFn })
			fnFailed(t, err)
		})
	}},
	{"a user with a key, policy, group or attached policy is not deleted until they are gone", func(t *testing.T, h *harness) {
		u := h.createIAMUser(t, "alice")
		g := h.createIAMGroup(t, "admins")
		k := h.iamKey(u)
		ok(t, h.s.CreateIAMAccessKey(h.ctx, k))
		ok(t, h.s.PutIAMInlinePolicy(h.ctx, u.ID, iam.InlinePolicy{Name: "p", Document: "{}"}))
		ok(t, h.s.AttachIAMPolicy(h.ctx, u.ID, "arn:aws:iam::aws:policy/ReadOnlyAccess"))
		ok(t, h.s.AddIAMGroupMember(h.ctx, g.ID, u.ID))
		steps := []struct {
			blocker string
			remove  func() error
		}{
			{store.ResourceIAMAccessKey, func() error { return h.s.DeleteIAMAccessKey(h.ctx, u.ID, k.ID) }},
			{store.ResourceIAMInlinePolicy, func() error { return h.s.DeleteIAMInlinePolicy(h.ctx, u.ID, "p") }},
			{store.ResourceIAMAttachment, func() error {
				return h.s.DetachIAMPolicy(h.ctx, u.ID, "arn:aws:iam::aws:policy/ReadOnlyAccess")
			}},
			{store.ResourceIAMMember, func() error { return h.s.RemoveIAMGroupMember(h.ctx, g.ID, u.ID) }},
		}
		for _, s := range steps {
			h.unchangedLog(t, func() {
				e := isKind(t, h.s.DeleteIAMUser(h.ctx, u.ID), errConflictKind)
				equal(t, "blocker", [2]string{s.blocker, store.FieldInUse}, [2]string{e.ResourceType, e.Field})
			})
			ok(t, s.remove())
		}
		ok(t, h.s.DeleteIAMUser(h.ctx, u.ID))
		notFound(t, h.s.DeleteIAMUser(h.ctx, u.ID), store.ResourceIAMUser)
		ok(t, h.s.DeleteIAMGroup(h.ctx, g.ID))
	}},
	{"groups list their members and users their groups; removing a non-member is not found", func(t *testing.T, h *harness) {
		a, b := h.createIAMUser(t, "alice"), h.createIAMUser(t, "bob")
		g1, g2 := h.createIAMGroup(t, "ops"), h.createIAMGroup(t, "Dev")
		for _, m := range [][2]string{{g1.ID, a.ID}, {g1.ID, b.ID}, {g2.ID, a.ID}, {g1.ID, a.ID}} {
			ok(t, h.s.AddIAMGroupMember(h.ctx, m[0], m[1]))
		}
		members, _, err := h.s.ListIAMGroupMembers(h.ctx, g1.ID, store.Page{Limit: 10})
		ok(t, err)
		equal(t, "members", []string{"alice", "bob"}, userNames(members))
		groups, _, err := h.s.ListIAMGroupsForUser(h.ctx, a.ID, store.Page{Limit: 10})
		ok(t, err)
		equal(t, "groups", []string{"Dev", "ops"}, []string{groups[0].Name, groups[1].Name})
		notFound(t, h.s.RemoveIAMGroupMember(h.ctx, g2.ID, b.ID), store.ResourceIAMMember)
		notFound(t, h.s.AddIAMGroupMember(h.ctx, g2.ID, "AIDANOSUCH"), store.ResourceIAMUser)
		e := isKind(t, h.s.DeleteIAMGroup(h.ctx, g2.ID), errConflictKind)
		equal(t, "blocker", store.ResourceIAMMember, e.ResourceType)
	}},
	{"a page token continues only the list it came from: another group's members or another user's groups refuse it", func(t *testing.T, h *harness) {
		a, b := h.createIAMUser(t, "alice"), h.createIAMUser(t, "bob")
		g1, g2 := h.createIAMGroup(t, "ops"), h.createIAMGroup(t, "dev")
		for _, m := range [][2]string{{g1.ID, a.ID}, {g1.ID, b.ID}, {g2.ID, a.ID}, {g2.ID, b.ID}} {
			ok(t, h.s.AddIAMGroupMember(h.ctx, m[0], m[1]))
		}
		_, next, err := h.s.ListIAMGroupMembers(h.ctx, g1.ID, store.Page{Limit: 1})
		ok(t, err)
		_, _, err = h.s.ListIAMGroupMembers(h.ctx, g2.ID, store.Page{Limit: 1, Token: next})
		isKind(t, err, errs.Invalid)
		rest, _, err := h.s.ListIAMGroupMembers(h.ctx, g1.ID, store.Page{Limit: 1, Token: next})
		ok(t, err)
		equal(t, "the rest of ops", []string{"bob"}, userNames(rest))
		_, next, err = h.s.ListIAMGroupsForUser(h.ctx, a.ID, store.Page{Limit: 1})
		ok(t, err)
		_, _, err = h.s.ListIAMGroupsForUser(h.ctx, b.ID, store.Page{Limit: 1, Token: next})
		isKind(t, err, errs.Invalid)
	}},
	{"inline policies are put, replaced, listed and deleted; attachments stop at the quota", func(t *testing.T, h *harness) {
		u := h.createIAMUser(t, "alice")
		ok(t, h.s.PutIAMInlinePolicy(h.ctx, u.ID, iam.InlinePolicy{Name: "b", Document: "{1}"}))
		ok(t, h.s.PutIAMInlinePolicy(h.ctx, u.ID, iam.InlinePolicy{Name: "a", Document: "{2}"}))
		ok(t, h.s.PutIAMInlinePolicy(h.ctx, u.ID, iam.InlinePolicy{Name: "b", Document: "{3}"}))
		equal(t, "event", "iam.user.policy.put", h.lastEvent(t).Action)
		p, err := h.s.IAMInlinePolicy(h.ctx, u.ID, "b")
		ok(t, err)
		equal(t, "replaced", "{3}", p.Document)
		names, _ := walk(t, 1, func(pg store.Page) ([]string, string, error) { return h.s.ListIAMInlinePolicies(h.ctx, u.ID, pg) })
		equal(t, "names", []string{"a", "b"}, names)
		notFound(t, h.s.DeleteIAMInlinePolicy(h.ctx, u.ID, "c"), store.ResourceIAMInlinePolicy)
		notFound(t, h.s.PutIAMInlinePolicy(h.ctx, "AIDANOSUCH", iam.InlinePolicy{Name: "a", Document: "{}"}), store.ResourceIAMUser)
		for i := range iam.MaxAttachedPolicies {
			ok(t, h.s.AttachIAMPolicy(h.ctx, u.ID, "arn:aws:iam::aws:policy/P"+string(rune('a'+i))))
		}
		ok(t, h.s.AttachIAMPolicy(h.ctx, u.ID, "arn:aws:iam::aws:policy/Pa")) // again: idempotent
		h.unchangedLog(t, func() {
			taken(t, h.s.AttachIAMPolicy(h.ctx, u.ID, "arn:aws:iam::aws:policy/Pz"), store.ResourceIAMAttachment, store.FieldLimit)
		})
		arns, _ := walk(t, 4, func(pg store.Page) ([]string, string, error) { return h.s.ListIAMAttachedPolicies(h.ctx, u.ID, pg) })
		equal(t, "attached", iam.MaxAttachedPolicies, len(arns))
		notFound(t, h.s.DetachIAMPolicy(h.ctx, u.ID, "arn:aws:iam::aws:policy/Pz"), store.ResourceIAMAttachment)
	}},
	{"a user has at most two access keys, found with their user, deactivated and touched", func(t *testing.T, h *harness) {
		u := h.createIAMUser(t, "alice")
		k1, k2 := h.iamKey(u), h.iamKey(u)
		ok(t, h.s.CreateIAMAccessKey(h.ctx, k1))
		ok(t, h.s.CreateIAMAccessKey(h.ctx, k2))
		h.unchangedLog(t, func() {
			taken(t, h.s.CreateIAMAccessKey(h.ctx, h.iamKey(u)), store.ResourceIAMAccessKey, store.FieldLimit)
		})
		gotKey, gotUser, err := h.s.IAMAccessKey(h.ctx, k1.ID)
		ok(t, err)
		equal(t, "key", k1, gotKey)
		equal(t, "user", u, gotUser)
		ok(t, h.s.SetIAMAccessKeyStatus(h.ctx, u.ID, k1.ID, iam.KeyInactive))
		notFound(t, h.s.SetIAMAccessKeyStatus(h.ctx, "AIDAOTHER", k1.ID, iam.KeyActive), store.ResourceIAMAccessKey)
		used := iam.KeyUse{At: h.clk.Now().Add(time.Minute), Service: "iam", Region: "us-east-1"}
		h.unchangedLog(t, func() {
			ok(t, h.s.TouchIAMAccessKey(h.ctx, k1.ID, used))
			ok(t, h.s.TouchIAMAccessKey(h.ctx, k1.ID, iam.KeyUse{At: h.clk.Now(), Service: "sts", Region: "x"}))
		})
		keys, err := h.s.ListIAMAccessKeys(h.ctx, u.ID)
		ok(t, err)
		k1.Status, k1.LastUsed = iam.KeyInactive, used
		equal(t, "keys", []iam.AccessKey{k1, k2}, keys)
		ok(t, h.s.DeleteIAMAccessKey(h.ctx, u.ID, k1.ID))
		_, _, err = h.s.IAMAccessKey(h.ctx, k1.ID)
		notFound(t, err, store.ResourceIAMAccessKey)
	}},
	{"racing creates of a user's keys leave exactly two", func(t *testing.T, h *harness) {
		u := h.createIAMUser(t, "alice")
		if n := h.concurrentKeys(t, u, 6); n != iam.MaxAccessKeysPerUser {
			t.Errorf("%d of 6 concurrent creates succeeded, want %d", n, iam.MaxAccessKeysPerUser)
		}
		keys, err := h.s.ListIAMAccessKeys(h.ctx, u.ID)
		ok(t, err)
		equal(t, "keys stored", iam.MaxAccessKeysPerUser, len(keys))
	}},
	{"a virtual MFA device is created, enabled, listed per user and deleted only when unassigned", func(t *testing.T, h *harness) {
		u := h.createIAMUser(t, "alice")
		d := iam.VirtualMFADevice{AccountID: iamAccount, Path: "/", Name: "alice-phone", SealedSeed: []byte("seed"), CreatedAt: h.clk.Now()}
		ok(t, h.s.CreateIAMMFADevice(h.ctx, d))
		taken(t, h.s.CreateIAMMFADevice(h.ctx, d), store.ResourceIAMMFADevice, store.FieldName)
		serial := d.SerialNumber()
		enabled, err := h.s.UpdateIAMMFADevice(h.ctx, serial, func(old iam.VirtualMFADevice) (iam.VirtualMFADevice, error) {
			old.UserID, old.EnableDate, old.LastStep = u.ID, h.clk.Now(), 42
			return old, nil
		})
		ok(t, err)
		equal(t, "event", "iam.mfa.update", h.lastEvent(t).Action)
		h.unchangedLog(t, func() {
			_, err := h.s.UpdateIAMMFADevice(h.ctx, serial, func(old iam.VirtualMFADevice) (iam.VirtualMFADevice, error) {
				old.LastStep = 43
				return old, nil
			})
			ok(t, err)
		})
		mine, _, err := h.s.ListIAMMFADevices(h.ctx, iamAccount, u.ID, store.Page{Limit: 10})
		ok(t, err)
		enabled.LastStep = 43
		equal(t, "mine", []iam.VirtualMFADevice{enabled}, mine)
		e := isKind(t, h.s.DeleteIAMMFADevice(h.ctx, serial), errConflictKind)
		equal(t, "field", store.FieldInUse, e.Field)
		isKind(t, h.s.DeleteIAMUser(h.ctx, u.ID), errConflictKind)
		_, err = h.s.UpdateIAMMFADevice(h.ctx, serial, func(old iam.VirtualMFADevice) (iam.VirtualMFADevice, error) {
			old.UserID, old.EnableDate = "", time.Time{}
			return old, nil
		})
		ok(t, err)
		ok(t, h.s.DeleteIAMMFADevice(h.ctx, serial))
		ok(t, h.s.DeleteIAMUser(h.ctx, u.ID))
	}},
}

// concurrentKeys creates n keys for u at once and counts the successes.
func (h *harness) concurrentKeys(t *testing.T, u iam.User, n int) int {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { errs[i] = h.s.CreateIAMAccessKey(h.ctx, h.iamKey(u)) })
	}
	wg.Wait()
	created := 0
	for _, err := range errs {
		if err == nil {
			created++
		} else {
			taken(t, err, store.ResourceIAMAccessKey, store.FieldLimit)
		}
	}
	return created
}

func userNames(us []iam.User) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.Name
	}
	return out
}

var iamUserAuthorizationTests = []test{
	{"a user's authorization holds its own and its groups' policies, customer documents filled in", func(t *testing.T, h *harness) {
		u, g, other := h.createIAMUser(t, "alice"), h.createIAMGroup(t, "ops"), h.createIAMGroup(t, "other")
		ok(t, h.s.AddIAMGroupMember(h.ctx, g.ID, u.ID))
		ok(t, h.s.PutIAMInlinePolicy(h.ctx, u.ID, iam.InlinePolicy{Name: "own", Document: iamAllowS3}))
		ok(t, h.s.PutIAMInlinePolicy(h.ctx, g.ID, iam.InlinePolicy{Name: "group", Document: iamTrust}))
		ok(t, h.s.PutIAMInlinePolicy(h.ctx, other.ID, iam.InlinePolicy{Name: "not-hers", Document: iamTrust}))
		p := h.newIAMPolicy(t, "reader", "/")
		ok(t, h.s.AttachIAMPolicy(h.ctx, g.ID, p.ARN()))
		ok(t, h.s.AttachIAMPolicy(h.ctx, u.ID, awsReadOnly))
		got, err := h.s.UserAuthorization(h.ctx, u.ID)
		ok(t, err)
		equal(t, "user", u, got.User)
		equal(t, "inline", 2, len(got.Inline))
		want := map[string]string{p.ARN(): iamAllowS3, awsReadOnly: ""}
		equal(t, "attached", 2, len(got.Attached))
		for _, a := range got.Attached {
			equal(t, "document of "+a.ARN, want[a.ARN], a.Document)
		}
		_, err = h.s.UserAuthorization(h.ctx, "AIDANOSUCHUSER")
		notFound(t, err, store.ResourceIAMUser)
	}},
}
