package storetest

import (
	"testing"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

var idpBatchTests = []idpTest{
	{"batches store groups and users with their memberships, changes and events as one-by-one creates do", func(t *testing.T, h *idpHarness) {
		groups, err := h.s.CreateGroups(h.ctx, []directory.Group{
			{Type: directory.OktaGroup, Name: "Imported-A"}, {Type: directory.OktaGroup, Name: "Imported-B"}})
		ok(t, err)
		users, err := h.s.CreateUsers(h.ctx, []store.NewUser{{User: h.newUser(), GroupIDs: []string{groups[0].ID}},
			{User: h.newUser(), GroupIDs: []string{groups[0].ID, groups[1].ID, groups[0].ID}}, {User: h.newUser()}})
		ok(t, err)
		for i, u := range users {
			if !directory.ValidID(u.ID) {
				t.Errorf("user %d has id %q", i, u.ID)
			}
			equalTime(t, "Created", start, u.Created)
			got, err := h.s.User(h.ctx, u.ID)
			ok(t, err)
			equal(t, "stored user", u, got)
		}
		for _, g := range groups {
			got, err := h.s.Group(h.ctx, g.ID)
			ok(t, err)
			equal(t, "stored group", g, got)
		}
		n, err := h.s.CountMembers(h.ctx, groups[0].ID)
		ok(t, err)
		equal(t, "members of A", 2, n)
		n, err = h.s.CountMembers(h.ctx, groups[1].ID)
		ok(t, err)
		equal(t, "members of B", 1, n)
		equal(t, "events", []string{"group.lifecycle.create", "group.lifecycle.create",
			"user.lifecycle.create", "group.user_membership.add", "user.lifecycle.create", "group.user_membership.add",
			"group.user_membership.add", "user.lifecycle.create"}, h.actions(t))
	}},
	{"a batch with one taken login or a missing group stores nothing", func(t *testing.T, h *idpHarness) {
		u := h.createUser(t)
		dup := h.newUser()
		dup.Profile["login"] = flipCase(u.Login())
		h.nothingWritten(t, func() {
			_, err := h.s.CreateUsers(h.ctx, []store.NewUser{{User: h.newUser()}, {User: dup}})
			taken(t, err, store.ResourceUser, store.FieldLogin)
		})
		h.nothingWritten(t, func() {
			_, err := h.s.CreateUsers(h.ctx, []store.NewUser{{User: h.newUser(), GroupIDs: []string{"00gMissing"}}})
			notFound(t, err, store.ResourceGroup)
		})
		g := h.createGroup(t)
		h.nothingWritten(t, func() {
			_, err := h.s.CreateGroups(h.ctx, []directory.Group{{Type: directory.OktaGroup, Name: "Fresh"},
				{Type: directory.OktaGroup, Name: g.Name}})
			taken(t, err, store.ResourceGroup, store.FieldName)
		})
	}},
}
