package orgsignin_test

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/authn/orgsignin"
	"github.com/keyward/keyward/internal/authn/password"
	"github.com/keyward/keyward/internal/authn/totp"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

// fixture is the org sign-in on a temporary SQLite store with alice
// (ACTIVE, with a password) in Engineering.
type fixture struct {
	svc   *orgsignin.Service
	s     store.IdP
	clk   *clock.Fake
	alice directory.User
	eng   directory.Group
	h     *password.Hasher
}

const alicePassword = "tea party at four"

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	db := sqlitetest.Open(t, clk)
	var err error
	f := &fixture{s: db.IdP(), clk: clk,
		h: password.NewHasher(password.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1}, 2, rand.Reader)}
	f.svc, err = orgsignin.New(orgsignin.Config{Store: f.s, Hasher: f.h, Clock: clk, Random: rand.Reader,
		Master: clock.Bytes(rand.Reader, 32), Issuer: "keyward test"})
	must(t, err)
	ctx := t.Context()
	f.eng, err = f.s.CreateGroup(ctx, directory.Group{Type: directory.OktaGroup, Name: "Engineering"})
	must(t, err)
	hash, err := f.h.Hash(ctx, alicePassword)
	must(t, err)
	f.alice, err = f.s.CreateUser(ctx, directory.User{Status: directory.Active, Password: directory.Password{Hash: hash},
		Profile: directory.Profile{"login": "alice@example.com", "email": "alice@example.com", "firstName": "Alice", "lastName": "Liddell"}},
		[]string{f.eng.ID})
	must(t, err)
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func kind(t *testing.T, what string, err error, want errs.Kind) {
	t.Helper()
	if errs.KindOf(err) != want {
		t.Fatalf("%s: err = %v (%s), want %s", what, err, errs.KindOf(err), want)
	}
}

func (f *fixture) password(ctx context.Context, login, pw, ip string) (orgsignin.State, error) {
	return f.svc.Password(ctx, orgsignin.State{Login: login, Step: orgsignin.StepPassword}, pw, ip)
}

func (f *fixture) status(t *testing.T) directory.Status {
	t.Helper()
	u, err := f.s.User(t.Context(), f.alice.ID)
	must(t, err)
	return u.Status
}

func TestAGoodPasswordWithoutAnMFAPolicyIsDone(t *testing.T) {
	f := newFixture(t)
	st, err := f.password(t.Context(), "ALICE@example.com", alicePassword, "192.0.2.1")
	must(t, err)
	if st.Step != orgsignin.StepDone || st.UserID != f.alice.ID || strings.Join(st.AMR, ",") != "pwd" {
		t.Fatalf("state = %+v, want done as alice with pwd", st)
	}
}

func TestUnknownLoginsWrongPasswordsAndBlockedAccountsGetOneAnswer(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	_, unknown := f.password(ctx, "nobody@example.com", alicePassword, "192.0.2.1")
	_, wrong := f.password(ctx, "alice@example.com", "not the password", "192.0.2.1")
	_, err := f.s.UpdateUser(ctx, f.alice.ID, "user.lifecycle.suspend", func(u directory.User) (directory.User, error) {
		return directory.Transition(u, directory.OpSuspend, f.clk.Now())
	})
	must(t, err)
	_, suspended := f.password(ctx, "alice@example.com", alicePassword, "192.0.2.1")
	for name, err := range map[string]error{"unknown": unknown, "wrong": wrong, "suspended": suspended} {
		kind(t, name, err, errs.Unauthenticated)
		if err.Error() != unknown.Error() {
			t.Errorf("%s says %q, unknown says %q", name, err, unknown)
		}
	}
}

func TestRepeatedFailuresLockTheAccountUntilTheLockRunsOut(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	for i := range orgsignin.DefaultLimits.MaxFailures {
		_, err := f.password(ctx, "alice@example.com", "guess", "192.0.2."+string(rune('1'+i)))
		kind(t, "a guess", err, errs.Unauthenticated)
	}
	if got := f.status(t); got != directory.LockedOut {
		t.Fatalf("after %d failures alice is %s, want LOCKED_OUT", orgsignin.DefaultLimits.MaxFailures, got)
	}
	_, err := f.password(ctx, "alice@example.com", alicePassword, "198.51.100.7")
	kind(t, "the right password while locked", err, errs.Unauthenticated)
	f.clk.Advance(orgsignin.DefaultLimits.LockoutDuration + time.Second)
	st, err := f.password(ctx, "alice@example.com", alicePassword, "198.51.100.7")
	must(t, err)
	if st.Step != orgsignin.StepDone || f.status(t) != directory.Active {
		t.Fatalf("after the lock ran out: step %s, status %s", st.Step, f.status(t))
	}
}

