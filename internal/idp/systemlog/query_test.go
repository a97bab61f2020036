package systemlog_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/idp/systemlog"
	"github.com/keyward/keyward/internal/store"
)

// fakeLog is a systemlog.Store over events in seq order, as the SQL stores
// answer QueryEvents.
type fakeLog struct {
	events []audit.Event
	calls  int
	rows   int // events returned by QueryEvents so far
}

func (f *fakeLog) QueryEvents(_ context.Context, q store.EventQuery) ([]audit.Event, string, error) {
	f.calls++
	if q.Page.Limit < 1 {
		return nil, "", errs.E(errs.Invalid, "page limit must be at least 1")
	}
	var sel []audit.Event
	i, step := 0, 1
	if !q.Ascending {
		i, step = len(f.events)-1, -1
	}
	for ; i >= 0 && i < len(f.events); i += step {
		e := f.events[i]
		if e.Time.Before(q.Since) || !q.Until.IsZero() && !e.Time.Before(q.Until) {
			continue
		}
		if q.AfterSeq > 0 && (q.Ascending && e.Seq <= q.AfterSeq || !q.Ascending && e.Seq >= q.AfterSeq) {
			continue
		}
		if len(sel) == q.Page.Limit {
			f.rows += len(sel)
			return sel, "more", nil
		}
		sel = append(sel, e)
	}
	f.rows += len(sel)
	return sel, "", nil
}

var t0 = time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)

var eventTypes = []string{"user.session.start", "user.session.end", "group.user_membership.add"}

// appendEvents adds n events a second apart after the log's newest.
func (f *fakeLog) appendEvents(n int) {
	for range n {
		i := len(f.events)
		e := audit.Event{ID: fmt.Sprintf("ev%d", i), Time: t0.Add(time.Duration(i) * time.Second),
			Action: eventTypes[i%3], Actor: audit.Actor{Type: "user", ID: fmt.Sprintf("00u%d", i%5), Name: fmt.Sprintf("User%d@Example.com", i%5)},
			Client: audit.Client{IP: fmt.Sprintf("192.0.2.%d", i%4)}, TargetType: "User", TargetID: fmt.Sprintf("00t%d", i%10),
			Outcome: audit.Success, Seq: int64(i + 1)}
		if i%7 == 0 {
			e.Outcome = audit.Failure
		}
		f.events = append(f.events, e)
	}
}

func newLog(n int) *fakeLog {
	f := &fakeLog{}
	f.appendEvents(n)
	return f
}

// values builds query parameters from name, value pairs.
func values(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// follow reads every page from q on and returns the uuids and page count.
// A poller's next link (no until) is always there; it stops at an empty
// page whose next link asks for the same events again.
func follow(t *testing.T, s systemlog.Store, q url.Values, now time.Time) ([]string, int) {
	t.Helper()
	var ids []string
	for pages := 1; ; pages++ {
		got, next, err := systemlog.Query(context.Background(), s, q, now)
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		for _, e := range got {
			ids = append(ids, e.UUID)
		}
		if next == nil || len(got) == 0 && next.Get("after") == q.Get("after") {
			return ids, pages
		}
		if pages > 1000 {
			t.Fatal("paging does not end")
		}
		q = next
	}
}

// uuids are the ids of the events keep selects, oldest first.
func (f *fakeLog) uuids(keep func(audit.Event) bool) []string {
	var out []string
	for _, e := range f.events {
		if keep(e) {
			out = append(out, e.ID)
		}
	}
	return out
}

func all(audit.Event) bool { return true }

func TestQueryRefusesEachBadParameterAndReadsNothing(t *testing.T) {
	for _, c := range []struct {
		param string
		q     url.Values
	}{
		{"since", values("since", "yesterday")},
		{"since", values("since", "2026-12-02")},
		{"until", values("until", "2026-13-01T00:00:00Z")},
		{"since", values("since", "2026-12-02T10:00:00Z", "until", "2026-12-01T10:00:00Z")},
		{"limit", values("limit", "0")},
		{"limit", values("limit", "1001")},
		{"limit", values("limit", "ten")},
		{"limit", values("limit", "")},
		{"sortOrder", values("sortOrder", "UP")},
		{"after", values("after", "not-a-cursor")},
		{"after", values("after", "czEuMA")}, // "s1.0"
		{"q", values("q", "a b c d e f g h i j k")},
		{"q", values("q", strings.Repeat("x", 41))},
		{"filter", values("filter", `eventType eq`)},
		{"filter", values("filter", `published co "2026"`)},
		{"limit", url.Values{"limit": {"10", "20"}}},
	} {
		t.Run(c.param+"="+c.q.Encode(), func(t *testing.T) {
			f := newLog(5)
			got, next, err := systemlog.Query(context.Background(), f, c.q, t0.Add(time.Hour))
			if e, ok := errs.As(err); !ok || e.Kind != errs.Invalid || !strings.Contains(e.Message, c.param) {
				t.Fatalf("error = %v, want errs.Invalid naming %s", err, c.param)
			}
			if got != nil || next != nil || f.calls != 0 {
				t.Errorf("a refused query returned %d events, next %v, and read the store %d times", len(got), next, f.calls)
			}
		})
	}
}

func TestQueryPagesThroughTheLogInEitherOrder(t *testing.T) {
	f := newLog(250)
	now := t0.Add(time.Hour)
	until := now.Format(time.RFC3339)
	want := f.uuids(all)

	got, pages := follow(t, f, values("limit", "20", "until", until), now)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ascending (-want +got):\n%s", diff)
	}
	if pages != 13 {
		t.Errorf("ascending took %d pages, want 13", pages)
	}
	got, pages = follow(t, f, values("limit", "20", "until", until, "sortOrder", "DESCENDING"), now)
	slices.Reverse(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("descending, reversed (-want +got):\n%s", diff)
	}
	if pages != 13 {
		t.Errorf("descending took %d pages, want 13", pages)
	}
	got, _ = follow(t, f, values("limit", "250", "until", until), now)
	if len(got) != 250 {
		t.Errorf("one page of 250 holds %d events", len(got))
	}
}

