package audit_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/audit"
)

// log builds n sealed events, as a store would write them.
func log(n int) []audit.Event {
	var out []audit.Event
	prev := audit.Event{}
	for i := range n {
		e := audit.Event{ID: fmt.Sprintf("id%d", i), Time: time.Date(2026, 12, 2, 10, 0, i, 5, time.UTC),
			Action: "user.session.start", Actor: audit.Actor{Type: "user", ID: "00u1"},
			TargetID: fmt.Sprint(i), Outcome: audit.Success, Detail: map[string]string{"requestId": fmt.Sprint(i)}}
		prev = audit.Seal(e, prev)
		out = append(out, prev)
	}
	return out
}

// upgraded is l as a log upgraded to the chain holds it: two events from
// before the chain, then l sealed after them.
func upgraded(l []audit.Event) []audit.Event {
	legacy := []audit.Event{{Seq: 1, ID: "old1"}, {Seq: 2, ID: "old2"}}
	prev := legacy[1]
	for i := range l {
		l[i].Seq += 2
		l[i].PrevHash = ""
		prev = audit.Seal(l[i], prev)
		l[i] = prev
	}
	return append(legacy, l...)
}

func TestVerify(t *testing.T) {
	for _, c := range []struct {
		name    string
		edit    func([]audit.Event) []audit.Event
		breakAt int64  // 0: unbroken
		reason  string // part of the reason
	}{
		{"an untouched log verifies", func(l []audit.Event) []audit.Event { return l }, 0, ""},
		{"an empty log verifies", func([]audit.Event) []audit.Event { return nil }, 0, ""},
		{"changed content breaks at the changed event", func(l []audit.Event) []audit.Event {
			l[3].Message = "edited"
			return l
		}, 4, "content does not match"},
		{"a changed detail breaks at that event", func(l []audit.Event) []audit.Event {
			l[2].Detail = map[string]string{"requestId": "x"}
			return l
		}, 3, "content does not match"},
		{"a changed time breaks at that event", func(l []audit.Event) []audit.Event {
			l[5].Time = l[5].Time.Add(time.Nanosecond)
			return l
		}, 6, "content does not match"},
		{"a deleted event breaks at the one after it", func(l []audit.Event) []audit.Event {
			return append(l[:4:4], l[5:]...)
		}, 6, "missing or out of order"},
		{"a deleted first event breaks at the new first", func(l []audit.Event) []audit.Event { return l[1:] }, 2, "zero hash"},
		{"swapped contents break at the first swapped seq", func(l []audit.Event) []audit.Event {
			l[2], l[3] = l[3], l[2]
			l[2].Seq, l[3].Seq = 3, 4
			return l
		}, 3, "previous hash"},
		{"a rehashed edit breaks the next link", func(l []audit.Event) []audit.Event {
			l[3].Message = "edited"
			l[3].Hash = audit.ChainHash(l[3])
			return l
		}, 5, "previous hash does not match the hash of event seq 4"},
		{"a legacy prefix is skipped", upgraded, 0, ""},
		{"a deleted legacy prefix breaks at the first chained event", func(l []audit.Event) []audit.Event {
			return upgraded(l)[2:]
		}, 3, "events before it are missing"},
		{"a legacy prefix cut short breaks at the first chained event", func(l []audit.Event) []audit.Event {
			u := upgraded(l)
			return append(u[:1:1], u[2:]...)
		}, 3, "missing or out of order"},
		{"hashes removed from the first chained events break at the next", func(l []audit.Event) []audit.Event {
			l[0].Hash, l[0].PrevHash, l[1].Hash, l[1].PrevHash = "", "", "", ""
			return l
		}, 3, "zero hash"},
		{"a hash removed with the previous hash kept is not legacy", func(l []audit.Event) []audit.Event {
			for i := range l {
				l[i].Hash = ""
			}
			return l
		}, 1, "its hash was removed"},
		{"a changed byte that is not UTF-8 breaks at that event", func(l []audit.Event) []audit.Event {
			l[1].Message = "\xfe"
			prev := l[0]
			for i := 1; i < len(l); i++ {
				l[i].PrevHash = ""
				prev = audit.Seal(l[i], prev)
				l[i] = prev
			}
			l[1].Message = "\xff" // JSON encodes both as \ufffd: the same hash
			return l
		}, 2, "not UTF-8"},
		{"an unchained event after chained ones breaks", func(l []audit.Event) []audit.Event {
			l[4].Hash = ""
			return l
		}, 5, "no hash"},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := c.edit(log(8))
			v, brk := audit.Verify(l)
			switch {
			case c.breakAt == 0 && brk != nil:
				t.Fatalf("unexpected break: %v", brk)
			case c.breakAt == 0:
				if v.Verified+v.Legacy != len(l) {
					t.Errorf("verified %d + legacy %d, want %d events", v.Verified, v.Legacy, len(l))
				}
			case brk == nil:
				t.Fatalf("verified %d events, want a break at seq %d", v.Verified, c.breakAt)
			case brk.Seq != c.breakAt || !strings.Contains(brk.Reason, c.reason):
				t.Errorf("break = %v, want seq %d and a reason with %q", brk, c.breakAt, c.reason)
			}
		})
	}
}

