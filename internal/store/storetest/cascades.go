package storetest

import (
	"testing"
	"time"

	"github.com/keyward/keyward/internal/clock"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// newToken returns a token of user in a new family.
func (h *harness) newToken(userID string) ic.Token {
	now := h.clk.Now()
	return ic.Token{
		AccessHash: clock.Hex(clock.Random, 32), RefreshHash: clock.Hex(clock.Random, 32),
		FamilyID: clock.Hex(clock.Random, 16), UserID: userID, ClientID: "client-1",
		Scopes: []string{"sso:account:access"}, CreatedAt: now, ExpiresAt: now.Add(time.Hour),
		RefreshExpiresAt: now.Add(90 * 24 * time.Hour),
	}
}

func (h *harness) newSession(userID string) ic.PortalSession {
	now := h.clk.Now()
	return ic.PortalSession{IDHash: clock.Hex(clock.Random, 32), UserID: userID,
		CreatedAt: now, ExpiresAt: now.Add(8 * time.Hour)}
}

var cascadeTests = []test{
	{"deleting a user removes its memberships, assignments, password, sessions and tokens", func(t *testing.T, h *harness) {
		u, other := h.createUser(t), h.createUser(t)
		g := h.createGroup(t)
		m := h.addMember(t, g, u)
		h.addMember(t, g, other)
		ps, acct, shared := h.createPermissionSet(t), h.createAccount(t), h.createAccount(t)
		h.assign(t, acct.ID, ps, ic.PrincipalUser, u.ID)
		h.assign(t, shared.ID, ps, ic.PrincipalUser, u.ID)
		h.assign(t, shared.ID, ps, ic.PrincipalUser, other.ID)
		_, err := h.s.UpdatePasswordState(h.ctx, u.ID, func(p ic.PasswordState) (ic.PasswordState, error) {
			p.Hash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA"
			return p, nil
		})
		ok(t, err)
		sess, tok := h.newSession(u.ID), h.newToken(u.ID)
		ok(t, h.s.CreatePortalSession(h.ctx, sess))
		ok(t, h.s.CreateToken(h.ctx, tok))

		ok(t, h.s.DeleteUser(h.ctx, u.ID))
		equal(t, "event", "identitystore.user.delete", h.lastEvent(t).Action)
		_, err = h.s.User(h.ctx, u.ID)
		notFound(t, err, store.ResourceUser)
		_, err = h.s.Membership(h.ctx, m.ID)
		notFound(t, err, store.ResourceMembership)
		_, err = h.s.PasswordState(h.ctx, u.ID)
		notFound(t, err, store.ResourceUser)
		_, err = h.s.PortalSession(h.ctx, sess.IDHash)
		notFound(t, err, "")
		_, err = h.s.TokenByAccess(h.ctx, tok.AccessHash)
		notFound(t, err, "")
		equal(t, "roles left", []string{shared.ID}, accountsOf(h.roles(t, store.RoleFilter{})))
		list, _, err := h.s.ListAssignments(h.ctx, shared.ID, ps.ID, store.Page{Limit: 10})
		ok(t, err)
		equal(t, "assignments left", 1, len(list))
		members, _, err := h.s.ListMemberships(h.ctx, g.ID, store.Page{Limit: 10})
		ok(t, err)
		equal(t, "members left", 1, len(members))
		ok(t, h.s.CreateUser(h.ctx, h.newUser(u.Profile.UserName))) // the name is free again
	}},
	{"deleting a group removes its memberships, its assignments and the roles they leave unused", func(t *testing.T, h *harness) {
		g, keep := h.createGroup(t), h.createGroup(t)
		u := h.createUser(t)
		m := h.addMember(t, g, u)
		h.addMember(t, keep, u)
		ps, only, shared := h.createPermissionSet(t), h.createAccount(t), h.createAccount(t)
		h.assign(t, only.ID, ps, ic.PrincipalGroup, g.ID)
		h.assign(t, shared.ID, ps, ic.PrincipalGroup, g.ID)
		h.assign(t, shared.ID, ps, ic.PrincipalGroup, keep.ID)

		ok(t, h.s.DeleteGroup(h.ctx, g.ID))
		equal(t, "event", "identitystore.group.delete", h.lastEvent(t).Action)
		_, err := h.s.Group(h.ctx, g.ID)
		notFound(t, err, store.ResourceGroup)
		_, err = h.s.Membership(h.ctx, m.ID)
		notFound(t, err, store.ResourceMembership)
		equal(t, "roles left", []string{shared.ID}, accountsOf(h.roles(t, store.RoleFilter{})))
		memberships, _, err := h.s.ListMembershipsForUser(h.ctx, u.ID, store.Page{Limit: 10})
		ok(t, err)
		equal(t, "user's memberships left", 1, len(memberships))
		accts, _, err := h.s.UserAccounts(h.ctx, u.ID, store.Page{Limit: 10})
		ok(t, err)
		equal(t, "user's accounts left", []ic.Account{shared}, accts)
	}},
}
