package oidc_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/authn/usercode"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/idp/oidc"
)

const oktaAWSCLIScope = "openid okta.apps.sso okta.apps.read okta.users.read.self"

// startDevice starts a device authorization for cli as okta-aws-cli does.
func (f *fixture) startDevice(t testing.TB) (deviceCode, userCode string) {
	t.Helper()
	status, body := f.post(t, "/oauth2/v1/device/authorize", url.Values{"client_id": {f.cli.ID}, "scope": {oktaAWSCLIScope}})
	if status != 200 || str(body, "verification_uri_complete") != f.url+"/activate?user_code="+str(body, "user_code") {
		t.Fatalf("device authorize: %d %v", status, body)
	}
	return str(body, "device_code"), str(body, "user_code")
}

func (f *fixture) poll(t testing.TB, clientID, deviceCode string) (int, map[string]any) {
	t.Helper()
	return f.post(t, "/oauth2/v1/token", url.Values{"client_id": {clientID}, "device_code": {deviceCode},
		"grant_type": {directory.GrantDeviceCode}})
}

// approve approves userCode as alice in a session with amr.
func (f *fixture) approve(t testing.TB, userCode string, approve bool, amr ...string) directory.Session {
	t.Helper()
	c := f.session(t, amr...)
	ss, u, err := f.signIn.Session(context.Background(), c.Value)
	must(t, err)
	must(t, f.p.Decide(context.Background(), userCode, ss, u, approve, "192.0.2.1"))
	return ss
}

// deviceTokens runs okta-aws-cli's device flow to its tokens.
func (f *fixture) deviceTokens(t testing.TB) map[string]any {
	t.Helper()
	code, user := f.startDevice(t)
	f.approve(t, user, true)
	status, body := f.poll(t, f.cli.ID, code)
	if status != 200 || str(body, "token_type") != "Bearer" || str(body, "id_token") == "" || str(body, "access_token") == "" {
		t.Fatalf("device token: %d %v", status, body)
	}
	return body
}

func TestTheDeviceFlowIsPendingUntilApprovedThenIssuesOnce(t *testing.T) {
	f := newFixture(t)
	code, user := f.startDevice(t)
	status, body := f.poll(t, f.cli.ID, code)
	wantError(t, status, body, 400, "authorization_pending", "pending")
	f.approve(t, user, true)
	status, body = f.poll(t, f.cli.ID, code)
	if status != 200 || str(body, "scope") != oktaAWSCLIScope || str(body, "id_token") == "" {
		t.Fatalf("after approval: %d %v", status, body)
	}
	status, body = f.poll(t, f.cli.ID, code)
	wantError(t, status, body, 400, "invalid_grant", "already been used")
}

func TestDeviceCodeAttacks(t *testing.T) {
	f := newFixture(t)
	t.Run("a device code is bound to the client it was issued to", func(t *testing.T) {
		code, user := f.startDevice(t)
		f.approve(t, user, true)
		other := f.addApp(t, directory.App{Name: directory.OIDCClientApp, Label: "other", SignOnMode: directory.OIDC,
			OAuth: directory.OAuthClient{ApplicationType: directory.AppTypeNative, TokenEndpointAuthMethod: directory.AuthNone,
				GrantTypes: []string{directory.GrantDeviceCode}}})
		status, body := f.poll(t, other.ID, code)
		wantError(t, status, body, 400, "invalid_grant", "invalid")
		if status, body := f.poll(t, f.cli.ID, code); status != 200 {
			t.Errorf("the rightful client after the attempt: %d %v", status, body)
		}
	})
	t.Run("a denied code cannot be approved later", func(t *testing.T) {
		code, user := f.startDevice(t)
		f.approve(t, user, false)
		ss, u, err := f.signIn.Session(context.Background(), f.session(t).Value)
		must(t, err)
		if err := f.p.Decide(context.Background(), user, ss, u, true, "192.0.2.1"); err == nil {
			t.Error("approving a denied code succeeded")
		}
		status, body := f.poll(t, f.cli.ID, code)
		wantError(t, status, body, 400, "access_denied", "denied")
	})
	t.Run("guessing user codes is throttled per person", func(t *testing.T) {
		ss, u, err := f.signIn.Session(context.Background(), f.session(t).Value)
		must(t, err)
		var last error
		for range 11 {
			last = f.p.Decide(context.Background(), "BCDF-GHJK", ss, u, true, "192.0.2.9")
		}
		if last == nil || last.Error() != "Too many codes tried. Wait a minute and try again." {
			t.Errorf("the eleventh guess: %v", last)
		}
	})
	t.Run("an unknown device code", func(t *testing.T) {
		status, body := f.poll(t, f.cli.ID, "not-a-code")
		wantError(t, status, body, 400, "invalid_grant", "invalid or has expired")
	})
}

func TestPollingFasterThanTheIntervalIsSlowDown(t *testing.T) {
	f := newFixture(t)
	code, user := f.startDevice(t)
	steps := []struct {
		name    string
		advance time.Duration
		want    string
	}{
		{"the first poll, right away, is pending", 0, "authorization_pending"},
		{"a second poll in the first interval is pending too", time.Second, "authorization_pending"},
		{"a poll five seconds later is pending", 5 * time.Second, "authorization_pending"},
		{"a poll one second after that is slow_down", time.Second, "slow_down"},
		{"a poll four seconds later is pending again", 4 * time.Second, "authorization_pending"},
	}
	for _, s := range steps {
		f.clk.Advance(s.advance)
		status, body := f.poll(t, f.cli.ID, code)
		if status != 400 || str(body, "error") != s.want {
			t.Errorf("%s: got %d %v", s.name, status, body)
		}
	}
	f.approve(t, user, true)
	if status, body := f.poll(t, f.cli.ID, code); status != 200 {
		t.Errorf("an approved code polled right after the last poll: %d %v", status, body)
	}
}

func TestTheVerificationPageShowsTheClientAndScopesUntilTheCodeExpires(t *testing.T) {
	f := newFixture(t)
	_, user := f.startDevice(t)
	req, err := f.p.Pending(context.Background(), strings.ToLower(user), f.alice.ID, "192.0.2.1")
	must(t, err)
	want := oidc.DeviceRequest{UserCode: usercode.Format(user), ClientName: "okta-aws-cli",
		Scopes: strings.Fields(oktaAWSCLIScope), ExpiresAt: f.clk.Now().Add(10 * time.Minute)}
	if diff := cmp.Diff(want, req); diff != "" {
		t.Errorf("the pending request (-want +got):\n%s", diff)
	}
	f.clk.Advance(10 * time.Minute)
	if _, err := f.p.Pending(context.Background(), user, f.alice.ID, "192.0.2.1"); err == nil {
		t.Error("an expired code is still pending")
	}
}

func TestGuessingUserCodesIsThrottledPerAddress(t *testing.T) {
	f := newFixture(t)
	var last error
	for i := range 301 {
		// A new person every time: only the address is common.
		_, last = f.p.Pending(context.Background(), "BCDF-GHJK", "user-"+strconv.Itoa(i), "192.0.2.7")
	}
	if last == nil || last.Error() != "Too many codes tried. Wait a minute and try again." {
		t.Errorf("the 301st guess from one address: %v", last)
	}
}