func TestQueryBoundsByTime(t *testing.T) {
	f := newLog(250)
	now := t0.Add(7*24*time.Hour + 100*time.Second) // the default since is t0 + 100s
	got, _ := follow(t, f, values("until", now.Format(time.RFC3339)), now)
	if diff := cmp.Diff(f.uuids(func(e audit.Event) bool { return e.Seq > 100 }), got); diff != "" {
		t.Errorf("the last seven days (-want +got):\n%s", diff)
	}
	q := values("since", t0.Add(10*time.Second).Format(time.RFC3339Nano), "until", "2026-12-02T10:00:20.000Z")
	got, _ = follow(t, f, q, now)
	if diff := cmp.Diff(f.uuids(func(e audit.Event) bool { return e.Seq > 10 && e.Seq <= 20 }), got); diff != "" {
		t.Errorf("since inclusive, until exclusive (-want +got):\n%s", diff)
	}
}

func TestQueryWithoutUntilAlwaysLinksToWhatComesNext(t *testing.T) {
	f := newLog(30)
	now := t0.Add(time.Hour)
	got, next, err := systemlog.Query(context.Background(), f, values("limit", "100"), now)
	if err != nil || len(got) != 30 || next == nil {
		t.Fatalf("first poll: %d events, next %v, err %v", len(got), next, err)
	}
	again, next2, err := systemlog.Query(context.Background(), f, next, now)
	if err != nil || len(again) != 0 || next2 == nil {
		t.Fatalf("poll with nothing new: %d events, next %v, err %v", len(again), next2, err)
	}
	if next2.Get("since") != next.Get("since") || next2.Get("until") != "" {
		t.Errorf("the next link moved its window: %v then %v", next, next2)
	}
	f.appendEvents(5) // written later, a second apart after the first 30
	got, _, err = systemlog.Query(context.Background(), f, next2, now)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range got {
		ids = append(ids, e.UUID)
	}
	if diff := cmp.Diff([]string{"ev30", "ev31", "ev32", "ev33", "ev34"}, ids); diff != "" {
		t.Errorf("the next poll (-want +got):\n%s", diff)
	}
	_, last, _ := systemlog.Query(context.Background(), f, values("until", now.Format(time.RFC3339)), now)
	if last != nil {
		t.Errorf("a query with until that read everything links to %v", last)
	}
}

func TestQuerySelectsByKeywordsAndFilter(t *testing.T) {
	f := newLog(250)
	now := t0.Add(time.Hour)
	until := now.Format(time.RFC3339)
	for _, c := range []struct {
		name string
		q    url.Values
		keep func(audit.Event) bool
	}{
		{"a keyword in the event type", values("q", "SESSION.END"),
			func(e audit.Event) bool { return e.Action == "user.session.end" }},
		{"every keyword must occur", values("q", "user3@example.com 192.0.2.1"),
			func(e audit.Event) bool { return e.Actor.ID == "00u3" && e.Client.IP == "192.0.2.1" }},
		{"a keyword in the display message and a target id", values("q", "membership 00t4"),
			func(e audit.Event) bool { return e.Action == "group.user_membership.add" && e.TargetID == "00t4" }},
		{"a filter on the event type", values("filter", `eventType eq "user.session.start"`),
			func(e audit.Event) bool { return e.Action == "user.session.start" }},
		{"a filter on outcome and actor", values("filter", `outcome.result eq "FAILURE" and actor.id eq "00u2"`),
			func(e audit.Event) bool { return e.Outcome == audit.Failure && e.Actor.ID == "00u2" }},
		{"a filter on a target id or severity", values("filter", `target.id eq "00t9" or severity eq "WARN"`),
			func(e audit.Event) bool { return e.TargetID == "00t9" || e.Outcome == audit.Failure }},
		{"a filter on published", values("filter", `published ge "2026-12-02T10:03:00.000Z"`),
			func(e audit.Event) bool { return e.Seq > 180 }},
		{"keywords and filter together", values("q", "192.0.2.2", "filter", `actor.type eq "User" and eventType sw "user."`),
			func(e audit.Event) bool { return e.Client.IP == "192.0.2.2" && e.Action != "group.user_membership.add" }},
		{"nothing matches", values("filter", `eventType eq "nothing"`), func(audit.Event) bool { return false }},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, order := range []string{"ASCENDING", "DESCENDING"} {
				q := values("limit", "7", "until", until, "sortOrder", order)
				for k, v := range c.q {
					q[k] = v
				}
				got, _ := follow(t, f, q, now)
				if order == "DESCENDING" {
					slices.Reverse(got)
				}
				if diff := cmp.Diff(f.uuids(c.keep), got, cmpEmpty); diff != "" {
					t.Errorf("%s (-want +got):\n%s", order, diff)
				}
			}
		})
	}
}

