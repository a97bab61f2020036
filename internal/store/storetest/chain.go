package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// appendN appends n test events, each a second after the one before, with
// TargetID "e<i>" (i from 1 on top of what the log holds).
func (h *harness) appendN(t *testing.T, n int) {
	t.Helper()
	for i := range n {
		h.clk.Advance(time.Second)
		e := audit.Event{Action: "test.event", TargetID: fmt.Sprintf("e%d", h.next()), Outcome: audit.Success}
		if i%3 == 0 {
			e.Outcome = audit.Failure
		}
		ok(t, h.s.AppendEvent(h.ctx, e))
	}
}

// chain reads the whole log with EventsAfter in batches of batch.
func (h *harness) chain(t *testing.T, batch int) []audit.Event {
	t.Helper()
	var all []audit.Event
	for after := int64(0); ; {
		got, err := h.s.EventsAfter(h.ctx, after, batch)
		ok(t, err)
		if len(got) > batch {
			t.Fatalf("EventsAfter returned %d events, more than the limit %d", len(got), batch)
		}
		if len(got) == 0 {
			return all
		}
		all = append(all, got...)
		after = got[len(got)-1].Seq
	}
}

// verifies fails t unless events form an unbroken chain with seqs 1..n.
func verifies(t *testing.T, events []audit.Event) {
	t.Helper()
	v, brk := audit.Verify(events)
	if brk != nil {
		t.Fatal(brk)
	}
	equal(t, "verified", len(events), v.Verified)
	for i, e := range events {
		if e.Seq != int64(i+1) {
			t.Fatalf("event %d has seq %d, want %d: seqs are not dense", i, e.Seq, i+1)
		}
	}
}

// targets returns the TargetIDs of events.
func targets(events []audit.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.TargetID
	}
	return out
}

// queryAll walks every page of q.
func (h *harness) queryAll(t *testing.T, q store.EventQuery, limit int) ([]audit.Event, int) {
	t.Helper()
	return walk(t, limit, func(p store.Page) ([]audit.Event, string, error) {
		q.Page = p
		return h.s.QueryEvents(h.ctx, q)
	})
}

var chainTests = []test{
	{"events chain: seqs are dense from 1, each holds the hash of the one before", func(t *testing.T, h *harness) {
		h.createUser(t)
		h.appendN(t, 9)
		h.createGroup(t)
		all := h.chain(t, 4)
		equal(t, "events", 11, len(all))
		equal(t, "first previous hash", audit.ZeroHash, all[0].PrevHash)
		verifies(t, all)
		equal(t, "ListEvents agrees", h.events(t)[0], all[len(all)-1])
	}},
	{"target name and detail round-trip and are covered by the hash", func(t *testing.T, h *harness) {
		in := audit.Event{Action: "user.session.start", Actor: audit.Actor{Type: "user", ID: "00u1", Name: "ada@example.com"},
			Client: audit.Client{IP: "192.0.2.7", UserAgent: "curl/8"}, TargetType: "User", TargetID: "00u1",
			TargetName: "Ada Lovelace", Outcome: audit.Success, Message: "hi",
			Detail: map[string]string{"requestId": "r-1", "credentialType": "PASSWORD", "ü": "\"quoted\""}}
		ok(t, h.s.AppendEvent(h.ctx, in))
		ok(t, h.s.AppendEvent(h.ctx, audit.Event{Action: "x", Detail: map[string]string{}}))
		all := h.chain(t, 10)
		got := all[0]
		in.ID, in.Time, in.Seq, in.PrevHash, in.Hash = got.ID, h.clk.Now(), 1, audit.ZeroHash, got.Hash
		equal(t, "event", in, got)
		if all[1].Detail != nil {
			t.Errorf("an empty detail reads back as %#v, want nil", all[1].Detail)
		}
		verifies(t, all)
		got.Detail["requestId"] = "r-2"
		if audit.ChainHash(got) == got.Hash {
			t.Error("changing the detail does not change the hash")
		}
	}},
	{"text the database cannot hold in a detail is invalid and writes nothing", func(t *testing.T, h *harness) {
		h.unchangedLog(t, func() {
			err := h.s.AppendEvent(h.ctx, audit.Event{Action: "x", Detail: map[string]string{"k": "a\x00b"}})
			isKind(t, err, errs.Invalid)
		})
	}},
	{"EventsAfter reads the log oldest first from a seq and refuses a limit below 1", func(t *testing.T, h *harness) {
		h.appendN(t, 5)
		got, err := h.s.EventsAfter(h.ctx, 2, 2)
		ok(t, err)
		equal(t, "seqs", []int64{3, 4}, []int64{got[0].Seq, got[1].Seq})
		got, err = h.s.EventsAfter(h.ctx, 5, 10)
		ok(t, err)
		equal(t, "after the newest", 0, len(got))
		_, err = h.s.EventsAfter(h.ctx, 0, 0)
		isKind(t, err, errs.Invalid)
	}},
	{"concurrent appends keep one unbroken chain with dense seqs", func(t *testing.T, h *harness) {
		const writers, each = 8, 20
		var wg sync.WaitGroup
		errors := make(chan error, writers*each)
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					e := audit.Event{Action: "test.event", TargetID: fmt.Sprintf("w%d-%d", w, i), Outcome: audit.Success}
					if err := h.s.AppendEvent(h.ctx, e); err != nil {
						errors <- err
					}
				}
			})
		}
		wg.Wait()
		close(errors)
		for err := range errors {
			t.Errorf("append: %v", err)
		}
		all := h.chain(t, 37)
		equal(t, "events", writers*each, len(all))
		verifies(t, all)
	}},
	{"concurrent mutations and appends keep the chain whole", func(t *testing.T, h *harness) {
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() {
				for range 5 {
					if w%2 == 0 {
						h.createUser(t)
					} else if err := h.s.AppendEvent(h.ctx, audit.Event{Action: "test.event"}); err != nil {
						t.Errorf("append: %v", err)
					}
				}
			})
		}
		wg.Wait()
		all := h.chain(t, 100)
		equal(t, "events", 20, len(all))
		verifies(t, all)
	}},
}

