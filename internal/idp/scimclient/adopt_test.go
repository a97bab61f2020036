package scimclient

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/keyward/keyward/internal/directory"
)

// A person renamed at the identity provider frees their old name there at
// once, but at the target only when their push is accepted. A second
// person given the old name meanwhile gets a 409 on create: adopting by
// that name would link them to the first person's target user (with its
// groups and the AWS access assigned to it), so the adoption waits until
// the name is free at the target.
func TestAUserNameStillHeldByAnotherPersonsTargetUserIsNotAdopted(t *testing.T) {
	w := newWorld(t)
	alice := w.team(t, []string{"alice@example.com"})[0]
	w.settle(t)
	before, _ := w.scim.userByName("alice@example.com")

	var mu sync.Mutex
	renameRefused := true
	w.scim.hook = func(r *http.Request, body []byte) (int, string) {
		mu.Lock()
		defer mu.Unlock()
		if renameRefused && r.Method == http.MethodPut && strings.Contains(string(body), `"userName":"alice.smith@example.com"`) {
			return 500, "Internal failure"
		}
		return 0, ""
	}
	_, err := w.st.UpdateUser(w.ctx, alice.ID, "user.account.update_profile", func(u directory.User) (directory.User, error) {
		u.Profile["login"], u.Profile["email"] = "alice.smith@example.com", "alice.smith@example.com"
		return u, nil
	})
	must(t, err)
	newcomer := w.team(t, []string{"alice@example.com"})[0]
	must(t, w.eng.Step(w.ctx)) // alice's rename fails; the newcomer's create meets her old name

	mu.Lock()
	renameRefused = false
	mu.Unlock()
	w.settle(t)

	w.eachOnce(t, "alice@example.com", "alice.smith@example.com")
	renamed, _ := w.scim.userByName("alice.smith@example.com")
	fresh, _ := w.scim.userByName("alice@example.com")
	if renamed.ID != before.ID || renamed.ExternalID != alice.ID {
		t.Errorf("alice's target user %+v, want %s renamed, with externalId %s", renamed, before.ID, alice.ID)
	}
	if fresh.ID == before.ID || fresh.ExternalID != newcomer.ID {
		t.Errorf("the newcomer's target user %+v, want a new one with externalId %s", fresh, newcomer.ID)
	}
	w.noDrift(t)
}

// Likewise for a group renamed while a new group takes its old name: the
// new group must not take over the renamed one at the target (and with it
// the permission sets assigned to it), nor remove its members.
func TestAGroupNameStillHeldByAnotherGroupAtTheTargetIsNotAdopted(t *testing.T) {
	w := newWorld(t)
	admins := w.group(t, "Admins")
	w.team(t, []string{"alice@example.com"}, admins.ID)
	w.apps.push(testApp, admins.ID)
	w.settle(t)
	before, _ := w.scim.groupByName("Admins")

	var mu sync.Mutex
	renameRefused := true
	w.scim.hook = func(r *http.Request, body []byte) (int, string) {
		mu.Lock()
		defer mu.Unlock()
		if renameRefused && r.Method == http.MethodPatch && strings.Contains(string(body), `"Admins (old)"`) {
			return 500, "Internal failure"
		}
		return 0, ""
	}
	_, err := w.st.UpdateGroup(w.ctx, admins.ID, func(g directory.Group) (directory.Group, error) {
		g.Name = "Admins (old)"
		return g, nil
	})
	must(t, err)
	newAdmins := w.group(t, "Admins")
	w.team(t, []string{"bob@example.com"}, newAdmins.ID)
	w.apps.push(testApp, newAdmins.ID)
	must(t, w.eng.Step(w.ctx)) // the rename fails; the new group's create meets the old name

	mu.Lock()
	renameRefused = false
	mu.Unlock()
	w.settle(t)

	old, _ := w.scim.groupByName("Admins (old)")
	fresh, _ := w.scim.groupByName("Admins")
	if old.ID != before.ID || old.ExternalID != admins.ID {
		t.Errorf("the renamed group at the target is %+v, want %s with externalId %s", old, before.ID, admins.ID)
	}
	if fresh.ID == before.ID || fresh.ExternalID != newAdmins.ID {
		t.Errorf("the new group at the target is %+v, want a new one with externalId %s", fresh, newAdmins.ID)
	}
	if got := w.members(t, "Admins (old)"); !slices.Equal(got, []string{"alice@example.com"}) {
		t.Errorf("the renamed group's members at the target: %v, want alice", got)
	}
	if got := w.members(t, "Admins"); !slices.Equal(got, []string{"bob@example.com"}) {
		t.Errorf("the new group's members at the target: %v, want bob", got)
	}
	w.noDrift(t)
}
