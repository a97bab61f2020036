package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// newApp returns an unsaved active SAML app with a unique label.
func (h *idpHarness) newApp() directory.App {
	n := h.next()
	return directory.App{Name: directory.AWSIdentityCenterApp, Label: fmt.Sprintf("App %03d", n),
		SignOnMode: directory.SAML2, Status: directory.AppActive,
		SAML: directory.SAMLSettings{ACSURL: "https://sp.example/acs", Audience: "https://sp.example/",
			NameIDFormat: directory.NameIDEmail, NameIDTemplate: "${user.login}", ResponseSigned: true,
			AssertionSigned: true, SPCertificates: [][]byte{{0x30, 0x82, 0x01}},
			Attributes: []directory.AttributeStatement{{Type: directory.AttributeGroup, Name: "groups",
				FilterType: directory.FilterStartsWith, FilterValue: "aws-"}},
			AssertionLifetime: 5 * time.Minute},
		Settings: map[string]string{"acsURL": "https://sp.example/acs"}}
}

func (h *idpHarness) createApp(t *testing.T) directory.App {
	t.Helper()
	a, err := h.s.CreateApp(h.ctx, h.newApp())
	ok(t, err)
	return a
}

// assignedUsers lists the app's effective assignments as "userID scope".
func (h *idpHarness) assignedUsers(t *testing.T, appID string) []string {
	t.Helper()
	all, _ := walk(t, 2, func(p store.Page) ([]directory.AppUser, string, error) { return h.s.ListAppUsers(h.ctx, appID, p) })
	var out []string
	for _, au := range all {
		out = append(out, au.UserID+" "+au.Scope)
	}
	return out
}

// appChanges returns the feed's changes that name an app.
func (h *idpHarness) appChanges(t *testing.T) []directory.Change {
	t.Helper()
	var out []directory.Change
	for _, c := range h.changes(t) {
		if c.AppID != "" {
			c.Seq, c.Time = 0, time.Time{}
			out = append(out, c)
		}
	}
	return out
}

// sorted returns ss in order (assignments list in user-id order).
func sorted(ss ...string) []string {
	sortBy(ss, func(s string) string { return s })
	return ss
}

