package storetest

import (
	"strings"
	"testing"

	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

var groupTests = []test{
	{"a group is read back by id, display name and external id", func(t *testing.T, h *harness) {
		g := h.createGroup(t)
		h.createGroup(t)
		got, err := h.s.Group(h.ctx, g.ID)
		ok(t, err)
		equal(t, "Group", g, got)
		got, err = h.s.GroupByName(h.ctx, strings.ToUpper(g.DisplayName))
		ok(t, err)
		equal(t, "GroupByName", g, got)
		got, err = h.s.GroupByExternalID(h.ctx, g.ExternalIDs[0])
		ok(t, err)
		equal(t, "GroupByExternalID", g, got)
		equal(t, "event", "identitystore.group.create", h.lastEvent(t).Action)
	}},
	{"a missing group is not found by id, name or external id", func(t *testing.T, h *harness) {
		_, err := h.s.Group(h.ctx, h.newGroup("ghost").ID)
		notFound(t, err, store.ResourceGroup)
		_, err = h.s.GroupByName(h.ctx, "ghost")
		notFound(t, err, store.ResourceGroup)
		_, err = h.s.GroupByExternalID(h.ctx, ic.ExternalID{Issuer: "i", ID: "ghost"})
		notFound(t, err, store.ResourceGroup)
	}},
	{"a duplicate group display name is a conflict, case-insensitively", func(t *testing.T, h *harness) {
		g := h.createGroup(t)
		dup := h.newGroup(flipCase(g.DisplayName))
		h.unchangedLog(t, func() { conflict(t, h.s.CreateGroup(h.ctx, dup)) })
		_, err := h.s.Group(h.ctx, dup.ID)
		notFound(t, err, store.ResourceGroup)
	}},
	{"a group display name of the longest length the identity store allows is unique and found", func(t *testing.T, h *harness) {
		// 1024 characters (ValidateGroup's limit) of three-byte text that
		// does not compress: 3 KiB, past what one PostgreSQL index entry holds.
		g := h.newGroup(incompressible(1024))
		g.ExternalIDs = []ic.ExternalID{{Issuer: "https://idp.example.com", ID: "ext-long"}}
		ok(t, h.s.CreateGroup(h.ctx, g))
		got, err := h.s.GroupByName(h.ctx, g.DisplayName)
		ok(t, err)
		equal(t, "GroupByName", g, got)
		dup := h.newGroup(g.DisplayName)
		dup.ExternalIDs = nil
		h.unchangedLog(t, func() { taken(t, h.s.CreateGroup(h.ctx, dup), store.ResourceGroup, store.FieldName) })
		near := h.newGroup(g.DisplayName[:len(g.DisplayName)-3] + "a") // all but its last character
		near.ExternalIDs = nil
		ok(t, h.s.CreateGroup(h.ctx, near))
		got, err = h.s.GroupByName(h.ctx, near.DisplayName)
		ok(t, err)
		equal(t, "GroupByName of a name alike but for its end", near.ID, got.ID)
	}},
	{"groups are listed in id order across pages and filtered by display name", func(t *testing.T, h *harness) {
		var want []ic.Group
		for range 5 {
			want = append(want, h.createGroup(t))
		}
		sortBy(want, func(g ic.Group) string { return g.ID })
		got, _ := walk(t, 2, func(p store.Page) ([]ic.Group, string, error) {
			return h.s.ListGroups(h.ctx, store.GroupFilter{}, p)
		})
		equal(t, "groups", want, got)
		f := store.GroupFilter{DisplayName: strings.ToLower(want[1].DisplayName)}
		got, _, err := h.s.ListGroups(h.ctx, f, store.Page{Limit: 10})
		ok(t, err)
		equal(t, "filtered", []ic.Group{want[1]}, got)
	}},
	{"updating a group replaces it and re-indexes its name", func(t *testing.T, h *harness) {
		g := h.createGroup(t)
		got, err := h.s.UpdateGroup(h.ctx, g.ID, func(old ic.Group) (ic.Group, error) {
			equal(t, "fn's input", g, old)
			old.DisplayName, old.Description = "Renamed", "new"
			old.ExternalIDs = nil
			return old, nil
		})
		ok(t, err)
		stored, err := h.s.GroupByName(h.ctx, "RENAMED")
		ok(t, err)
		equal(t, "stored", got, stored)
		_, err = h.s.GroupByName(h.ctx, g.DisplayName)
		notFound(t, err, store.ResourceGroup)
		_, err = h.s.GroupByExternalID(h.ctx, g.ExternalIDs[0])
		notFound(t, err, store.ResourceGroup)
		equal(t, "event", "identitystore.group.update", h.lastEvent(t).Action)
	}},
	{"renaming a group onto a taken name is a conflict and changes nothing", func(t *testing.T, h *harness) {
		a, b := h.createGroup(t), h.createGroup(t)
		_, err := h.s.UpdateGroup(h.ctx, b.ID, func(old ic.Group) (ic.Group, error) {
			old.DisplayName = strings.ToUpper(a.DisplayName)
			return old, nil
		})
		conflict(t, err)
		got, err := h.s.Group(h.ctx, b.ID)
		ok(t, err)
		equal(t, "group", b, got)
	}},
	{"a group update whose fn fails returns its error and writes nothing", func(t *testing.T, h *harness) {
		g := h.createGroup(t)
		h.unchangedLog(t, func() {
			_, err := h.s.UpdateGroup(h.ctx, g.ID, func(old ic.Group) (ic.Group, error) {
				old.DisplayName = "changed"
				return old, errFn
			})
			fnFailed(t, err)
		})
		got, err := h.s.Group(h.ctx, g.ID)
		ok(t, err)
		equal(t, "group", g, got)
	}},
	{"updating or deleting a missing group is not found", func(t *testing.T, h *harness) {
		id := h.newGroup("ghost").ID
		_, err := h.s.UpdateGroup(h.ctx, id, func(g ic.Group) (ic.Group, error) { return g, nil })
		notFound(t, err, store.ResourceGroup)
		notFound(t, h.s.DeleteGroup(h.ctx, id), store.ResourceGroup)
	}},
}

var membershipTests = []test{
	{"a membership is found by id and by group and user", func(t *testing.T, h *harness) {
		g, u := h.createGroup(t), h.createUser(t)
		m := h.addMember(t, g, u)
		got, err := h.s.Membership(h.ctx, m.ID)
		ok(t, err)
		equal(t, "Membership", m, got)
		got, err = h.s.MembershipOf(h.ctx, g.ID, u.ID)
		ok(t, err)
		equal(t, "MembershipOf", m, got)
		equal(t, "event", "identitystore.membership.create", h.lastEvent(t).Action)
	}},
	{"a missing membership is not found", func(t *testing.T, h *harness) {
		g, u := h.createGroup(t), h.createUser(t)
		_, err := h.s.Membership(h.ctx, h.newMembership(g, u).ID)
		notFound(t, err, store.ResourceMembership)
		_, err = h.s.MembershipOf(h.ctx, g.ID, u.ID)
		notFound(t, err, store.ResourceMembership)
		notFound(t, h.s.DeleteMembership(h.ctx, h.newMembership(g, u).ID), store.ResourceMembership)
	}},
	{"a membership of a missing user or group is not found and names which", func(t *testing.T, h *harness) {
		g, u := h.createGroup(t), h.createUser(t)
		h.unchangedLog(t, func() {
			notFound(t, h.s.CreateMembership(h.ctx, h.newMembership(g, h.newUser("ghost"))), store.ResourceUser)
			notFound(t, h.s.CreateMembership(h.ctx, h.newMembership(h.newGroup("ghost"), u)), store.ResourceGroup)
		})
	}},
	{"a user is put in a group only once", func(t *testing.T, h *harness) {
		g, u := h.createGroup(t), h.createUser(t)
		h.addMember(t, g, u)
		conflict(t, h.s.CreateMembership(h.ctx, h.newMembership(g, u)))
	}},
	{"a group's and a user's memberships are listed in id order across pages", func(t *testing.T, h *harness) {
		g, u := h.createGroup(t), h.createUser(t)
		var inGroup, ofUser []ic.Membership
		for range 4 {
			inGroup = append(inGroup, h.addMember(t, g, h.createUser(t)))
			ofUser = append(ofUser, h.addMember(t, h.createGroup(t), u))
		}
		m := h.addMember(t, g, u)
		inGroup, ofUser = append(inGroup, m), append(ofUser, m)
		sortBy(inGroup, func(m ic.Membership) string { return m.ID })
		sortBy(ofUser, func(m ic.Membership) string { return m.ID })
		got, _ := walk(t, 2, func(p store.Page) ([]ic.Membership, string, error) {
			return h.s.ListMemberships(h.ctx, g.ID, p)
		})
		equal(t, "group's memberships", inGroup, got)
		got, _ = walk(t, 2, func(p store.Page) ([]ic.Membership, string, error) {
			return h.s.ListMembershipsForUser(h.ctx, u.ID, p)
		})
		equal(t, "user's memberships", ofUser, got)
	}},
	{"member-of answers for every group asked", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		in, out := h.createGroup(t), h.createGroup(t)
		h.addMember(t, in, u)
		h.addMember(t, out, h.createUser(t))
		ghost := h.newGroup("ghost").ID
		got, err := h.s.MemberOf(h.ctx, u.ID, []string{in.ID, out.ID, ghost})
		ok(t, err)
		equal(t, "member of", map[string]bool{in.ID: true, out.ID: false, ghost: false}, got)
		got, err = h.s.MemberOf(h.ctx, u.ID, nil)
		ok(t, err)
		equal(t, "member of nothing", map[string]bool{}, got)
	}},
	{"deleting a membership removes it", func(t *testing.T, h *harness) {
		g, u := h.createGroup(t), h.createUser(t)
		m := h.addMember(t, g, u)
		ok(t, h.s.DeleteMembership(h.ctx, m.ID))
		_, err := h.s.MembershipOf(h.ctx, g.ID, u.ID)
		notFound(t, err, store.ResourceMembership)
		equal(t, "event", "identitystore.membership.delete", h.lastEvent(t).Action)
		h.addMember(t, g, u) // and the pair is free again
	}},
}
