package scimclient

import (
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/store"
)

func TestDriftListsEveryDifferenceAndChangesNothing(t *testing.T) {
	w := newWorld(t)
	eng := w.group(t, "Engineering")
	users := w.team(t, []string{"alice@example.com", "bob@example.com", "carol@example.com"}, eng.ID)
	dave := w.team(t, []string{"dave@example.com"})[0]
	alice, bob, carol := users[0], users[1], users[2]
	w.apps.push(testApp, eng.ID)
	w.settle(t)
	w.noDrift(t)

	g, _ := w.scim.groupByName("Engineering")
	a, _ := w.scim.userByName("alice@example.com")
	b, _ := w.scim.userByName("bob@example.com")
	c, _ := w.scim.userByName("carol@example.com")
	d, _ := w.scim.userByName("dave@example.com")
	w.scim.set(func() { // someone edits the target behind the identity provider's back
		delete(w.scim.users, b.ID)
		delete(w.scim.members[g.ID], b.ID)
		c.DisplayName = "Caz"
		w.scim.users[c.ID] = c
		w.scim.users["stranger"] = User{ID: "stranger", UserName: "stranger@example.com"}
		delete(w.scim.members[g.ID], a.ID)
		w.scim.members[g.ID][d.ID] = true
		g.DisplayName = "engineering-old"
		w.scim.groups[g.ID] = g
	})
	writes := w.scim.writes
	got, err := w.eng.Drift(w.ctx, testApp)
	must(t, err)
	want := []Difference{
		{Kind: store.ProvisionGroup, Problem: DriftAttribute, ID: eng.ID, TargetID: g.ID, Name: "Engineering",
			Attribute: "displayName", Want: "Engineering", Got: "engineering-old"},
		{Kind: store.ProvisionGroup, Problem: DriftMemberMissing, ID: eng.ID, TargetID: g.ID, Name: "Engineering",
			MemberID: alice.ID, MemberName: "alice@example.com"},
		{Kind: store.ProvisionGroup, Problem: DriftMemberExtra, ID: eng.ID, TargetID: g.ID, Name: "Engineering",
			MemberID: dave.ID, MemberName: "dave@example.com"},
		{Kind: store.ProvisionUser, Problem: DriftMissing, ID: bob.ID, Name: "bob@example.com"},
		{Kind: store.ProvisionUser, Problem: DriftAttribute, ID: carol.ID, TargetID: c.ID, Name: "carol@example.com",
			Attribute: "displayName", Want: "First Last carol@example.com", Got: "Caz"},
		{Kind: store.ProvisionUser, Problem: DriftExtra, TargetID: "stranger", Name: "stranger@example.com"},
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("drift (-want +got):\n%s", diff)
	}
	if w.scim.writes != writes {
		t.Errorf("the drift report wrote %d times to the target", w.scim.writes-writes)
	}

	t.Run("a resync repairs every difference except the stranger it does not own", func(t *testing.T) {
		must(t, w.eng.Resync(w.ctx, testApp))
		w.settle(t)
		got, err := w.eng.Drift(w.ctx, testApp)
		must(t, err)
		want := []Difference{{Kind: store.ProvisionUser, Problem: DriftExtra, TargetID: "stranger", Name: "stranger@example.com"}}
		if diff := gocmp.Diff(want, got); diff != "" {
			t.Errorf("drift after resync (-want +got):\n%s", diff)
		}
		w.eachOnce(t, "alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com", "stranger@example.com")
	})
}
