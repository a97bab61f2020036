package storetest

import (
	"testing"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

var idpGroupTests = []idpTest{
	{"a group is created with a fresh id and read back by id and by name in any case", func(t *testing.T, h *idpHarness) {
		g := h.createGroup(t)
		if !directory.ValidID(g.ID) {
			t.Errorf("id %q is not one the directory makes", g.ID)
		}
		equalTime(t, "Created", start, g.Created)
		equalTime(t, "LastUpdated", start, g.LastUpdated)
		equalTime(t, "LastMembershipUpdated", start, g.LastMembershipUpdated)
		got, err := h.s.Group(h.ctx, g.ID)
		ok(t, err)
		equal(t, "Group", g, got)
		got, err = h.s.GroupByName(h.ctx, flipCase(g.Name))
		ok(t, err)
		equal(t, "GroupByName", g, got)
		e := h.lastEvent(t)
		equal(t, "event", [4]string{"group.lifecycle.create", "UserGroup", g.ID, g.Name}, [4]string{e.Action, e.TargetType, e.TargetID, e.TargetName})
		_, err = h.s.Group(h.ctx, "00gMissing")
		notFound(t, err, store.ResourceGroup)
		_, err = h.s.GroupByName(h.ctx, "nobody")
		notFound(t, err, store.ResourceGroup)
	}},
	{"a group name taken in another case is a conflict naming the name and writes nothing", func(t *testing.T, h *idpHarness) {
		g := h.createGroup(t)
		h.nothingWritten(t, func() {
			_, err := h.s.CreateGroup(h.ctx, directory.Group{Type: directory.OktaGroup, Name: flipCase(g.Name)})
			taken(t, err, store.ResourceGroup, store.FieldName)
		})
		other := h.createGroup(t)
		h.nothingWritten(t, func() {
			_, err := h.s.UpdateGroup(h.ctx, other.ID, func(old directory.Group) (directory.Group, error) {
				old.Name = flipCase(g.Name)
				return old, nil
			})
			taken(t, err, store.ResourceGroup, store.FieldName)
		})
	}},
	{"updating a group is compare-and-swap and bumps LastUpdated; a failing fn writes nothing", func(t *testing.T, h *idpHarness) {
		g := h.createGroup(t)
		now := h.newer()
		got, err := h.s.UpdateGroup(h.ctx, g.ID, func(old directory.Group) (directory.Group, error) {
			equal(t, "fn's input", g, old)
			old.ID, old.Name, old.Description = "00gOther", "Renamed", "new words"
			return old, nil
		})
		ok(t, err)
		equal(t, "id", g.ID, got.ID)
		equalTime(t, "Created", g.Created, got.Created)
		equalTime(t, "LastUpdated", now, got.LastUpdated)
		read, err := h.s.GroupByName(h.ctx, "RENAMED")
		ok(t, err)
		equal(t, "stored", got, read)
		equal(t, "event", "group.profile.update", h.lastEvent(t).Action)
		h.newer()
		h.nothingWritten(t, func() {
			_, err := h.s.UpdateGroup(h.ctx, g.ID, func(old directory.Group) (directory.Group, error) { return old, errFn })
			fnFailed(t, err)
		})
		again, err := h.s.Group(h.ctx, g.ID)
		ok(t, err)
		equal(t, "unchanged", got, again)
		_, err = h.s.UpdateGroup(h.ctx, "00gMissing", func(old directory.Group) (directory.Group, error) { return old, nil })
		notFound(t, err, store.ResourceGroup)
	}},
	{"deleting a group removes its memberships but not its members", func(t *testing.T, h *idpHarness) {
		g, keep := h.createGroup(t), h.createGroup(t)
		u := h.createUser(t, g.ID, keep.ID)
		ok(t, h.s.DeleteGroup(h.ctx, g.ID))
		_, err := h.s.Group(h.ctx, g.ID)
		notFound(t, err, store.ResourceGroup)
		gs, err := h.s.UserGroups(h.ctx, u.ID)
		ok(t, err)
		equal(t, "groups left", []directory.Group{keep}, gs)
		_, err = h.s.CountMembers(h.ctx, g.ID)
		notFound(t, err, store.ResourceGroup)
		e := h.lastEvent(t)
		equal(t, "event", [2]string{"group.lifecycle.delete", g.ID}, [2]string{e.Action, e.TargetID})
		h.nothingWritten(t, func() { notFound(t, h.s.DeleteGroup(h.ctx, g.ID), store.ResourceGroup) })
	}},
	{"adding and removing a member is idempotent and moves LastMembershipUpdated", func(t *testing.T, h *idpHarness) {
		g := h.createGroup(t)
		u := h.createUser(t)
		added := h.newer()
		yes, err := h.s.AddMember(h.ctx, g.ID, u.ID)
		ok(t, err)
		equal(t, "added", true, yes)
		e := h.lastEvent(t)
		equal(t, "event", [3]string{"group.user_membership.add", "User", u.ID}, [3]string{e.Action, e.TargetType, e.TargetID})
		h.newer()
		h.nothingWritten(t, func() {
			yes, err = h.s.AddMember(h.ctx, g.ID, u.ID)
			ok(t, err)
			equal(t, "added again", false, yes)
		})
		got, err := h.s.Group(h.ctx, g.ID)
		ok(t, err)
		equalTime(t, "LastMembershipUpdated after adding", added, got.LastMembershipUpdated)
		equalTime(t, "LastUpdated", g.LastUpdated, got.LastUpdated)
		n, err := h.s.CountMembers(h.ctx, g.ID)
		ok(t, err)
		equal(t, "members", 1, n)
		removed := h.newer()
		yes, err = h.s.RemoveMember(h.ctx, g.ID, u.ID)
		ok(t, err)
		equal(t, "removed", true, yes)
		equal(t, "event", "group.user_membership.remove", h.lastEvent(t).Action)
		h.newer()
		h.nothingWritten(t, func() {
			yes, err = h.s.RemoveMember(h.ctx, g.ID, u.ID)
			ok(t, err)
			equal(t, "removed again", false, yes)
		})
		got, err = h.s.Group(h.ctx, g.ID)
		ok(t, err)
		equalTime(t, "LastMembershipUpdated after removing", removed, got.LastMembershipUpdated)
		n, err = h.s.CountMembers(h.ctx, g.ID)
		ok(t, err)
		equal(t, "members", 0, n)
	}},
	{"adding a missing user or to a missing group is not found", func(t *testing.T, h *idpHarness) {
		g, u := h.createGroup(t), h.createUser(t)
		h.nothingWritten(t, func() {
			_, err := h.s.AddMember(h.ctx, g.ID, "00uMissing")
			notFound(t, err, store.ResourceUser)
			_, err = h.s.AddMember(h.ctx, "00gMissing", u.ID)
			notFound(t, err, store.ResourceGroup)
			_, err = h.s.RemoveMember(h.ctx, "00gMissing", u.ID)
			notFound(t, err, store.ResourceGroup)
		})
	}},
}
