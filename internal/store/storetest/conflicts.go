package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/errs"
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

var textTests = []test{
	{"text with a NUL character or invalid UTF-8 is invalid, stored nowhere and matched by nothing", func(t *testing.T, h *harness) {
		for _, bad := range []string{"nul\x00inside", "bad\xffutf8"} {
			h.unchangedLog(t, func() {
				u := h.newUser("")
				u.Profile.UserName = bad
				isKind(t, h.s.CreateUser(h.ctx, u), errs.Invalid)
				_, err := h.s.UserByName(h.ctx, bad)
				matchesNothing(t, err)
				users, _, err := h.s.ListUsers(h.ctx, store.UserFilter{UserName: bad}, store.Page{Limit: 10})
				if len(users) != 0 || (err != nil && !errs.Is(err, errs.Invalid)) {
					t.Errorf("listing users named %q: %d users, error %v", bad, len(users), err)
				}
				_, err = h.s.Allow(h.ctx, "signin-user:"+bad, time.Minute, 5)
				isKind(t, err, errs.Invalid)
			})
		}
	}},
}

// matchesNothing fails t unless a lookup found nothing: not found, or
// refused as invalid, never a backend failure.
func matchesNothing(t *testing.T, err error) {
	t.Helper()
	if k := errs.KindOf(err); k != errs.NotFound && k != errs.Invalid {
		t.Errorf("lookup: %v (kind %s), want not found or invalid", err, k)
	}
}
