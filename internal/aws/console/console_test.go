package console_test

import (
	"context"
	"encoding/base64"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/console"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

type fixture struct {
	clk   *clock.Fake
	auth  *awsauth.Authority
	svc   *console.Service
	creds console.Credentials
}

func newFixture(t testing.TB) fixture {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	db := sqlitetest.Open(t, clk)
	master := clock.Bytes(clock.Random, 32)
	auth, err := awsauth.New(master, db, clk, clock.Random)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := console.New(master, auth, db, clk, clock.Random)
	if err != nil {
		t.Fatal(err)
	}
	c, err := auth.IssueSession(iam.Session{Kind: iam.KindAssumedRole, AccountID: "111122223333", RoleID: "AROAEXAMPLEEXAMPLE1",
		RoleName: "Deploy", SessionName: "alice", Tags: []iam.Tag{{Key: "team", Value: "infra"}}, Expires: clk.Now().Add(2 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{clk: clk, auth: auth, svc: svc,
		creds: console.Credentials{SessionID: c.AccessKeyID, SessionKey: c.SecretAccessKey, SessionToken: c.SessionToken}}
}

func wantKind(t *testing.T, err error, kind errs.Kind) {
	t.Helper()
	if !errs.Is(err, kind) {
		t.Errorf("err = %v, want kind %v", err, kind)
	}
}

func TestASigninTokenOpensOneConsoleSessionOfTheAskedLength(t *testing.T) {
	f := newFixture(t)
	tok, err := f.svc.SigninToken(f.creds, 30*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	cookie, sess, err := f.svc.Login(context.Background(), tok, "https://broker.example.com")
	if err != nil {
		t.Fatal(err)
	}
	if sess.ARN() != "arn:aws:sts::111122223333:assumed-role/Deploy/alice" || !sess.Expires.Equal(f.clk.Now().Add(30*time.Minute)) {
		t.Errorf("session = %s until %s", sess.ARN(), sess.Expires)
	}
	opened, ok := f.svc.Open(cookie)
	if !ok || opened.Role.Tags[0].Value != "infra" || opened.Issuer != "https://broker.example.com" {
		t.Errorf("the cookie opens as %+v, %v", opened, ok)
	}
	if _, _, err := f.svc.Login(context.Background(), tok, ""); !errs.Is(err, errs.Unauthenticated) {
		t.Errorf("a second login with one token: %v, want it refused", err)
	}
	f.clk.Advance(31 * time.Minute)
	if _, ok := f.svc.Open(cookie); ok {
		t.Error("the console session outlived its 30 minutes")
	}
}

func TestASigninTokenExpiresAfterFifteenMinutes(t *testing.T) {
	f := newFixture(t)
	tok, err := f.svc.SigninToken(f.creds, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.clk.Advance(console.TokenLifetime)
	_, _, err = f.svc.Login(context.Background(), tok, "")
	wantKind(t, err, errs.Unauthenticated)
}

func TestSigninTokensAreRefusedForBadCredentialsAndDurations(t *testing.T) {
	f := newFixture(t)
	wrongSecret := f.creds
	wrongSecret.SessionKey += "x"
	otherKey := f.creds
	otherKey.SessionID = iam.NewTemporaryAccessKeyID(clock.Random)
	for name, tc := range map[string]struct {
		c    console.Credentials
		d    time.Duration
		kind errs.Kind
	}{
		"a wrong secret":               {wrongSecret, 0, errs.Unauthenticated},
		"a token bound to another key": {otherKey, 0, errs.Unauthenticated},
		"no token":                     {console.Credentials{SessionID: f.creds.SessionID, SessionKey: f.creds.SessionKey}, 0, errs.Invalid},
		"a duration under 15 minutes":  {f.creds, 899 * time.Second, errs.Invalid},
		"a duration over twelve hours": {f.creds, 12*time.Hour + time.Second, errs.Invalid},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.svc.SigninToken(tc.c, tc.d)
			wantKind(t, err, tc.kind)
		})
	}
	f.clk.Advance(2 * time.Hour)
	_, err := f.svc.SigninToken(f.creds, 0)
	wantKind(t, err, errs.Unauthenticated)
}

func TestForgedTokensAndCookiesDoNotOpen(t *testing.T) {
	f := newFixture(t)
	tok, err := f.svc.SigninToken(f.creds, 0)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(tok)
	raw[len(raw)/2] ^= 1
	for name, v := range map[string]string{"flipped bit": base64.RawURLEncoding.EncodeToString(raw), "not base64": "%%%",
		"empty": "", "huge": string(make([]byte, 9000))} {
		t.Run(name, func(t *testing.T) {
			_, _, err := f.svc.Login(context.Background(), v, "")
			wantKind(t, err, errs.Invalid)
			if _, ok := f.svc.Open(v); ok {
				t.Error("opened as a console session")
			}
		})
	}
	// A sign-in token is not a console cookie: each is sealed for its purpose.
	if _, ok := f.svc.Open(tok); ok {
		t.Error("a sign-in token opened as a console session")
	}
}

// Without SessionDuration, AWS's console session lasts as long as the
// credentials it was made from (IAM user guide, "Enable custom identity
// broker access to the AWS console"): a session of two hours left gives a
// two-hour console session, and one about to end does not turn into an
// hour in the console.
func TestWithoutSessionDurationTheConsoleSessionLastsAsLongAsTheCredentials(t *testing.T) {
	f := newFixture(t) // the role session ends in two hours
	tok, err := f.svc.SigninToken(f.creds, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, sess, err := f.svc.Login(context.Background(), tok, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := f.clk.Now().Add(2 * time.Hour); !sess.Expires.Equal(want) {
		t.Errorf("the console session ends at %s, want %s (when the credentials end)", sess.Expires, want)
	}

	f.clk.Advance(100 * time.Minute) // twenty minutes left
	tok, err = f.svc.SigninToken(f.creds, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, sess, err = f.svc.Login(context.Background(), tok, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := f.clk.Now().Add(20 * time.Minute); !sess.Expires.Equal(want) {
		t.Errorf("the console session ends at %s, want %s (when the credentials end)", sess.Expires, want)
	}
}

// GetFederationToken credentials sign in for as long as they last (up to
// 36 hours), and AWS fails the request when it names a SessionDuration.
func TestAFederatedUserSignsInForItsCredentialsLifetimeAndCannotNameADuration(t *testing.T) {
	f := newFixture(t)
	c, err := f.auth.IssueSession(iam.Session{Kind: iam.KindFederatedUser, AccountID: "111122223333", SessionName: "bob",
		Expires: f.clk.Now().Add(30 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	creds := console.Credentials{SessionID: c.AccessKeyID, SessionKey: c.SecretAccessKey, SessionToken: c.SessionToken}
	_, err = f.svc.SigninToken(creds, time.Hour)
	wantKind(t, err, errs.Invalid)
	tok, err := f.svc.SigninToken(creds, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, sess, err := f.svc.Login(context.Background(), tok, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := f.clk.Now().Add(30 * time.Hour); !sess.Expires.Equal(want) {
		t.Errorf("the federated user's console session ends at %s, want %s (when its credentials end)", sess.Expires, want)
	}
}
