package storetest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// idpTest is one conformance case of the identity provider's contract.
type idpTest struct {
	name string
	run  func(t *testing.T, h *idpHarness)
}

// RunIdP runs every conformance case of store.IdP against stores from
// open, which must return a fresh, empty store whose time comes from clk
// and register its own cleanup with t.Cleanup. Cases run in parallel.
func RunIdP(t *testing.T, open func(t *testing.T, clk clock.Clock) store.IdP) {
	suites := []struct {
		name  string
		tests []idpTest
	}{
		{"directory users", idpUserTests},
		{"directory groups", idpGroupTests},
		{"directory listing", idpListTests},
		{"directory value index", idpRequireTests},
		{"directory batches", idpBatchTests},
		{"change feed and schema", idpFeedTests},
		{"admin roles", idpRoleTests},
		{"api tokens", idpAPITokenTests},
		{"one-time links", idpLinkTests},
		{"factors", idpFactorTests},
		{"idp sessions", idpSessionTests},
		{"idp bootstrap", idpBootstrapTests},
		{"sign-on policies", idpPolicyTests},
		{"apps and assignments", idpAppTests},
		{"signing keys", idpSigningKeyTests},
		{"provisioning", idpProvisioningTests},
		{"one-time keys", idpOneTimeKeyTests},
		{"authorization servers", idpAuthServerTests},
		{"oauth codes", idpOAuthCodeTests},
		{"oauth device authorizations", idpOAuthDeviceTests},
		{"oauth tokens", idpOAuthTokenTests},
		{"oauth cascades, purge and client settings", idpOAuthLifeTests},
		{"oauth client secrets", idpClientSecretTests},
	}
	for _, s := range suites {
		t.Run(s.name, func(t *testing.T) {
			for _, tc := range s.tests {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					clk := clock.NewFake(start)
					tc.run(t, &idpHarness{s: open(t, clk), clk: clk, ctx: t.Context()})
				})
			}
		})
	}
}

// idpHarness is one IdP case's store, clock and fixture builders.
type idpHarness struct {
	s   store.IdP
	clk *clock.Fake
	ctx context.Context
	seq atomic.Int64
}

func (h *idpHarness) next() int64 { return h.seq.Add(1) }

// newUser returns an unsaved active user with a unique, mixed-case login.
func (h *idpHarness) newUser() directory.User {
	n := h.next()
	login := fmt.Sprintf("Person.%03d@Example.com", n)
	return directory.User{
		Status: directory.Active,
		Profile: directory.Profile{"login": login, "email": login, "firstName": "Person",
			"lastName": fmt.Sprintf("Number %d", n), "department": "Engineering"},
	}
}

// createUser stores a new user in groupIDs.
func (h *idpHarness) createUser(t *testing.T, groupIDs ...string) directory.User {
	t.Helper()
	u, err := h.s.CreateUser(h.ctx, h.newUser(), groupIDs)
	ok(t, err)
	return u
}

// createGroup stores a new group with a unique, mixed-case name.
func (h *idpHarness) createGroup(t *testing.T) directory.Group {
	t.Helper()
	g, err := h.s.CreateGroup(h.ctx, directory.Group{Type: directory.OktaGroup,
		Name: fmt.Sprintf("Team-%03d", h.next()), Description: "a team"})
	ok(t, err)
	return g
}

// events returns the whole log, newest first.
func (h *idpHarness) events(t *testing.T) []audit.Event {
	t.Helper()
	all, _ := walk(t, 100, func(p store.Page) ([]audit.Event, string, error) { return h.s.ListEvents(h.ctx, p) })
	return all
}

// actions returns the log's actions, oldest first.
func (h *idpHarness) actions(t *testing.T) []string {
	t.Helper()
	evs := h.events(t)
	out := make([]string, len(evs))
	for i, e := range evs {
		out[len(evs)-1-i] = e.Action
	}
	return out
}

// lastEvent returns the newest event.
func (h *idpHarness) lastEvent(t *testing.T) audit.Event {
	t.Helper()
	got, _, err := h.s.ListEvents(h.ctx, store.Page{Limit: 1})
	ok(t, err)
	if len(got) == 0 {
		t.Fatal("the system log is empty")
	}
	return got[0]
}

// changes returns the whole change feed, oldest first.
func (h *idpHarness) changes(t *testing.T) []directory.Change {
	t.Helper()
	var all []directory.Change
	var after int64
	for {
		got, err := h.s.Changes(h.ctx, after, 50)
		ok(t, err)
		if len(got) == 0 {
			return all
		}
		all = append(all, got...)
		after = got[len(got)-1].Seq
	}
}

// nothingWritten fails t if the log or the change feed grew while do ran.
func (h *idpHarness) nothingWritten(t *testing.T, do func()) {
	t.Helper()
	events, changes := len(h.events(t)), len(h.changes(t))
	do()
	if n := len(h.events(t)) - events; n != 0 {
		t.Errorf("a failed call wrote %d event(s)", n)
	}
	if n := len(h.changes(t)) - changes; n != 0 {
		t.Errorf("a failed call appended %d change(s)", n)
	}
}

// newer moves the clock on and returns the new time, so a changed
// timestamp can be told from the old one.
func (h *idpHarness) newer() time.Time {
	h.clk.Advance(time.Minute)
	return h.clk.Now()
}

// equalTime fails t unless got is the same instant as want.
func equalTime(t *testing.T, what string, want, got time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}
