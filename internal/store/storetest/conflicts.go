package storetest

import (
	"strings"
	"testing"

	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

var conflictTests = []test{
	{"every uniqueness conflict names the resource and the value taken", func(t *testing.T, h *harness) {
		u, g, acct := h.createUser(t), h.createGroup(t), h.createAccount(t)
		ps := h.createPermissionSet(t)
		xu, xg := h.newUser("x-user"), h.newGroup("x-group")
		xu.ExternalIDs = []ic.ExternalID{{Issuer: "idp", ID: "1"}}
		xg.ExternalIDs = []ic.ExternalID{{Issuer: "idp", ID: "1"}}
		ok(t, h.s.CreateUser(h.ctx, xu))
		ok(t, h.s.CreateGroup(h.ctx, xg))
		h.addMember(t, g, u)

		sameName := h.newUser("")
		sameName.Profile.UserName = strings.ToUpper(u.Profile.UserName)
		taken(t, h.s.CreateUser(h.ctx, sameName), store.ResourceUser, store.FieldName)
		sameXU := h.newUser("other-user")
		sameXU.ExternalIDs = xu.ExternalIDs
		taken(t, h.s.CreateUser(h.ctx, sameXU), store.ResourceUser, store.FieldExternalID)
		sameGroup := h.newGroup("")
		sameGroup.DisplayName = strings.ToUpper(g.DisplayName)
		taken(t, h.s.CreateGroup(h.ctx, sameGroup), store.ResourceGroup, store.FieldName)
		sameXG := h.newGroup("other-group")
		sameXG.ExternalIDs = xg.ExternalIDs
		taken(t, h.s.CreateGroup(h.ctx, sameXG), store.ResourceGroup, store.FieldExternalID)
		taken(t, h.s.CreateMembership(h.ctx, h.newMembership(g, u)), store.ResourceMembership, store.FieldMember)
		samePS := h.newPermissionSet(ps.Name)
		taken(t, h.s.CreatePermissionSet(h.ctx, samePS), store.ResourcePermissionSet, store.FieldName)
		sameEmail := h.newAccount()
		sameEmail.Email = strings.ToUpper(acct.Email)
		taken(t, h.s.CreateAccount(h.ctx, sameEmail, h.accountStatus(sameEmail)), store.ResourceAccount, store.FieldEmail)
	}},
}