var queryEventTests = []test{
	{"queries page both ways in seq order", func(t *testing.T, h *harness) {
		h.appendN(t, 10)
		want := targets(h.chain(t, 100))
		asc, pages := h.queryAll(t, store.EventQuery{Ascending: true}, 3)
		equal(t, "ascending", want, targets(asc))
		equal(t, "ascending pages", 4, pages)
		desc, _ := h.queryAll(t, store.EventQuery{}, 4)
		for i, j := 0, len(desc)-1; i < j; i, j = i+1, j-1 {
			desc[i], desc[j] = desc[j], desc[i]
		}
		equal(t, "descending, reversed", want, targets(desc))
	}},
	{"since is inclusive and until exclusive", func(t *testing.T, h *harness) {
		h.appendN(t, 6) // at start+1s .. start+6s
		all := h.chain(t, 10)
		q := store.EventQuery{Since: all[1].Time, Until: all[4].Time, Ascending: true}
		got, _ := h.queryAll(t, q, 2)
		equal(t, "ascending", targets(all[1:4]), targets(got))
		q.Ascending = false
		got, _ = h.queryAll(t, q, 2)
		equal(t, "descending", []string{all[3].TargetID, all[2].TargetID, all[1].TargetID}, targets(got))
		got, _ = h.queryAll(t, store.EventQuery{Since: all[5].Time.Add(time.Nanosecond)}, 5)
		equal(t, "after the newest", 0, len(got))
	}},
	{"AfterSeq resumes after an event in either direction", func(t *testing.T, h *harness) {
		h.appendN(t, 6)
		all := h.chain(t, 10)
		got, _, err := h.s.QueryEvents(h.ctx, store.EventQuery{Ascending: true, AfterSeq: 2, Page: store.Page{Limit: 2}})
		ok(t, err)
		equal(t, "ascending", targets(all[2:4]), targets(got))
		got, _, err = h.s.QueryEvents(h.ctx, store.EventQuery{AfterSeq: 3, Page: store.Page{Limit: 5}})
		ok(t, err)
		equal(t, "descending", []string{all[1].TargetID, all[0].TargetID}, targets(got))
	}},
	{"a bad token, or one from the other direction, is invalid", func(t *testing.T, h *harness) {
		h.appendN(t, 3)
		_, next, err := h.s.QueryEvents(h.ctx, store.EventQuery{Ascending: true, Page: store.Page{Limit: 1}})
		ok(t, err)
		_, _, err = h.s.QueryEvents(h.ctx, store.EventQuery{Page: store.Page{Limit: 1, Token: next}})
		isKind(t, err, errs.Invalid)
		_, _, err = h.s.QueryEvents(h.ctx, store.EventQuery{Page: store.Page{Limit: 1, Token: "nope"}})
		isKind(t, err, errs.Invalid)
		_, _, err = h.s.QueryEvents(h.ctx, store.EventQuery{})
		isKind(t, err, errs.Invalid)
	}},
}