func TestAnAddressThatKeepsFailingCannotKeepTheOwnerLockedOut(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	for range orgsignin.DefaultLimits.MaxFailures {
		f.password(ctx, "alice@example.com", "guess", "203.0.113.9")
	}
	f.clk.Advance(orgsignin.DefaultLimits.LockoutDuration + time.Second)
	for range orgsignin.DefaultLimits.MaxFailures {
		f.password(ctx, "alice@example.com", "guess", "203.0.113.9") // refused without counting
	}
	if _, err := f.password(ctx, "alice@example.com", alicePassword, "198.51.100.7"); err != nil {
		t.Fatalf("the owner from another address: %v (status %s)", err, f.status(t))
	}
}

func TestTooManyAttemptsFromOneAddressAreThrottled(t *testing.T) {
	f := newFixture(t)
	var err error
	for range orgsignin.DefaultLimits.AttemptsPerUser + 1 {
		_, err = f.password(t.Context(), "bob@example.com", "guess", "192.0.2.50")
	}
	kind(t, "one attempt too many", err, errs.Throttled)
}

// enrolTOTP requires MFA for Engineering and enrols alice's app, returning
// its secret.
func (f *fixture) enrolTOTP(t *testing.T) []byte {
	t.Helper()
	ctx := t.Context()
	must(t, f.s.PutSignOnPolicy(ctx, directory.SignOnPolicy{GroupID: f.eng.ID, RequireMFA: true, IdleLifetime: time.Hour, MaxLifetime: 8 * time.Hour}))
	st, err := f.password(ctx, "alice@example.com", alicePassword, "192.0.2.1")
	must(t, err)
	if st.Step != orgsignin.StepEnroll {
		t.Fatalf("with MFA required and no factor the step is %s, want enroll", st.Step)
	}
	e, err := f.svc.BeginTOTP(ctx, f.alice)
	must(t, err)
	secret := secretOf(t, e.URI)
	must(t, f.svc.ConfirmTOTP(ctx, f.alice.ID, e.FactorID, totp.Code(secret, f.clk.Now())))
	return secret
}

func secretOf(t *testing.T, uri string) []byte {
	t.Helper()
	_, q, _ := strings.Cut(uri, "secret=")
	q, _, _ = strings.Cut(q, "&")
	b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(q)
	if err != nil {
		t.Fatalf("no secret in %s: %v", uri, err)
	}
	return b
}

func TestACodeIsAcceptedOnceAndGuessingIsThrottled(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	secret := f.enrolTOTP(t)
	st, err := f.password(ctx, "alice@example.com", alicePassword, "192.0.2.1")
	must(t, err)
	if st.Step != orgsignin.StepFactor {
		t.Fatalf("with an app enrolled the step is %s, want factor", st.Step)
	}
	kind(t, "the enrolment's code again", f.svc.VerifyTOTP(ctx, f.alice.ID, totp.Code(secret, f.clk.Now())), errs.Unauthenticated)
	f.clk.Advance(30 * time.Second)
	code := totp.Code(secret, f.clk.Now())
	must(t, f.svc.VerifyTOTP(ctx, f.alice.ID, code))
	kind(t, "the same code twice", f.svc.VerifyTOTP(ctx, f.alice.ID, code), errs.Unauthenticated)
	var last error
	for range orgsignin.DefaultLimits.CodesPerUser {
		last = f.svc.VerifyTOTP(ctx, f.alice.ID, "000000")
	}
	kind(t, "guessing", last, errs.Throttled)
}

func TestTheStateBetweenStepsCannotBeForgedOrKeptPastItsLifetime(t *testing.T) {
	f := newFixture(t)
	sealed := f.svc.Seal(orgsignin.State{Login: "alice@example.com", UserID: f.alice.ID, Step: orgsignin.StepDone})
	if _, err := f.svc.Open(sealed); err != nil {
		t.Fatalf("a fresh state does not open: %v", err)
	}
	tampered := []byte(sealed)
	tampered[len(tampered)/2] ^= 1
	kind(t, "an edited state", openErr(f.svc, string(tampered)), errs.Unauthenticated)
	kind(t, "an oversize state", openErr(f.svc, strings.Repeat("A", 5000)), errs.Unauthenticated)
	f.clk.Advance(orgsignin.StateLifetime)
	kind(t, "an expired state", openErr(f.svc, sealed), errs.Unauthenticated)
}

func openErr(s *orgsignin.Service, v string) error {
	_, err := s.Open(v)
	return err
}

