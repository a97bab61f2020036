package signin_test

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/authn/password"
	"github.com/keyward/keyward/internal/authn/signin"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

// fixture is the sign-in service on a temporary SQLite store with one
// user, alice, whose password is set.
type fixture struct {
	svc *signin.Service
	db  *sqlite.DB
	clk *clock.Fake
}

const alicePassword = "correct-horse-9"

func newFixture(t *testing.T) fixture {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	db := sqlitetest.Open(t, clk)
	h := password.NewHasher(password.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1}, 2, rand.Reader)
	svc, err := signin.New(db, h, clk, rand.Reader, signin.DefaultPolicy)
	if err != nil {
		t.Fatal(err)
	}
	u := ic.User{ID: "0123456789-00000000-0000-4000-8000-000000000001", Profile: ic.Profile{UserName: "alice"},
		Status: ic.UserEnabled, CreatedAt: clk.Now()}
	if err := db.CreateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetPassword(t.Context(), "alice", alicePassword); err != nil {
		t.Fatal(err)
	}
	return fixture{svc: svc, db: db, clk: clk}
}

func (f fixture) try(user, pw, ip string) error {
	_, err := f.svc.Authenticate(context.Background(), user, pw, ip)
	return err
}

func TestTheRightPasswordSignsInAndAWrongOneIsRefused(t *testing.T) {
	f := newFixture(t)
	if err := f.try("ALICE", alicePassword, "192.0.2.1"); err != nil {
		t.Fatalf("right password (name in another case): %v", err)
	}
	if err := f.try("alice", "wrong", "192.0.2.1"); !errs.Is(err, errs.Unauthenticated) {
		t.Fatalf("wrong password: %v, want Unauthenticated", err)
	}
}

func TestEveryRefusalLooksTheSame(t *testing.T) {
	f := newFixture(t)
	for range 5 {
		f.try("alice", "wrong", "203.0.113.9")
	}
	refusals := map[string]error{
		"locked account, right password": f.try("alice", alicePassword, "198.51.100.7"),
		"unknown name":                   f.try("nobody", alicePassword, "198.51.100.7"),
		"wrong password":                 f.try("alice", "wrong", "198.51.100.8"),
	}
	want := refusals["wrong password"]
	for name, err := range refusals {
		e, ok := errs.As(err)
		if !ok || e.Kind != errs.Unauthenticated || err.Error() != want.Error() {
			t.Errorf("%s: %v, want the same answer as a wrong password (%v)", name, err, want)
		}
	}
}

func TestAnAddressThatKeepsFailingCannotReLockTheAccount(t *testing.T) {
	f := newFixture(t)
	const attacker, owner = "203.0.113.9", "198.51.100.7"
	for range 5 {
		f.try("alice", "wrong", attacker)
	}
	f.clk.Advance(signin.DefaultPolicy.LockoutDuration + time.Second)
	for range 10 {
		f.try("alice", "wrong", attacker)
	}
	st, err := f.db.PasswordState(context.Background(), "0123456789-00000000-0000-4000-8000-000000000001")
	if err != nil {
		t.Fatal(err)
	}
	if st.FailedAttempts != 0 || f.clk.Now().Before(st.LockedUntil) {
		t.Errorf("the throttled address still counts against the account: %+v", st)
	}
	if err := f.try("alice", alicePassword, owner); err != nil {
		t.Errorf("the owner after the lock: %v", err)
	}
	if err := f.try("alice", alicePassword, attacker); err == nil {
		t.Error("the throttled address signed in")
	}
	f.clk.Advance(8 * signin.DefaultPolicy.LockoutDuration) // two failure windows
	if err := f.try("alice", alicePassword, attacker); err != nil {
		t.Errorf("the address after its failure windows: %v", err)
	}
}

func TestAttemptsAreLimitedPerAddressAndPerNameFromAnAddress(t *testing.T) {
	f := newFixture(t)
	for i := range signin.DefaultPolicy.AttemptsPerUser {
		if err := f.try("bob", "guess", "192.0.2.1"); errs.Is(err, errs.Throttled) {
			t.Fatalf("attempt %d for one name was throttled", i+1)
		}
	}
	if err := f.try("bob", "guess", "192.0.2.1"); !errs.Is(err, errs.Throttled) {
		t.Errorf("attempt %d for one name from one address: %v, want Throttled", signin.DefaultPolicy.AttemptsPerUser+1, err)
	}
	if err := f.try("alice", alicePassword, "192.0.2.1"); err != nil {
		t.Errorf("another name from the same address: %v", err)
	}
}

// Wrong passwords count in a row from an address: a few typos, a sign-in
// and one more typo from the same desk within the hour must not refuse the
// person's right password there (the address's count ran on across the
// sign-in, and the fifth typo refused it for one to two hours).
func TestASignInStartsTheAddresssCountAgain(t *testing.T) {
	f := newFixture(t)
	const desk = "192.0.2.1"
	for range signin.DefaultPolicy.MaxFailures - 1 {
		f.try("alice", "a typo", desk)
	}
	if err := f.try("alice", alicePassword, desk); err != nil {
		t.Fatalf("the right password after the typos: %v", err)
	}
	f.clk.Advance(10 * time.Minute)
	f.try("alice", "another typo", desk)
	f.clk.Advance(time.Minute)
	if err := f.try("alice", alicePassword, desk); err != nil {
		t.Fatalf("the right password from her desk after %d typos, a sign-in and one typo: %v", signin.DefaultPolicy.MaxFailures-1, err)
	}
}
