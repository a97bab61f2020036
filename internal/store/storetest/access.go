package storetest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	ic "github.com/keyward/keyward/internal/identitycenter"
)

// accessModel is what UserAccounts must answer, kept the slow obvious way:
// the assignments and memberships that exist, and from them every user's
// accounts.
type accessModel struct {
	assigned map[ic.Assignment]bool // CreatedAt zeroed
	members  map[[2]string]bool     // group, user
}

func (m accessModel) accounts(userID string) []string {
	var out []string
	for a := range m.assigned {
		if (a.PrincipalType == ic.PrincipalUser && a.PrincipalID == userID) ||
			(a.PrincipalType == ic.PrincipalGroup && m.members[[2]string{a.PrincipalID, userID}]) {
			out = append(out, a.AccountID)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// accessWorld is a small organization that random changes are made to.
type accessWorld struct {
	h        *harness
	users    []ic.User
	groups   []ic.Group
	accounts []ic.Account
	sets     []ic.PermissionSet
	model    accessModel
	rnd      *rand.Rand
}

func (w *accessWorld) pick(n int) int { return w.rnd.IntN(n) }

// step makes one random change through the store and to the model, and
// says what it did.
func (w *accessWorld) step(t *testing.T) string {
	t.Helper()
	h := w.h
	acct, ps := w.accounts[w.pick(len(w.accounts))], w.sets[w.pick(len(w.sets))]
	u, g := w.users[w.pick(len(w.users))], w.groups[w.pick(len(w.groups))]
	principalType, principalID := ic.PrincipalUser, u.ID
	if w.pick(2) == 0 {
		principalType, principalID = ic.PrincipalGroup, g.ID
	}
	a := assignment(acct.ID, ps, principalType, principalID, h.clk.Now())
	key := a
	key.CreatedAt = time.Time{}
	member := [2]string{g.ID, u.ID}
	switch w.pick(4) {
	case 0:
		h.assign(t, acct.ID, ps, principalType, principalID)
		w.model.assigned[key] = true
		return "assign " + principalType + " " + principalID + " on " + acct.ID
	case 1:
		if !w.model.assigned[key] {
			return "nothing"
		}
		h.unassign(t, a)
		delete(w.model.assigned, key)
		return "unassign " + principalType + " " + principalID + " on " + acct.ID
	case 2:
		if w.model.members[member] {
			return "nothing"
		}
		h.addMember(t, g, u)
		w.model.members[member] = true
		return "add " + u.ID + " to " + g.ID
	}
	if !w.model.members[member] {
		return "nothing"
	}
	m, err := h.s.MembershipOf(h.ctx, g.ID, u.ID)
	ok(t, err)
	ok(t, h.s.DeleteMembership(h.ctx, m.ID))
	delete(w.model.members, member)
	return "remove " + u.ID + " from " + g.ID
}

// check compares every user's accounts with the model.
func (w *accessWorld) check(t *testing.T, after string) {
	t.Helper()
	for _, u := range w.users {
		var got []string
		for _, a := range w.h.userAccounts(t, u.ID, 2) {
			got = append(got, a.ID)
		}
		if want := w.model.accounts(u.ID); !slices.Equal(got, want) {
			t.Fatalf("after %s: %s's accounts are %v, want %v", after, u.ID, got, want)
		}
	}
}

var accessTests = []test{
	{"a user's accounts follow every change of assignments and memberships", func(t *testing.T, h *harness) {
		w := &accessWorld{h: h, rnd: rand.New(rand.NewPCG(5, 8)),
			model: accessModel{assigned: map[ic.Assignment]bool{}, members: map[[2]string]bool{}}}
		for range 3 {
			w.users = append(w.users, h.createUser(t))
			w.groups = append(w.groups, h.createGroup(t))
			w.accounts = append(w.accounts, h.createAccount(t))
		}
		w.sets = []ic.PermissionSet{h.createPermissionSet(t), h.createPermissionSet(t)}
		for i := range 150 {
			w.check(t, fmt.Sprintf("step %d (%s)", i, w.step(t)))
		}
		// Deleting a group or a user takes their paths with them.
		ok(t, h.s.DeleteGroup(h.ctx, w.groups[0].ID))
		for k := range w.model.assigned {
			if k.PrincipalType == ic.PrincipalGroup && k.PrincipalID == w.groups[0].ID {
				delete(w.model.assigned, k)
			}
		}
		for k := range w.model.members {
			if k[0] == w.groups[0].ID {
				delete(w.model.members, k)
			}
		}
		w.check(t, "deleting a group")
		ok(t, h.s.DeleteUser(h.ctx, w.users[0].ID))
		w.users = w.users[1:]
		w.check(t, "deleting a user")
	}},
}
