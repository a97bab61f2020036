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
