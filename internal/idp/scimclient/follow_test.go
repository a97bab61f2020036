package scimclient

import (
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

func TestChangesAreRoutedToTheAppsTheyAffect(t *testing.T) {
	w := newWorld(t)
	pushed, other := w.group(t, "Pushed"), w.group(t, "Other")
	assigned := w.team(t, []string{"assigned@example.com"}, pushed.ID, other.ID)[0]
	stranger := w.user(t, "stranger@example.com", other.ID)
	gone := w.user(t, "gone@example.com")
	must(t, w.st.PutProvisionTarget(w.ctx, store.ProvisionTarget{ProvisionKey: userKey(testApp, gone.ID), TargetID: "t-gone"}))
	w.apps.push(testApp, pushed.ID)

	changes := []directory.Change{
		{Kind: directory.UserChanged, UserID: assigned.ID},
		{Kind: directory.UserChanged, UserID: stranger.ID},
		{Kind: directory.MembershipAdded, UserID: stranger.ID, GroupID: other.ID},
		{Kind: directory.MembershipRemoved, UserID: assigned.ID, GroupID: pushed.ID},
		{Kind: directory.GroupChanged, GroupID: other.ID},
		{Kind: directory.GroupChanged, GroupID: pushed.ID},
		{Kind: directory.AppUserAssigned, AppID: "0oaOther", UserID: stranger.ID},
		{Kind: directory.AppUserAssigned, AppID: testApp, UserID: stranger.ID},
		{Kind: directory.AppGroupAssigned, AppID: testApp, GroupID: other.ID},
		{Kind: directory.AppGroupPushed, AppID: testApp, GroupID: other.ID},
		{Kind: directory.AppChanged, AppID: testApp},
		{Kind: directory.UserDeleted, UserID: gone.ID},
	}
	for i := range changes {
		changes[i].Seq, changes[i].Time = int64(i+1), time.Now()
	}
	got, err := w.eng.route(w.ctx, testApp, changes)
	must(t, err)
	want := []store.ProvisionKey{
		userKey(testApp, assigned.ID), groupKey(testApp, pushed.ID), userKey(testApp, stranger.ID),
		groupKey(testApp, other.ID), userKey(testApp, gone.ID),
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("queued keys (-want +got):\n%s", diff)
	}
}

func TestTheFeedIsFollowedWithoutRescanningTheDirectory(t *testing.T) {
	w := newWorld(t)
	w.team(t, []string{"a@example.com"})
	w.settle(t)
	st, err := w.st.ProvisionState(w.ctx, testApp)
	must(t, err)
	head, err := w.st.ChangeHead(w.ctx)
	must(t, err)
	if st.Cursor != head {
		t.Errorf("cursor %d, want the feed's head %d", st.Cursor, head)
	}
	// A change to a user the app does not concern queues nothing and
	// still moves the cursor.
	w.user(t, "unrelated@example.com")
	must(t, w.eng.Sync(w.ctx))
	after, err := w.st.ProvisionStatus(w.ctx, testApp)
	must(t, err)
	if after.Cursor != head+1 || after.Pending != 0 {
		t.Errorf("after an unrelated change: cursor %d (want %d), pending %d (want 0)", after.Cursor, head+1, after.Pending)
	}
}
