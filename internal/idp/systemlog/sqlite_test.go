package systemlog_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/idp/systemlog"
	"github.com/keyward/keyward/internal/store/sqlite"
)

func TestQueryPagesAStoreBothWays(t *testing.T) {
	clk := clock.NewFake(t0)
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "keyward.db"), clk)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var want []string
	for i := range 250 {
		clk.Advance(time.Second)
		action := eventTypes[i%3]
		if err := db.AppendEvent(context.Background(), audit.Event{Action: action, TargetID: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
		if action == "user.session.end" {
			want = append(want, fmt.Sprint(i))
		}
	}
	now := clk.Now().Add(time.Second)
	for _, order := range []string{"ASCENDING", "DESCENDING"} {
		q := values("limit", "20", "sortOrder", order, "until", now.Format(time.RFC3339Nano), "filter", `eventType eq "user.session.end"`)
		var got []string
		for pages := 0; q != nil; pages++ {
			page, next, err := systemlog.Query(context.Background(), db, q, now)
			if err != nil || pages > 20 {
				t.Fatalf("%s page %d: %v", order, pages, err)
			}
			for _, e := range page {
				got = append(got, e.Target[0].ID)
			}
			q = next
		}
		if order == "DESCENDING" {
			slices.Reverse(got)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", order, diff)
		}
	}
}

// Replicas on one database stamp events with their own clocks, which
// differ a little, while Seq orders the log. A client polling without
// until must still get every event once: one stamped a moment past the
// serving replica's now, followed by one stamped before it, must not be
// passed over by the next link's after.
func TestPollingGetsEveryEventWhenReplicaClocksDiffer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keyward.db")
	replica := func(clk clock.Clock) *sqlite.DB {
		db, err := sqlite.Open(t.Context(), path, clk)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	ahead, behind := replica(clock.NewFake(t0.Add(2*time.Second))), replica(clock.NewFake(t0.Add(time.Second)))
	for _, w := range []struct {
		db *sqlite.DB
		id string
	}{{ahead, "first"}, {behind, "second"}} {
		if err := w.db.AppendEvent(t.Context(), audit.Event{Action: "user.session.start", TargetID: w.id}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	q := values("since", t0.Format(time.RFC3339))
	for _, now := range []time.Time{t0.Add(1500 * time.Millisecond), t0.Add(3 * time.Second), t0.Add(4 * time.Second)} {
		page, next, err := systemlog.Query(t.Context(), behind, q, now)
		if err != nil || next == nil {
			t.Fatalf("poll at %s: next %v, err %v", now, next, err)
		}
		for _, e := range page {
			got = append(got, e.Target[0].ID)
		}
		q = next
	}
	if diff := cmp.Diff([]string{"first", "second"}, got); diff != "" {
		t.Errorf("events the poller got (-want +got):\n%s", diff)
	}
}
