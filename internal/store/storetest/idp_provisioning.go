package storetest

import (
	"testing"
	"time"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

func provUser(app, id string) store.ProvisionKey {
	return store.ProvisionKey{AppID: app, Kind: store.ProvisionUser, ObjectID: id}
}

func provGroup(app, id string) store.ProvisionKey {
	return store.ProvisionKey{AppID: app, Kind: store.ProvisionGroup, ObjectID: id}
}

// claimKeys claims everything due at now for owner and returns the keys.
func (h *idpHarness) claimKeys(t *testing.T, owner string, now time.Time) []store.OutboxItem {
	t.Helper()
	got, err := h.s.ClaimOutbox(h.ctx, owner, now, now.Add(time.Minute), 100)
	ok(t, err)
	return got
}

func keysOf(items []store.OutboxItem) []store.ProvisionKey {
	out := make([]store.ProvisionKey, len(items))
	for i, it := range items {
		out[i] = it.ProvisionKey
	}
	return out
}

// itemOf is the item of items with key k.
func itemOf(t *testing.T, items []store.OutboxItem, k store.ProvisionKey) store.OutboxItem {
	t.Helper()
	for _, it := range items {
		if it.ProvisionKey == k {
			return it
		}
	}
	t.Fatalf("%v not among %v", k, keysOf(items))
	return store.OutboxItem{}
}

var idpProvisioningTests = []idpTest{
	{"starting provisioning sets the cursor, queues each key once and logs the start", func(t *testing.T, h *idpHarness) {
		_, err := h.s.ProvisionState(h.ctx, "0oaA")
		notFound(t, err, store.ResourceProvisioning)
		h.createUser(t)
		head, err := h.s.ChangeHead(h.ctx)
		ok(t, err)
		equal(t, "head", int64(1), head)
		keys := []store.ProvisionKey{provUser("0oaA", "00u1"), provGroup("0oaA", "00g1"), provUser("0oaA", "00u1")}
		ok(t, h.s.StartProvisioning(h.ctx, "0oaA", head, keys))
		equal(t, "event", "application.provision.start", h.lastEvent(t).Action)
		st, err := h.s.ProvisionStatus(h.ctx, "0oaA")
		ok(t, err)
		equal(t, "status", store.ProvisionStatus{ProvisionState: store.ProvisionState{AppID: "0oaA", Cursor: 1, Started: start},
			Pending: 2}, st)
	}},
	{"claimed items go users first, to one owner until the lease ends", func(t *testing.T, h *idpHarness) {
		ok(t, h.s.Enqueue(h.ctx, []store.ProvisionKey{provGroup("0oaA", "00g1"), provUser("0oaA", "00u1")}))
		got := h.claimKeys(t, "replica-1", start)
		equal(t, "claimed", []store.ProvisionKey{provUser("0oaA", "00u1"), provGroup("0oaA", "00g1")}, keysOf(got))
		equal(t, "second claim", 0, len(h.claimKeys(t, "replica-2", start.Add(30*time.Second))))
		equal(t, "after the lease", 2, len(h.claimKeys(t, "replica-2", start.Add(time.Minute))))
		equal(t, "its owner, restarted, takes them back", 2, len(h.claimKeys(t, "replica-2", start.Add(time.Minute))))
	}},
	{"finishing removes the item, but not one queued again meanwhile", func(t *testing.T, h *idpHarness) {
		ok(t, h.s.StartProvisioning(h.ctx, "0oaA", 0, []store.ProvisionKey{provUser("0oaA", "00u1"), provUser("0oaA", "00u2")}))
		got := h.claimKeys(t, "r", start)
		ok(t, h.s.Enqueue(h.ctx, []store.ProvisionKey{provUser("0oaA", "00u2")}))
		ok(t, h.s.FinishOutbox(h.ctx, got, start.Add(time.Second)))
		again := h.claimKeys(t, "r", start)
		equal(t, "still queued", []store.ProvisionKey{provUser("0oaA", "00u2")}, keysOf(again))
		equal(t, "gen", int64(2), again[0].Gen)
		st, err := h.s.ProvisionState(h.ctx, "0oaA")
		ok(t, err)
		equal(t, "last push", start.Add(time.Second), st.LastPush)
	}},
	{"a failure waits for its next attempt; a permanent one waits for a new enqueue", func(t *testing.T, h *idpHarness) {
		ok(t, h.s.StartProvisioning(h.ctx, "0oaA", 0, []store.ProvisionKey{provUser("0oaA", "00u1"), provUser("0oaA", "00u2")}))
		claimed := h.claimKeys(t, "r", start)
		ok(t, h.s.FailOutbox(h.ctx, itemOf(t, claimed, provUser("0oaA", "00u1")), "ThrottlingException", start.Add(time.Hour), false))
		ok(t, h.s.FailOutbox(h.ctx, itemOf(t, claimed, provUser("0oaA", "00u2")), "400 userName\x00 is \xffrequired", time.Time{}, true))
		equal(t, "due before the hour", 0, len(h.claimKeys(t, "r", start.Add(2*time.Minute))))
		equal(t, "due after it", []store.ProvisionKey{provUser("0oaA", "00u1")}, keysOf(h.claimKeys(t, "r", start.Add(time.Hour))))
		st, err := h.s.ProvisionStatus(h.ctx, "0oaA")
		ok(t, err)
		equal(t, "pending", 2, st.Pending)
		equal(t, "failures", 2, len(st.Failures))
		equal(t, "the target's message, storable", "400 userName is \uFFFDrequired", st.Failures[1].LastError)
		ok(t, h.s.RetryFailedOutbox(h.ctx, "0oaA"))
		got := h.claimKeys(t, "r2", start.Add(2*time.Hour))
		equal(t, "re-queued first", provUser("0oaA", "00u2"), got[0].ProvisionKey)
		equal(t, "attempts", 1, got[0].Attempts)
	}},
	{"a failure of an item queued again meanwhile leaves the newer change due at once", func(t *testing.T, h *idpHarness) {
		u1, u2 := provUser("0oaA", "00u1"), provUser("0oaA", "00u2")
		ok(t, h.s.StartProvisioning(h.ctx, "0oaA", 0, []store.ProvisionKey{u1, u2}))
		got := h.claimKeys(t, "r", start)
		ok(t, h.s.Enqueue(h.ctx, []store.ProvisionKey{u1, u2}))
		ok(t, h.s.FailOutbox(h.ctx, itemOf(t, got, u1), "ThrottlingException", start.Add(time.Hour), false))
		ok(t, h.s.FailOutbox(h.ctx, itemOf(t, got, u2), "400 userName is required", time.Time{}, true))
		again := h.claimKeys(t, "r", start.Add(time.Second))
		equal(t, "gen of the newer change, due at once", int64(2), itemOf(t, again, u1).Gen)
		equal(t, "failed", false, itemOf(t, again, u2).Failed)
		equal(t, "the attempt is counted", 1, itemOf(t, again, u2).Attempts)
	}},
	{"a replica whose lease another claimed cannot fail or finish the item", func(t *testing.T, h *idpHarness) {
		u1, u2, u3 := provUser("0oaA", "00u1"), provUser("0oaA", "00u2"), provUser("0oaA", "00u3")
		ok(t, h.s.StartProvisioning(h.ctx, "0oaA", 0, []store.ProvisionKey{u1, u2, u3}))
		slow := h.claimKeys(t, "slow", start)
		ok(t, h.s.Enqueue(h.ctx, []store.ProvisionKey{u2}))
		later := start.Add(time.Minute)
		fast := h.claimKeys(t, "fast", later)
		equal(t, "taken over", 3, len(fast))
		ok(t, h.s.FailOutbox(h.ctx, itemOf(t, slow, u1), "ThrottlingException", later.Add(time.Hour), true))
		ok(t, h.s.FinishOutbox(h.ctx, []store.OutboxItem{itemOf(t, slow, u2), itemOf(t, slow, u3)}, later))
		equal(t, "still leased to fast", 0, len(h.claimKeys(t, "other", later.Add(time.Second))))
		st, err := h.s.ProvisionStatus(h.ctx, "0oaA")
		ok(t, err)
		equal(t, "pending", 3, st.Pending)
		equal(t, "failures", 0, len(st.Failures))
		ok(t, h.s.FinishOutbox(h.ctx, fast, later.Add(time.Second)))
		st, err = h.s.ProvisionStatus(h.ctx, "0oaA")
		ok(t, err)
		equal(t, "pending after fast finished", 0, st.Pending)
	}},
	{"advancing moves the cursor only from where it is", func(t *testing.T, h *idpHarness) {
		ok(t, h.s.StartProvisioning(h.ctx, "0oaA", 5, nil))
		ok(t, h.s.AdvanceProvisioning(h.ctx, "0oaA", 5, 9, []store.ProvisionKey{provUser("0oaA", "00u1")}))
		err := h.s.AdvanceProvisioning(h.ctx, "0oaA", 5, 12, []store.ProvisionKey{provUser("0oaA", "00u2")})
		conflict(t, err)
		st, err := h.s.ProvisionStatus(h.ctx, "0oaA")
		ok(t, err)
		equal(t, "cursor", int64(9), st.Cursor)
		equal(t, "pending", 1, st.Pending)
	}},
	{"a resync is recorded with its event and queues its keys; before a start it is not found", func(t *testing.T, h *idpHarness) {
		err := h.s.ResyncProvisioning(h.ctx, "0oaA", []store.ProvisionKey{provUser("0oaA", "00u1")})
		notFound(t, err, store.ResourceProvisioning)
		ok(t, h.s.StartProvisioning(h.ctx, "0oaA", 0, nil))
		at := h.newer()
		ok(t, h.s.ResyncProvisioning(h.ctx, "0oaA", []store.ProvisionKey{provUser("0oaA", "00u1")}))
		equal(t, "event", "application.provision.resync", h.lastEvent(t).Action)
		st, err := h.s.ProvisionStatus(h.ctx, "0oaA")
		ok(t, err)
		equal(t, "resync", at, st.Resync)
		equal(t, "pending", 1, st.Pending)
	}},
	{"stopping drops state and outbox but keeps the mapping", func(t *testing.T, h *idpHarness) {
		ok(t, h.s.StartProvisioning(h.ctx, "0oaA", 0, []store.ProvisionKey{provUser("0oaA", "00u1")}))
		ok(t, h.s.Enqueue(h.ctx, []store.ProvisionKey{provUser("0oaB", "00u1")}))
		target := store.ProvisionTarget{ProvisionKey: provUser("0oaA", "00u1"), TargetID: "t-1", Updated: start}
		ok(t, h.s.PutProvisionTarget(h.ctx, target))
		ok(t, h.s.StopProvisioning(h.ctx, "0oaA"))
		equal(t, "event", "application.provision.stop", h.lastEvent(t).Action)
		_, err := h.s.ProvisionState(h.ctx, "0oaA")
		notFound(t, err, store.ResourceProvisioning)
		equal(t, "other app's outbox", []store.ProvisionKey{provUser("0oaB", "00u1")}, keysOf(h.claimKeys(t, "r", start)))
		got, err := h.s.ProvisionTarget(h.ctx, provUser("0oaA", "00u1"))
		ok(t, err)
		equal(t, "mapping", target, got)
	}},
	{"mappings are put, moved, listed and deleted with their pushed memberships", func(t *testing.T, h *idpHarness) {
		_, err := h.s.ProvisionTarget(h.ctx, provUser("0oaA", "00u1"))
		notFound(t, err, store.ResourceTarget)
		u1 := store.ProvisionTarget{ProvisionKey: provUser("0oaA", "00u1"), TargetID: "t-1", Updated: start}
		g1 := store.ProvisionTarget{ProvisionKey: provGroup("0oaA", "00g1"), TargetID: "tg-1", Updated: start}
		ok(t, h.s.PutProvisionTarget(h.ctx, u1))
		ok(t, h.s.PutProvisionTarget(h.ctx, g1))
		u1.TargetID = "t-2"
		ok(t, h.s.PutProvisionTarget(h.ctx, u1))
		users, err := h.s.ListProvisionTargets(h.ctx, "0oaA", store.ProvisionUser)
		ok(t, err)
		equal(t, "users", []store.ProvisionTarget{u1}, users)
		ok(t, h.s.RecordMembers(h.ctx, "0oaA", "00g1", []string{"00u2", "00u1", "00u3"}, nil))
		ok(t, h.s.RecordMembers(h.ctx, "0oaA", "00g1", []string{"00u1"}, []string{"00u3"}))
		ok(t, h.s.RecordMembers(h.ctx, "0oaA", "00g2", []string{"00u1"}, nil))
		members, err := h.s.PushedMembers(h.ctx, "0oaA", "00g1")
		ok(t, err)
		equal(t, "members", []string{"00u1", "00u2"}, members)
		ok(t, h.s.DeleteProvisionTarget(h.ctx, provUser("0oaA", "00u1")))
		groups, err := h.s.PushedGroups(h.ctx, "0oaA", "00u1")
		ok(t, err)
		equal(t, "groups of a deleted user", 0, len(groups))
		ok(t, h.s.DeleteProvisionTarget(h.ctx, provGroup("0oaA", "00g1")))
		members, err = h.s.PushedMembers(h.ctx, "0oaA", "00g1")
		ok(t, err)
		equal(t, "members of a deleted group", 0, len(members))
	}},
	{"an outbox key without a kind is refused with nothing queued", func(t *testing.T, h *idpHarness) {
		err := h.s.Enqueue(h.ctx, []store.ProvisionKey{provUser("0oaA", "00u1"), {AppID: "0oaA", ObjectID: "x"}})
		isKind(t, err, errs.Invalid)
		equal(t, "claimed", 0, len(h.claimKeys(t, "r", start)))
	}},
}