// A filter or q that matches few events must not read the whole window
// in one request: each request examines at most MaxExamined events and
// answers with what it found, possibly nothing, and a next link that goes
// on after the last event it examined, as Okta's does.
func TestQueryThatMatchesLittleExaminesABoundedNumberOfEventsPerRequest(t *testing.T) {
	n := 2*systemlog.MaxExamined + 500
	f := newLog(n)
	f.events[10].Action, f.events[n-1].Action = "user.account.lock", "user.account.lock"
	now := f.events[n-1].Time.Add(time.Second)
	want := []string{f.events[10].ID, f.events[n-1].ID}
	for _, c := range []struct {
		name string
		q    url.Values
	}{
		{"filter", values("filter", `eventType eq "user.account.lock"`)},
		{"q", values("q", "lock")},
	} {
		for _, order := range []string{"ASCENDING", "DESCENDING"} {
			for _, poll := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s %s poll=%v", c.name, order, poll), func(t *testing.T) {
					q := values("limit", "5", "sortOrder", order, "since", t0.Format(time.RFC3339))
					if !poll {
						q.Set("until", now.Format(time.RFC3339))
					}
					for k, v := range c.q {
						q[k] = v
					}
					var got []string
					for pages := 1; ; pages++ {
						f.rows = 0
						page, next, err := systemlog.Query(context.Background(), f, q, now)
						if err != nil {
							t.Fatalf("page %d: %v", pages, err)
						}
						if f.rows > systemlog.MaxExamined {
							t.Fatalf("page %d examined %d events, want at most %d", pages, f.rows, systemlog.MaxExamined)
						}
						for _, e := range page {
							got = append(got, e.UUID)
						}
						if next == nil || len(page) == 0 && next.Get("after") == q.Get("after") {
							break
						}
						if pages > 10 {
							t.Fatal("paging does not end")
						}
						q = next
					}
					if order == "DESCENDING" {
						slices.Reverse(got)
					}
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("events found (-want +got):\n%s", diff)
					}
				})
			}
		}
	}
}

var cmpEmpty = cmp.Comparer(func(a, b []string) bool { return slices.Equal(a, b) })

func TestQueryNextKeepsTheOtherParameters(t *testing.T) {
	f := newLog(50)
	now := t0.Add(time.Hour)
	q := values("limit", "5", "until", now.Format(time.RFC3339), "q", "session", "filter", `actor.id ne "00u0"`, "sortOrder", "DESCENDING")
	_, next, err := systemlog.Query(context.Background(), f, q, now)
	if err != nil || next == nil {
		t.Fatalf("next %v, err %v", next, err)
	}
	for _, k := range []string{"limit", "until", "q", "filter", "sortOrder"} {
		if next.Get(k) != q.Get(k) {
			t.Errorf("next has %s=%q, want %q", k, next.Get(k), q.Get(k))
		}
	}
	if next.Get("after") == "" || next.Get("since") == "" {
		t.Errorf("next lacks after or since: %v", next)
	}
}

// FuzzQuery feeds any query string to Query: a bad one is errs.Invalid
// and reads nothing; a good one returns at most limit events, and its
// next link is itself a good query.
func FuzzQuery(f *testing.F) {
	for _, seed := range []string{
		"", "limit=5&sortOrder=DESCENDING", "since=2026-12-02T10:00:10Z&until=2026-12-02T10:00:20.000Z",
		`q=session+00u1&filter=eventType+eq+"user.session.start"+and+published+gt+"2026-12-02T10:00:05Z"`,
		"after=czEuMTA&limit=3", "limit=0", "after=x", "limit=1&limit=2", `filter=(actor.id+pr)+or+target.id+sw+"00t"`,
	} {
		f.Add(seed)
	}
	now := t0.Add(time.Hour)
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		log := newLog(30)
		got, next, err := systemlog.Query(context.Background(), log, q, now)
		if err != nil {
			if !errs.Is(err, errs.Invalid) || log.calls != 0 {
				t.Fatalf("%q: %v after %d reads", raw, err, log.calls)
			}
			return
		}
		limit := systemlog.DefaultLimit
		if v := q.Get("limit"); v != "" {
			limit, _ = strconv.Atoi(v)
		}
		if len(got) > limit {
			t.Fatalf("%q: %d events, limit %d", raw, len(got), limit)
		}
		if next != nil {
			if _, _, err := systemlog.Query(context.Background(), log, next, now); err != nil {
				t.Fatalf("%q: next %v: %v", raw, next, err)
			}
		}
	})
}