func TestALinkSetsThePasswordOnceAndAnExpiredPasswordMustChange(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	bob, err := f.s.CreateUser(ctx, directory.User{Status: directory.Provisioned, Profile: directory.Profile{
		"login": "bob@example.com", "email": "bob@example.com", "firstName": "Bob", "lastName": "Builder"}}, nil)
	must(t, err)
	must(t, f.s.CreateUserToken(ctx, directory.UserToken{Hash: keys.HashSecret("link-secret"), UserID: bob.ID,
		Purpose: directory.ActivationToken, ExpiresAt: f.clk.Now().Add(time.Hour)}))
	kind(t, "a weak password", errOf(f.svc.UseLink(ctx, "link-secret", directory.ActivationToken, "password")), errs.Invalid)
	u, err := f.svc.UseLink(ctx, "link-secret", directory.ActivationToken, "a sturdy passphrase")
	must(t, err)
	if u.Status != directory.Active || !u.Password.Set() {
		t.Fatalf("after activation bob is %s with password %v", u.Status, u.Password.Set())
	}
	kind(t, "the link again", errOf(f.svc.UseLink(ctx, "link-secret", directory.ActivationToken, "another passphrase")), errs.NotFound)

	_, err = f.s.UpdateUser(ctx, bob.ID, "user.account.expire_password", func(u directory.User) (directory.User, error) {
		return directory.Transition(u, directory.OpExpirePassword, f.clk.Now())
	})
	must(t, err)
	st, err := f.password(ctx, "bob@example.com", "a sturdy passphrase", "192.0.2.1")
	must(t, err)
	if st.Step != orgsignin.StepChangePassword {
		t.Fatalf("with an expired password the step is %s", st.Step)
	}
	kind(t, "the same password again", errOf(f.svc.ReplaceExpired(ctx, st, "a sturdy passphrase")), errs.Invalid)
	st, err = f.svc.ReplaceExpired(ctx, st, "a brand new passphrase")
	must(t, err)
	if st.Step != orgsignin.StepDone {
		t.Fatalf("after the change the step is %s", st.Step)
	}
}

func errOf[T any](_ T, err error) error { return err }

func TestASessionEndsWhenIdleAndWhenThePersonIsDeactivated(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	must(t, f.s.PutSignOnPolicy(ctx, directory.SignOnPolicy{GroupID: f.eng.ID, IdleLifetime: 10 * time.Minute, MaxLifetime: time.Hour}))
	st, err := f.password(ctx, "alice@example.com", alicePassword, "192.0.2.1")
	must(t, err)
	value, _, err := f.svc.StartSession(ctx, st, "192.0.2.1", "test")
	must(t, err)
	f.clk.Advance(9 * time.Minute)
	_, _, err = f.svc.Session(ctx, value)
	must(t, err) // activity moves the idle expiry
	f.clk.Advance(9 * time.Minute)
	_, _, err = f.svc.Session(ctx, value)
	must(t, err)
	f.clk.Advance(11 * time.Minute)
	_, _, err = f.svc.Session(ctx, value)
	kind(t, "an idle session", err, errs.Unauthenticated)

	value, _, err = f.svc.StartSession(ctx, st, "192.0.2.1", "test")
	must(t, err)
	_, err = f.s.UpdateUser(ctx, f.alice.ID, "user.lifecycle.deactivate", func(u directory.User) (directory.User, error) {
		return directory.Transition(u, directory.OpDeactivate, f.clk.Now())
	})
	must(t, err)
	_, _, err = f.svc.Session(ctx, value)
	kind(t, "a deactivated person's session", err, errs.Unauthenticated)
}

// FuzzOpenState feeds the sign-in state cookie anything: it never panics
// and opens only what Seal made.
func FuzzOpenState(f *testing.F) {
	clk := clock.NewFake(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	svc, err := orgsignin.New(orgsignin.Config{Hasher: password.NewHasher(password.Params{MemoryKiB: 8, Iterations: 1, Parallelism: 1}, 1, rand.Reader),
		Clock: clk, Random: rand.Reader, Master: clock.Bytes(rand.Reader, 32), Issuer: "fuzz"})
	if err != nil {
		f.Fatal(err)
	}
	good := svc.Seal(orgsignin.State{Login: "a@example.com", Step: orgsignin.StepPassword})
	for _, seed := range []string{good, "", "AAAA", good[:len(good)/2], good + "A", strings.Repeat("_", 2000)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		st, err := svc.Open(v)
		if err == nil && v != good {
			t.Fatalf("%q opened as %+v", v, st)
		}
		if err != nil && errs.KindOf(err) != errs.Unauthenticated {
			t.Fatalf("%q: %v is not a plain refusal", v, err)
		}
	})
}
