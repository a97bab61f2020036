package ssooidc

import (
	"context"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/authn/usercode"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

// fixture is the service on a real SQLite store with a fake clock, one
// registered client and one pending device authorization.
type fixture struct {
	svc   *Service
	clk   *clock.Fake
	reg   *registerClientOutput
	start *startOutput
}

// openStore is a fresh SQLite store on a fake clock, closed when t ends.
func openStore(t *testing.T) (*sqlite.DB, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC))
	db := sqlitetest.Open(t, clk)
	return db, clk
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db, clk := openStore(t)
	svc := New(db, Config{VerificationURI: "http://x/device", SessionLifetime: 8 * time.Hour}, clk, clock.Random)
	ctx := context.Background()
	reg, err := svc.registerClient(ctx, &registerClientInput{ClientName: "c", ClientType: "public"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := svc.startDeviceAuthorization(ctx, &startInput{ClientID: reg.ClientID, ClientSecret: reg.ClientSecret, StartURL: "http://x/start"})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{svc: svc, clk: clk, reg: reg, start: st}
}

func (f *fixture) poll() error {
	_, err := f.svc.createToken(context.Background(), &createTokenInput{ClientID: f.reg.ClientID,
		ClientSecret: f.reg.ClientSecret, GrantType: ic.GrantDeviceCode, DeviceCode: f.start.DeviceCode})
	return err
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Code != code {
		t.Fatalf("err = %v, want %s", err, code)
	}
}

func TestTwoBackToBackPollsRightAfterIssueArePendingNotSlowDown(t *testing.T) {
	f := newFixture(t)
	wantCode(t, f.poll(), "AuthorizationPendingException")
	f.clk.Advance(3 * time.Millisecond)
	wantCode(t, f.poll(), "AuthorizationPendingException")
}

func TestAFastPollAfterTheFirstIntervalIsSlowDown(t *testing.T) {
	f := newFixture(t)
	f.clk.Advance(2 * time.Second)
	wantCode(t, f.poll(), "AuthorizationPendingException")
	f.clk.Advance(100 * time.Millisecond)
	wantCode(t, f.poll(), "SlowDownException")
	f.clk.Advance(time.Second)
	wantCode(t, f.poll(), "AuthorizationPendingException")
}

func TestAnExpiredDeviceCodeIsExpiredToken(t *testing.T) {
	f := newFixture(t)
	f.clk.Advance(time.Duration(f.start.ExpiresIn)*time.Second + time.Second)
	wantCode(t, f.poll(), "ExpiredTokenException")
	if _, err := f.svc.Pending(context.Background(), f.start.UserCode, "user", "127.0.0.1"); !errs.Is(err, errs.NotFound) {
		t.Errorf("the verification page still offers an expired code: %v", err)
	}
}

func TestUserCodesAreNormalizedBeforeAnyLookup(t *testing.T) {
	cases := map[string]bool{"BCDF-GHJK": true, "bcdfghjk": true, " bcdf ghjk ": true,
		"BCDF-GHJ": false, "ABCD-EFGH": false, "BCDF-GHJK-L": false, "": false}
	for typed, ok := range cases {
		if _, got := usercode.Normalize(typed); got != ok {
			t.Errorf("usercode.Normalize(%q) ok = %v, want %v", typed, got, ok)
		}
	}
}

func TestEverySecretHandedOutStartsWithALetter(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// A bare base64url value starts with "-", "_" or a digit 12 times in 64;
	// 50 rounds of five secrets catch a missing prefix all but never.
	for range 50 {
		reg, err := f.svc.registerClient(ctx, &registerClientInput{ClientName: "c", ClientType: "public"})
		if err != nil {
			t.Fatal(err)
		}
		dev, err := f.svc.startDeviceAuthorization(ctx, &startInput{ClientID: reg.ClientID, ClientSecret: reg.ClientSecret, StartURL: "http://x/start"})
		if err != nil {
			t.Fatal(err)
		}
		_, tok := f.svc.newToken(ic.Client{ID: reg.ClientID}, signIn{userID: "user", family: "family", ends: f.clk.Now().Add(time.Hour)})
		for _, v := range []string{reg.ClientID, reg.ClientSecret, dev.DeviceCode, tok.AccessToken, tok.RefreshToken} {
			if c := v[0]; (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
				t.Fatalf("%q starts with %q, not a letter: the AWS CLI could read it as an option", v, c)
			}
		}
	}
}

// A device sign-in's tokens end when the portal session that approved it
// does (sqlstore's DeletePortalSession ends them). A session that ended
// between the approval and the client's next poll must not lead to
// tokens either: signing out of the portal right after approving a code
// one did not mean to approve has to cut the device off.
func TestADeviceCodeApprovedInASessionThatHasSinceEndedGivesNoToken(t *testing.T) {
	db, clk := openStore(t)
	svc := New(db, Config{VerificationURI: "http://x/device", SessionLifetime: 8 * time.Hour}, clk, clock.Random)
	ctx := context.Background()
	u := ic.User{ID: "u-" + clock.Hex(clock.Random, 8), Profile: ic.Profile{UserName: "alice"}, Status: ic.UserEnabled,
		CreatedAt: clk.Now(), UpdatedAt: clk.Now()}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	reg, err := svc.registerClient(ctx, &registerClientInput{ClientName: "c", ClientType: "public"})
	if err != nil {
		t.Fatal(err)
	}
	poll := func(code string) error {
		_, err := svc.createToken(ctx, &createTokenInput{ClientID: reg.ClientID, ClientSecret: reg.ClientSecret,
			GrantType: ic.GrantDeviceCode, DeviceCode: code})
		return err
	}
	approve := func(sessionHash string) string {
		st, err := svc.startDeviceAuthorization(ctx, &startInput{ClientID: reg.ClientID, ClientSecret: reg.ClientSecret, StartURL: "http://x/start"})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.Decide(ctx, st.UserCode, u.ID, sessionHash, true); err != nil {
			t.Fatal(err)
		}
		return st.DeviceCode
	}
	session := func(hash string, lifetime time.Duration) {
		if err := db.CreatePortalSession(ctx, ic.PortalSession{IDHash: hash, UserID: u.ID, CreatedAt: clk.Now(),
			ExpiresAt: clk.Now().Add(lifetime)}); err != nil {
			t.Fatal(err)
		}
	}

	session("live", time.Hour)
	if err := poll(approve("live")); err != nil {
		t.Fatalf("a code approved in a live session: %v", err)
	}
	t.Run("the person signed out of the portal", func(t *testing.T) {
		session("signed-out", time.Hour)
		code := approve("signed-out")
		if err := db.DeletePortalSession(ctx, "signed-out"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, poll(code), "InvalidGrantException")
	})
	t.Run("the session ran out", func(t *testing.T) {
		session("short", time.Minute)
		code := approve("short")
		clk.Advance(2 * time.Minute)
		wantCode(t, poll(code), "InvalidGrantException")
	})
}