func TestChainHashCoversEveryField(t *testing.T) {
	base := log(1)[0]
	edits := map[string]func(*audit.Event){
		"seq": func(e *audit.Event) { e.Seq++ }, "id": func(e *audit.Event) { e.ID += "x" },
		"action":      func(e *audit.Event) { e.Action += "x" },
		"actor type":  func(e *audit.Event) { e.Actor.Type += "x" },
		"actor id":    func(e *audit.Event) { e.Actor.ID += "x" },
		"actor name":  func(e *audit.Event) { e.Actor.Name += "x" },
		"ip":          func(e *audit.Event) { e.Client.IP += "x" },
		"user agent":  func(e *audit.Event) { e.Client.UserAgent += "x" },
		"target type": func(e *audit.Event) { e.TargetType += "x" },
		"target id":   func(e *audit.Event) { e.TargetID += "x" },
		"target name": func(e *audit.Event) { e.TargetName += "x" },
		"outcome":     func(e *audit.Event) { e.Outcome += "x" },
		"message":     func(e *audit.Event) { e.Message += "x" },
		"detail":      func(e *audit.Event) { e.Detail = map[string]string{"requestId": "0", "k": ""} },
		"prev hash":   func(e *audit.Event) { e.PrevHash = strings.Repeat("1", 64) },
		"time":        func(e *audit.Event) { e.Time = e.Time.Add(1) },
		// Moving text between fields must not keep the hash.
		"shifted text": func(e *audit.Event) { e.Actor.Type, e.Actor.ID = "use", "r00u1" },
	}
	for name, edit := range edits {
		e := base
		edit(&e)
		if audit.ChainHash(e) == base.Hash {
			t.Errorf("changing the %s keeps the hash", name)
		}
	}
	if e := base; audit.ChainHash(e) != base.Hash {
		t.Error("the hash of an unchanged event differs")
	}
}

// The log numbers events from 1, so an event at seq 0 or below is one
// nobody wrote: inserted before the chain's first event it would pass for
// an event from before the chain, shown by the log yet covered by nothing.
func TestAnEventBeforeSeqOneBreaksTheChain(t *testing.T) {
	for _, seq := range []int64{0, -1, -1 << 40} {
		forged := audit.Event{Seq: seq, ID: "forged", Action: "user.session.start", Actor: audit.Actor{Type: "user", ID: "00uvictim"}}
		for name, l := range map[string][]audit.Event{"a chained log": log(4), "an upgraded log": upgraded(log(4))} {
			_, brk := audit.Verify(append([]audit.Event{forged}, l...))
			if brk == nil || brk.Seq != seq {
				t.Errorf("%s with an event at seq %d before it: break = %v, want one at seq %d", name, seq, brk, seq)
			}
		}
	}
}
