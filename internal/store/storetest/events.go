package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// allow calls Allow n times and returns the answers.
func (h *harness) allow(t *testing.T, key string, window time.Duration, limit, n int) []bool {
	t.Helper()
	var out []bool
	for range n {
		got, err := h.s.Allow(h.ctx, key, window, limit)
		ok(t, err)
		out = append(out, got)
	}
	return out
}

var rateLimitTests = []test{
	{"attempts within the limit are allowed and the rest refused", func(t *testing.T, h *harness) {
		equal(t, "answers", []bool{true, true, true, false, false}, h.allow(t, "signin:alice", time.Minute, 3, 5))
	}},
	{"a new window starts a new count", func(t *testing.T, h *harness) {
		h.clk.Advance(time.Minute - h.clk.Now().Sub(h.clk.Now().Truncate(time.Minute))) // to a window start
		equal(t, "first window", []bool{true, true, false}, h.allow(t, "k", time.Minute, 2, 3))
		h.clk.Advance(59 * time.Second)
		equal(t, "same window", []bool{false}, h.allow(t, "k", time.Minute, 2, 1))
		h.clk.Advance(time.Second)
		equal(t, "next window", []bool{true, true, false}, h.allow(t, "k", time.Minute, 2, 3))
		h.clk.Advance(time.Hour)
		equal(t, "much later", []bool{true}, h.allow(t, "k", time.Minute, 2, 1))
	}},
	{"count reads a key's attempts in this window and the one before without adding one", func(t *testing.T, h *harness) {
		count := func() int {
			t.Helper()
			n, err := h.s.Count(h.ctx, "c", time.Hour)
			ok(t, err)
			return n
		}
		equal(t, "before any attempt", 0, count())
		h.allow(t, "c", time.Hour, 5, 3)
		equal(t, "after three", 3, count())
		equal(t, "read again", 3, count())
		h.clk.Advance(time.Hour)
		equal(t, "in the next window", 3, count())
		h.allow(t, "c", time.Hour, 5, 1)
		equal(t, "with one more", 4, count())
		h.clk.Advance(time.Hour)
		equal(t, "two windows on", 1, count())
		h.clk.Advance(time.Hour)
		equal(t, "three windows on", 0, count())
	}},
	{"hit returns the window's count with this attempt and when the window ends", func(t *testing.T, h *harness) {
		h.clk.Advance(time.Minute - h.clk.Now().Sub(h.clk.Now().Truncate(time.Minute))) // to a window start
		h.clk.Advance(10 * time.Second)
		end := h.clk.Now().Truncate(time.Minute).Add(time.Minute)
		for want := 1; want <= 3; want++ {
			n, reset, err := h.s.Hit(h.ctx, "h", time.Minute)
			ok(t, err)
			equal(t, "count", want, n)
			equal(t, "reset", end, reset)
		}
		h.clk.Advance(time.Minute)
		n, _, err := h.s.Hit(h.ctx, "h", time.Minute)
		ok(t, err)
		equal(t, "count in the next window", 1, n)
	}},
	{"a key longer than a database index entry is counted like any other", func(t *testing.T, h *harness) {
		// Keys carry what a client sent (a sign-in form's user name, up
		// to its 16 KiB body): this one is 12 KiB that does not compress.
		long := "signin-user:203.0.113.9|" + incompressible(4096)
		equal(t, "answers", []bool{true, false}, h.allow(t, long, time.Hour, 1, 2))
		equal(t, "a key alike but for its end", []bool{true}, h.allow(t, long+"x", time.Hour, 1, 1))
		n, err := h.s.Count(h.ctx, long, time.Hour)
		ok(t, err)
		equal(t, "count", 2, n)
		for what, bad := range map[string]string{"invalid UTF-8": strings.Repeat("\x80", 4096),
			"invalid UTF-8 past the first kilobyte": long + "\xff"} {
			_, err := h.s.Allow(h.ctx, bad, time.Hour, 1)
			if errs.KindOf(err) != errs.Invalid {
				t.Errorf("a long key of %s: %v, want errs.Invalid", what, err)
			}
		}
	}},
	{"keys are counted separately", func(t *testing.T, h *harness) {
		equal(t, "a", []bool{true, false}, h.allow(t, "a", time.Hour, 1, 2))
		equal(t, "b", []bool{true, false}, h.allow(t, "b", time.Hour, 1, 2))
	}},
}