var idpAppTests = []idpTest{
	{"an app is created, read back whole, listed, updated and deleted once inactive", func(t *testing.T, h *idpHarness) {
		want := h.newApp()
		want.Provisioning = directory.Provisioning{Enabled: true, BaseURL: "https://scim.example/v2", SealedToken: []byte{0, 1, 0xff}}
		a, err := h.s.CreateApp(h.ctx, want)
		ok(t, err)
		want.ID, want.Created, want.LastUpdated = a.ID, start, start
		equal(t, "created", want, a)
		got, err := h.s.App(h.ctx, a.ID)
		ok(t, err)
		equal(t, "read back", want, got)
		e := h.lastEvent(t)
		equal(t, "event", [3]string{"application.lifecycle.create", a.ID, a.Label}, [3]string{e.Action, e.TargetID, e.TargetName})

		later := h.newer()
		got, err = h.s.UpdateApp(h.ctx, a.ID, "application.lifecycle.deactivate", func(old directory.App) (directory.App, error) {
			old.Status, old.Name, old.Label = directory.AppInactive, "renamed", "Relabelled"
			return old, nil
		})
		ok(t, err)
		want.Status, want.Label, want.LastUpdated = directory.AppInactive, "Relabelled", later
		equal(t, "updated (the name is kept)", want, got)
		equal(t, "event", "application.lifecycle.deactivate", h.lastEvent(t).Action)
		ok(t, h.s.DeleteApp(h.ctx, a.ID))
		_, err = h.s.App(h.ctx, a.ID)
		notFound(t, err, store.ResourceApp)
		e = h.lastEvent(t)
		equal(t, "event", [2]string{"application.lifecycle.delete", "Relabelled"}, [2]string{e.Action, e.TargetName})
		equal(t, "feed", []directory.Change{{Kind: directory.AppChanged, AppID: a.ID}, {Kind: directory.AppChanged, AppID: a.ID},
			{Kind: directory.AppChanged, AppID: a.ID}}, h.appChanges(t))
	}},
	{"apps are listed in id order in pages", func(t *testing.T, h *idpHarness) {
		var ids []string
		for range 5 {
			ids = append(ids, h.createApp(t).ID)
		}
		all, pages := walk(t, 2, func(p store.Page) ([]directory.App, string, error) { return h.s.ListApps(h.ctx, p) })
		var got []string
		for _, a := range all {
			got = append(got, a.ID)
		}
		sortBy(ids, func(s string) string { return s })
		equal(t, "ids", ids, got)
		equal(t, "pages", 3, pages)
		_, _, err := h.s.ListApps(h.ctx, store.Page{Limit: 2, Token: "junk"})
		isKind(t, err, errs.Invalid)
	}},
	{"an active app cannot be deleted and failed app calls write nothing", func(t *testing.T, h *idpHarness) {
		a := h.createApp(t)
		h.nothingWritten(t, func() {
			taken(t, h.s.DeleteApp(h.ctx, a.ID), store.ResourceApp, store.FieldStatus)
			notFound(t, h.s.DeleteApp(h.ctx, "0oaMissing"), store.ResourceApp)
			_, err := h.s.UpdateApp(h.ctx, a.ID, "application.lifecycle.update", func(directory.App) (directory.App, error) { return a, errFn })
			fnFailed(t, err)
			_, err = h.s.UpdateApp(h.ctx, "0oaMissing", "application.lifecycle.update", func(old directory.App) (directory.App, error) { return old, nil })
			notFound(t, err, store.ResourceApp)
			bad := h.newApp()
			bad.Label = ""
			_, err = h.s.CreateApp(h.ctx, bad)
			isKind(t, err, errs.Invalid)
			bad = h.newApp()
			bad.SAML.NameIDTemplate = "${user.login}\x00"
			_, err = h.s.CreateApp(h.ctx, bad)
			isKind(t, err, errs.Invalid)
			_, err = h.s.AssignUser(h.ctx, a.ID, "00uMissing")
			notFound(t, err, store.ResourceUser)
			_, err = h.s.AssignGroup(h.ctx, directory.AppGroup{AppID: "0oaMissing", GroupID: "00gMissing"})
			notFound(t, err, store.ResourceApp)
			notFound(t, h.s.UnassignUser(h.ctx, a.ID, "00uMissing"), store.ResourceAppUser)
			notFound(t, h.s.UnassignGroup(h.ctx, a.ID, "00gMissing"), store.ResourceAppGroup)
			notFound(t, h.s.UnpushGroup(h.ctx, a.ID, "00gMissing"), store.ResourceGroupPush)
			_, err = h.s.PushGroup(h.ctx, a.ID, "00gMissing")
			notFound(t, err, store.ResourceGroup)
		})
	}},
	{"a person is assigned directly or through a group, and a direct assignment wins", func(t *testing.T, h *idpHarness) {
		a := h.createApp(t)
		g := h.createGroup(t)
		direct, both, viaGroup, other := h.createUser(t), h.createUser(t, g.ID), h.createUser(t, g.ID), h.createUser(t)
		_, err := h.s.AssignUser(h.ctx, a.ID, direct.ID)
		ok(t, err)
		_, err = h.s.AssignUser(h.ctx, a.ID, both.ID)
		ok(t, err)
		_, err = h.s.AssignGroup(h.ctx, directory.AppGroup{AppID: a.ID, GroupID: g.ID, Priority: 1})
		ok(t, err)
		equal(t, "assignments", sorted(direct.ID+" USER", both.ID+" USER", viaGroup.ID+" GROUP"), h.assignedUsers(t, a.ID))
		au, err := h.s.AppUser(h.ctx, a.ID, viaGroup.ID)
		ok(t, err)
		equal(t, "through the group", directory.AppUser{AppID: a.ID, UserID: viaGroup.ID, Scope: directory.ScopeGroup,
			Created: start, LastUpdated: start}, au)
		_, err = h.s.AppUser(h.ctx, a.ID, other.ID)
		notFound(t, err, store.ResourceAppUser)
		_, err = h.s.AppUser(h.ctx, "0oaMissing", other.ID)
		notFound(t, err, store.ResourceApp)

		ok(t, h.s.UnassignUser(h.ctx, a.ID, both.ID))
		au, err = h.s.AppUser(h.ctx, a.ID, both.ID)
		ok(t, err)
		equal(t, "still assigned through the group", directory.ScopeGroup, au.Scope)
		_, err = h.s.RemoveMember(h.ctx, g.ID, viaGroup.ID)
		ok(t, err)
		equal(t, "after leaving the group", sorted(direct.ID+" USER", both.ID+" GROUP"), h.assignedUsers(t, a.ID))
		ok(t, h.s.UnassignGroup(h.ctx, a.ID, g.ID))
		equal(t, "after the group's unassignment", []string{direct.ID + " USER"}, h.assignedUsers(t, a.ID))
		ok(t, h.s.DeleteUser(h.ctx, direct.ID))
		equal(t, "after the user's deletion", 0, len(h.assignedUsers(t, a.ID)))
	}},
	{"assigning or pushing again writes nothing", func(t *testing.T, h *idpHarness) {
		a := h.createApp(t)
		g := h.createGroup(t)
		u := h.createUser(t)
		first, err := h.s.AssignUser(h.ctx, a.ID, u.ID)
		ok(t, err)
		h.newer()
		h.nothingWritten(t, func() {
			again, err := h.s.AssignUser(h.ctx, a.ID, u.ID)
			ok(t, err)
			equal(t, "assigned again", first, again)
		})
		_, err = h.s.PushGroup(h.ctx, a.ID, g.ID)
		ok(t, err)
		h.nothingWritten(t, func() {
			_, err := h.s.PushGroup(h.ctx, a.ID, g.ID)
			ok(t, err)
		})
	}},
	{"the feed names the app and the user or group of each assignment and push", func(t *testing.T, h *idpHarness) {
		a := h.createApp(t)
		g := h.createGroup(t)
		u := h.createUser(t)
		_, err := h.s.AssignUser(h.ctx, a.ID, u.ID)
		ok(t, err)
		ag, err := h.s.AssignGroup(h.ctx, directory.AppGroup{AppID: a.ID, GroupID: g.ID, Priority: 2})
		ok(t, err)
		equal(t, "group assignment", directory.AppGroup{AppID: a.ID, GroupID: g.ID, Priority: 2, Created: start, LastUpdated: start}, ag)
		p, err := h.s.PushGroup(h.ctx, a.ID, g.ID)
		ok(t, err)
		equal(t, "push", directory.GroupPush{AppID: a.ID, GroupID: g.ID, Created: start}, p)
		_, err = h.s.PushGroup(h.ctx, a.ID, g.ID)
		ok(t, err)
		pushes, err := h.s.ListGroupPushes(h.ctx, a.ID)
		ok(t, err)
		equal(t, "pushes", []directory.GroupPush{p}, pushes)
		ok(t, h.s.UnpushGroup(h.ctx, a.ID, g.ID))
		ok(t, h.s.UnassignGroup(h.ctx, a.ID, g.ID))
		ok(t, h.s.UnassignUser(h.ctx, a.ID, u.ID))
		want := []directory.Change{
			{Kind: directory.AppChanged, AppID: a.ID},
			{Kind: directory.AppUserAssigned, AppID: a.ID, UserID: u.ID},
			{Kind: directory.AppGroupAssigned, AppID: a.ID, GroupID: g.ID},
			{Kind: directory.AppGroupPushed, AppID: a.ID, GroupID: g.ID},
			{Kind: directory.AppGroupUnpushed, AppID: a.ID, GroupID: g.ID},
			{Kind: directory.AppGroupRemoved, AppID: a.ID, GroupID: g.ID},
			{Kind: directory.AppUserUnassigned, AppID: a.ID, UserID: u.ID},
		}
		equal(t, "feed", want, h.appChanges(t))
		acts := h.actions(t)
		equal(t, "actions", []string{"application.user_membership.add", "application.group_membership.add",
			"application.provision.group_push.push", "application.provision.group_push.unlink",
			"application.group_membership.remove", "application.user_membership.remove"}, acts[len(acts)-6:])
		if e := h.lastEvent(t); e.TargetName != a.Label || e.TargetID != a.ID {
			t.Errorf("event names %s %q, want the app %s %q", e.TargetID, e.TargetName, a.ID, a.Label)
		}
	}},
	{"a group's priority is updated in place and the same priority again writes nothing", func(t *testing.T, h *idpHarness) {
		a := h.createApp(t)
		g := h.createGroup(t)
		_, err := h.s.AssignGroup(h.ctx, directory.AppGroup{AppID: a.ID, GroupID: g.ID, Priority: 1})
		ok(t, err)
		feed := len(h.changes(t))
		later := h.newer()
		ag, err := h.s.AssignGroup(h.ctx, directory.AppGroup{AppID: a.ID, GroupID: g.ID, Priority: 7})
		ok(t, err)
		equal(t, "updated", directory.AppGroup{AppID: a.ID, GroupID: g.ID, Priority: 7, Created: start, LastUpdated: later}, ag)
		equal(t, "event", "application.group_membership.update", h.lastEvent(t).Action)
		equal(t, "no feed change for a priority", feed, len(h.changes(t)))
		h.nothingWritten(t, func() {
			_, err := h.s.AssignGroup(h.ctx, directory.AppGroup{AppID: a.ID, GroupID: g.ID, Priority: 7})
			ok(t, err)
		})
		got, err := h.s.AppGroup(h.ctx, a.ID, g.ID)
		ok(t, err)
		equal(t, "read back", ag, got)
		all, _ := walk(t, 1, func(p store.Page) ([]directory.AppGroup, string, error) { return h.s.ListAppGroups(h.ctx, a.ID, p) })
		equal(t, "listed", []directory.AppGroup{ag}, all)
	}},
	{"deleting a group or an app removes their assignments and pushes", func(t *testing.T, h *idpHarness) {
		a := h.createApp(t)
		g := h.createGroup(t)
		u := h.createUser(t, g.ID)
		_, err := h.s.AssignGroup(h.ctx, directory.AppGroup{AppID: a.ID, GroupID: g.ID})
		ok(t, err)
		_, err = h.s.PushGroup(h.ctx, a.ID, g.ID)
		ok(t, err)
		ok(t, h.s.DeleteGroup(h.ctx, g.ID))
		equal(t, "assigned users", 0, len(h.assignedUsers(t, a.ID)))
		pushes, err := h.s.ListGroupPushes(h.ctx, a.ID)
		ok(t, err)
		equal(t, "pushes", 0, len(pushes))
		_, err = h.s.AssignUser(h.ctx, a.ID, u.ID)
		ok(t, err)
		_, err = h.s.UpdateApp(h.ctx, a.ID, "application.lifecycle.deactivate", func(old directory.App) (directory.App, error) {
			old.Status = directory.AppInactive
			return old, nil
		})
		ok(t, err)
		ok(t, h.s.DeleteApp(h.ctx, a.ID))
		apps, err := h.s.UserApps(h.ctx, u.ID)
		ok(t, err)
		equal(t, "the user's apps", 0, len(apps))
		_, _, err = h.s.ListAppUsers(h.ctx, a.ID, store.Page{Limit: 5})
		notFound(t, err, store.ResourceApp)
	}},
	{"a user's apps are those assigned directly or through a group, by label", func(t *testing.T, h *idpHarness) {
		g := h.createGroup(t)
		u := h.createUser(t, g.ID)
		mk := func(label string) directory.App {
			a := h.newApp()
			a.Label = label
			a, err := h.s.CreateApp(h.ctx, a)
			ok(t, err)
			return a
		}
		zeta, alpha, mid := mk("Zeta"), mk("Alpha"), mk("Mid")
		mk("Unassigned")
		_, err := h.s.AssignUser(h.ctx, zeta.ID, u.ID)
		ok(t, err)
		_, err = h.s.AssignGroup(h.ctx, directory.AppGroup{AppID: alpha.ID, GroupID: g.ID})
		ok(t, err)
		_, err = h.s.AssignUser(h.ctx, mid.ID, u.ID)
		ok(t, err)
		_, err = h.s.AssignGroup(h.ctx, directory.AppGroup{AppID: mid.ID, GroupID: g.ID})
		ok(t, err)
		apps, err := h.s.UserApps(h.ctx, u.ID)
		ok(t, err)
		var labels []string
		for _, a := range apps {
			labels = append(labels, a.Label)
		}
		equal(t, "labels", []string{"Alpha", "Mid", "Zeta"}, labels)
		_, err = h.s.UserApps(h.ctx, "00uMissing")
		notFound(t, err, store.ResourceUser)
	}},
}
