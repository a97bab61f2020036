package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

var idpFeedTests = []idpTest{
	{"the change feed lists every directory change in order with strictly increasing Seq", func(t *testing.T, h *idpHarness) {
		u := h.createUser(t)
		g := h.createGroup(t)
		_, err := h.s.AddMember(h.ctx, g.ID, u.ID)
		ok(t, err)
		_, err = h.s.UpdateUser(h.ctx, u.ID, "user.account.update_profile", func(old directory.User) (directory.User, error) { return old, nil })
		ok(t, err)
		_, err = h.s.UpdateGroup(h.ctx, g.ID, func(old directory.Group) (directory.Group, error) { return old, nil })
		ok(t, err)
		_, err = h.s.RemoveMember(h.ctx, g.ID, u.ID)
		ok(t, err)
		ok(t, h.s.DeleteUser(h.ctx, u.ID))
		ok(t, h.s.DeleteGroup(h.ctx, g.ID))
		want := []directory.Change{
			{Kind: directory.UserChanged, UserID: u.ID},
			{Kind: directory.GroupChanged, GroupID: g.ID},
			{Kind: directory.MembershipAdded, UserID: u.ID, GroupID: g.ID},
			{Kind: directory.UserChanged, UserID: u.ID},
			{Kind: directory.GroupChanged, GroupID: g.ID},
			{Kind: directory.MembershipRemoved, UserID: u.ID, GroupID: g.ID},
			{Kind: directory.UserDeleted, UserID: u.ID},
			{Kind: directory.GroupDeleted, GroupID: g.ID},
		}
		got := h.changes(t)
		if len(got) != len(want) {
			t.Fatalf("%d changes, want %d: %+v", len(got), len(want), got)
		}
		for i := range got {
			if i > 0 && got[i].Seq <= got[i-1].Seq {
				t.Errorf("change %d has Seq %d after %d", i, got[i].Seq, got[i-1].Seq)
			}
			equalTime(t, "change time", start, got[i].Time)
			want[i].Seq, want[i].Time = got[i].Seq, got[i].Time
		}
		equal(t, "changes", want, got)
		page, err := h.s.Changes(h.ctx, got[2].Seq, 2)
		ok(t, err)
		equal(t, "a page after the third", got[3:5], page)
		page, err = h.s.Changes(h.ctx, got[7].Seq, 10)
		ok(t, err)
		equal(t, "after the last", 0, len(page))
		_, err = h.s.Changes(h.ctx, 0, 0)
		isKind(t, err, errs.Invalid)
	}},
	{"a follower polling during concurrent writes sees every change exactly once", func(t *testing.T, h *idpHarness) {
		const writers, each = racers, 5
		var wg sync.WaitGroup
		for range writers {
			wg.Go(func() {
				for range each {
					if _, err := h.s.CreateGroup(h.ctx, directory.Group{Type: directory.OktaGroup,
						Name: fmt.Sprintf("Concurrent-%03d", h.next())}); err != nil {
						t.Errorf("a concurrent create failed: %v", err)
					}
				}
			})
		}
		finished := make(chan struct{})
		go func() { wg.Wait(); close(finished) }()
		seen := map[int64]bool{}
		var after int64
		for done := false; !done; {
			select {
			case <-finished:
				done = true // one more drain reads what the last writers committed
			case <-time.After(time.Millisecond):
			}
			got, err := h.s.Changes(h.ctx, after, 7)
			ok(t, err)
			for ; len(got) > 0; got, err = h.s.Changes(h.ctx, after, 7) {
				ok(t, err)
				for _, c := range got {
					if seen[c.Seq] {
						t.Errorf("change %d seen twice", c.Seq)
					}
					seen[c.Seq], after = true, c.Seq
				}
			}
		}
		equal(t, "changes the follower saw", writers*each, len(seen))
		equal(t, "changes stored", writers*each, len(h.changes(t)))
	}},
	{"every mutation writes its event with the actor and the right action", func(t *testing.T, h *idpHarness) {
		actor := audit.Actor{Type: "user", ID: "00uAdmin", Name: "admin@example.com"}
		h.ctx = audit.WithActor(h.ctx, actor)
		g := h.createGroup(t)
		u := h.createUser(t, g.ID)
		_, err := h.s.UpdateUser(h.ctx, u.ID, "user.account.update_profile", func(old directory.User) (directory.User, error) { return old, nil })
		ok(t, err)
		_, err = h.s.UpdateGroup(h.ctx, g.ID, func(old directory.Group) (directory.Group, error) { return old, nil })
		ok(t, err)
		_, err = h.s.RemoveMember(h.ctx, g.ID, u.ID)
		ok(t, err)
		ok(t, h.s.PutAttribute(h.ctx, directory.Attribute{Name: "team", Title: "Team", Type: directory.TypeString}))
		r, err := h.s.AssignRole(h.ctx, directory.Role{UserID: u.ID, Type: directory.HelpDeskAdmin})
		ok(t, err)
		_, err = h.s.UpdateRole(h.ctx, u.ID, r.ID, func(old directory.Role) (directory.Role, error) { return old, nil })
		ok(t, err)
		ok(t, h.s.RemoveRole(h.ctx, u.ID, r.ID))
		ok(t, h.s.CreateAPIToken(h.ctx, directory.APIToken{Name: "ci", UserID: u.ID}, "token-hash"))
		tok, err := h.s.APITokenByHash(h.ctx, "token-hash")
		ok(t, err)
		ok(t, h.s.TouchAPIToken(h.ctx, tok.ID, h.clk.Now()))
		ok(t, h.s.RevokeAPIToken(h.ctx, tok.ID))
		ok(t, h.s.CreateUserToken(h.ctx, h.link(u.ID, "link-hash", directory.ActivationToken)))
		_, err = h.s.SpendUserToken(h.ctx, "link-hash", directory.ActivationToken, "user.lifecycle.activate",
			func(old directory.User) (directory.User, error) { return old, nil })
		ok(t, err)
		f, err := h.s.CreateFactor(h.ctx, directory.Factor{UserID: u.ID, Type: directory.FactorTOTP, Provider: "OKTA", Status: directory.FactorPending})
		ok(t, err)
		_, err = h.s.UpdateFactor(h.ctx, u.ID, f.ID, "user.mfa.factor.activate", func(old directory.Factor) (directory.Factor, error) {
			old.Status = directory.FactorActive
			return old, nil
		})
		ok(t, err)
		ok(t, h.s.DeleteFactor(h.ctx, u.ID, f.ID))
		ok(t, h.s.DeleteFactors(h.ctx, u.ID))
		ok(t, h.s.CreateIdPSession(h.ctx, h.session(u.ID, "session-hash")))
		ok(t, h.s.TouchIdPSession(h.ctx, "session-hash", h.clk.Now(), h.clk.Now().Add(1e12)))
		ok(t, h.s.EndIdPSession(h.ctx, "session-hash"))
		_, err = h.s.EndUserSessions(h.ctx, u.ID)
		ok(t, err)
		ok(t, h.s.DeleteGroup(h.ctx, g.ID))
		ok(t, h.s.DeleteUser(h.ctx, u.ID))
		want := []string{
			"group.lifecycle.create", "user.lifecycle.create", "group.user_membership.add",
			"user.account.update_profile", "group.profile.update", "group.user_membership.remove",
			"user.schema.update", "user.account.privilege.grant", "user.account.privilege.grant",
			"user.account.privilege.revoke", "system.api_token.create", "system.api_token.revoke",
			"user.lifecycle.activate", "user.mfa.factor.update", "user.mfa.factor.activate",
			"user.mfa.factor.deactivate", "user.mfa.factor.reset_all", "user.session.start",
			"user.session.end", "user.session.clear", "group.lifecycle.delete", "user.lifecycle.delete.completed",
		}
		equal(t, "actions", want, h.actions(t))
		for _, e := range h.events(t) {
			if e.Actor != actor || e.Outcome != audit.Success || e.TargetID == "" {
				t.Errorf("event %s: actor %+v, outcome %s, target %q", e.Action, e.Actor, e.Outcome, e.TargetID)
			}
		}
	}},
	{"schema attributes are declared, redeclared and read back", func(t *testing.T, h *idpHarness) {
		s, err := h.s.Schema(h.ctx)
		ok(t, err)
		equal(t, "no custom attributes", 0, len(s.Custom))
		team := directory.Attribute{Name: "team", Title: "Team", Type: directory.TypeString, MaxLength: 40}
		level := directory.Attribute{Name: "level", Title: "Level", Type: directory.TypeInteger, Description: "pay grade"}
		ok(t, h.s.PutAttribute(h.ctx, team))
		ok(t, h.s.PutAttribute(h.ctx, level))
		team.Title, team.MaxLength = "Team name", 0
		ok(t, h.s.PutAttribute(h.ctx, team))
		s, err = h.s.Schema(h.ctx)
		ok(t, err)
		equal(t, "schema", directory.Schema{Custom: map[string]directory.Attribute{"team": team, "level": level}}, s)
		e := h.lastEvent(t)
		equal(t, "event", [2]string{"user.schema.update", "team"}, [2]string{e.Action, e.TargetID})
		h.nothingWritten(t, func() {
			isKind(t, h.s.PutAttribute(h.ctx, directory.Attribute{Name: "bad\x00", Title: "Bad", Type: directory.TypeString}), errs.Invalid)
		})
	}},
}
