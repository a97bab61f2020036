package oidc_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
)

// failingKeys are signing keys whose Active fails while fail is set, as
// when the master key cannot open the signing key.
type failingKeys struct {
	*keys.SigningKeys
	fail atomic.Bool
}

func (k *failingKeys) Active(ctx context.Context) (keys.Signer, error) {
	if k.fail.Load() {
		return keys.Signer{}, errors.New("test: signing fails")
	}
	return k.SigningKeys.Active(ctx)
}

// eventsSince returns the system log's events after seq, newest first.
func (f *fixture) eventsSince(t testing.TB, seq int64) []audit.Event {
	t.Helper()
	all, _, err := f.s.ListEvents(context.Background(), store.Page{Limit: 100})
	must(t, err)
	var out []audit.Event
	for _, e := range all {
		if e.Seq > seq {
			out = append(out, e)
		}
	}
	return out
}

// newestSeq is the sequence number of the system log's newest event.
func (f *fixture) newestSeq(t testing.TB) int64 {
	t.Helper()
	all, _, err := f.s.ListEvents(context.Background(), store.Page{Limit: 1})
	must(t, err)
	if len(all) == 0 {
		return 0
	}
	return all[0].Seq
}

// grantLog is what a test compares of a grant's event.
type grantLog struct{ Action, Target, GrantType, Scopes string }

func grantLogs(events []audit.Event) []grantLog {
	var out []grantLog
	for _, e := range events {
		out = append(out, grantLog{e.Action, e.TargetID, e.Detail["grantType"], e.Detail["scopes"]})
	}
	return out
}

func TestEveryTokenGrantLogsOneEventWithItsToken(t *testing.T) {
	f := newFixture(t)
	seq := f.newestSeq(t)
	tokens := f.codeTokens(t, orgAS, "openid offline_access")
	want := []grantLog{ // newest first: the sign-in the code needs, then the grant
		{"app.oauth2.token.grant.access_token", f.cli.ID, "authorization_code", "openid offline_access"},
		{Action: "user.session.start", Target: f.alice.ID}}
	if diff := cmp.Diff(want, grantLogs(f.eventsSince(t, seq))); diff != "" {
		t.Errorf("the code grant's events (-want +got):\n%s", diff)
	}
	seq = f.newestSeq(t)
	if status, body := f.refresh(t, f.cli.ID, str(tokens, "refresh_token"), ""); status != 200 {
		t.Fatalf("refresh: %d %v", status, body)
	}
	want = []grantLog{{"app.oauth2.token.grant.access_token", f.cli.ID, "refresh_token", "openid offline_access"}}
	if diff := cmp.Diff(want, grantLogs(f.eventsSince(t, seq))); diff != "" {
		t.Errorf("the refresh grant's events (-want +got):\n%s", diff)
	}
}

func TestARefreshWhoseSigningFailsSpendsNothing(t *testing.T) {
	f := newFixture(t)
	tokens := f.codeTokens(t, orgAS, "openid offline_access")
	seq := f.newestSeq(t)
	f.keys.fail.Store(true)
	status, body := f.refresh(t, f.cli.ID, str(tokens, "refresh_token"), "")
	f.keys.fail.Store(false)
	wantError(t, status, body, 500, "server_error", "unexpected error")
	if got := f.eventsSince(t, seq); len(got) != 0 {
		t.Errorf("a failed refresh logged %v", grantLogs(got))
	}
	if !f.active(t, str(tokens, "refresh_token")) {
		t.Fatal("a failed refresh spent the refresh token")
	}
	if status, body := f.refresh(t, f.cli.ID, str(tokens, "refresh_token"), ""); status != 200 {
		t.Errorf("the refresh token after the failure: %d %v", status, body)
	}
}