var eventTests = []test{
	{"mutations are logged with the actor and client from the context", func(t *testing.T, h *harness) {
		actor, client := h.asAdmin()
		h.clk.Advance(time.Hour)
		u := h.createUser(t)
		e := h.lastEvent(t)
		if e.ID == "" {
			t.Error("the event has no id")
		}
		want := audit.Event{ID: e.ID, Time: h.clk.Now(), Action: "identitystore.user.create",
			Actor: actor, Client: client, TargetType: "USER", TargetID: u.ID, Outcome: audit.Success,
			Seq: e.Seq, PrevHash: e.PrevHash, Hash: e.Hash}
		equal(t, "event", want, e)
	}},
	{"an appended event gets an id and the clock's time", func(t *testing.T, h *harness) {
		in := audit.Event{ID: "ignored", Action: "sts.assumerole", Actor: audit.Actor{Type: "user", ID: "u1"},
			TargetType: "ROLE", TargetID: "arn:aws:iam::111111111111:role/x", Outcome: audit.Deny, Message: "no"}
		ok(t, h.s.AppendEvent(h.ctx, in))
		got := h.lastEvent(t)
		if got.ID == "" || got.ID == "ignored" {
			t.Errorf("event id = %q, want one the store drew", got.ID)
		}
		in.ID, in.Time = got.ID, h.clk.Now()
		in.Seq, in.PrevHash, in.Hash = 1, audit.ZeroHash, got.Hash
		equal(t, "event", in, got)
		equal(t, "hash", audit.ChainHash(got), got.Hash)
	}},
	{"events are paged newest first", func(t *testing.T, h *harness) {
		var want []string
		for i := range 7 {
			e := audit.Event{Action: "test.event", TargetID: string(rune('a' + i)), Outcome: audit.Success}
			ok(t, h.s.AppendEvent(h.ctx, e))
			want = append([]string{e.TargetID}, want...)
		}
		got, pages := walk(t, 3, func(p store.Page) ([]audit.Event, string, error) { return h.s.ListEvents(h.ctx, p) })
		var ids []string
		seen := map[string]bool{}
		for _, e := range got {
			ids = append(ids, e.TargetID)
			if seen[e.ID] {
				t.Errorf("event id %q appears twice", e.ID)
			}
			seen[e.ID] = true
		}
		equal(t, "order", want, ids)
		equal(t, "pages", 3, pages)
	}},
	{"every mutation logs its action", func(t *testing.T, h *harness) {
		b := h.newBootstrap()
		_, _, err := h.s.Bootstrap(h.ctx, b)
		ok(t, err)
		u, g, ps := h.createUser(t), h.createGroup(t), h.createPermissionSet(t)
		acct := h.createAccount(t)
		m := h.addMember(t, g, u)
		a := h.assign(t, acct.ID, ps, ic.PrincipalUser, u.ID)
		h.provision(t, ps, "")
		h.unassign(t, a)
		ok(t, h.s.DeleteMembership(h.ctx, m.ID))
		ok(t, h.s.DeletePermissionSet(h.ctx, ps.ID))
		ok(t, h.s.DeleteGroup(h.ctx, g.ID))
		ok(t, h.s.DeleteUser(h.ctx, u.ID))
		equal(t, "actions", []string{
			"keyward.bootstrap", "identitystore.user.create", "identitystore.group.create",
			"ssoadmin.permissionset.create", "organizations.account.create",
			"identitystore.membership.create", "ssoadmin.assignment.create",
			"ssoadmin.permissionset.provision", "ssoadmin.assignment.delete",
			"identitystore.membership.delete", "ssoadmin.permissionset.delete",
			"identitystore.group.delete", "identitystore.user.delete",
		}, h.actions(t))
	}},
}
