package orgsignin_test

import (
	"testing"
	"time"

	"github.com/keyward/keyward/internal/authn/orgsignin"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// Once an administrator unlocks an account its count of wrong passwords
// starts again, as in Okta: one typo after the unlock must not lock it
// straight back.
func TestAnUnlockedAccountStartsItsFailureCountAgain(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	for range orgsignin.DefaultLimits.MaxFailures {
		f.password(ctx, "alice@example.com", "guess", "192.0.2.1")
	}
	if got := f.status(t); got != directory.LockedOut {
		t.Fatalf("after the failures alice is %s, want LOCKED_OUT", got)
	}
	_, err := f.s.UpdateUser(ctx, f.alice.ID, "user.account.unlock_by_admin", func(u directory.User) (directory.User, error) {
		return directory.Transition(u, directory.OpUnlock, f.clk.Now())
	})
	must(t, err)
	_, err = f.password(ctx, "alice@example.com", "a typo", "198.51.100.7")
	kind(t, "one wrong password after the unlock", err, errs.Unauthenticated)
	if got := f.status(t); got != directory.Active {
		t.Fatalf("one wrong password after an administrator's unlock left alice %s, want ACTIVE", got)
	}
	if _, err := f.password(ctx, "alice@example.com", alicePassword, "198.51.100.7"); err != nil {
		t.Fatalf("the right password after the unlock: %v", err)
	}
}

// The lockout counts wrong passwords in a row: signing in starts the
// count again, so a few typos on each of several days never add up to a
// lock.
func TestASignInStartsTheFailureCountAgain(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	for range orgsignin.DefaultLimits.MaxFailures - 1 {
		f.password(ctx, "alice@example.com", "a typo", "192.0.2.1")
	}
	st, err := f.password(ctx, "alice@example.com", alicePassword, "192.0.2.1")
	must(t, err)
	_, _, err = f.svc.StartSession(ctx, st, "192.0.2.1", "test")
	must(t, err)
	f.clk.Advance(time.Minute)
	_, err = f.password(ctx, "alice@example.com", "another typo", "192.0.2.2")
	kind(t, "a typo after signing in", err, errs.Unauthenticated)
	if got := f.status(t); got != directory.Active {
		t.Fatalf("%d typos, a sign-in, then one typo left alice %s, want ACTIVE", orgsignin.DefaultLimits.MaxFailures-1, got)
	}
}

// Changing one's password asks for the current one, so that form is a
// password check like the sign-in's and is bounded like it: whoever holds
// a session left open cannot use it to guess the password without end.
func TestGuessingTheCurrentPasswordIsBounded(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	const newPassword = "a brand new passphrase"
	for i := range orgsignin.DefaultLimits.MaxFailures {
		_, err := f.svc.ChangePassword(ctx, f.alice, "guess "+string(rune('a'+i)), newPassword)
		kind(t, "a wrong current password", err, errs.Unauthenticated)
	}
	_, err := f.svc.ChangePassword(ctx, f.alice, alicePassword, newPassword)
	kind(t, "the right current password after the guesses", err, errs.Throttled)
	f.clk.Advance(orgsignin.DefaultLimits.LockoutDuration + time.Second)
	if _, err := f.svc.ChangePassword(ctx, f.alice, alicePassword, newPassword); err != nil {
		t.Fatalf("changing the password once the window has passed: %v", err)
	}
}

// After an administrator unlocks an account its owner signs in as usual,
// as in Okta, from the address whose wrong passwords locked it too. The
// address's count starts again only then: once it has failed that many
// times again, the lock it causes running out does not clear it.
func TestAnUnlockedAccountSignsInFromTheAddressThatLockedIt(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	const home = "192.0.2.1"
	for range orgsignin.DefaultLimits.MaxFailures {
		f.password(ctx, "alice@example.com", "a typo", home)
	}
	if got := f.status(t); got != directory.LockedOut {
		t.Fatalf("after the typos alice is %s, want LOCKED_OUT", got)
	}
	f.clk.Advance(time.Minute)
	_, err := f.s.UpdateUser(ctx, f.alice.ID, "user.account.unlock_by_admin", func(u directory.User) (directory.User, error) {
		return directory.Transition(u, directory.OpUnlock, f.clk.Now())
	})
	must(t, err)
	if _, err := f.password(ctx, "alice@example.com", alicePassword, home); err != nil {
		t.Fatalf("the right password from alice's address after an administrator's unlock: %v", err)
	}

	t.Run("the address cannot clear its own count", func(t *testing.T) {
		f.clk.Advance(time.Minute)
		for range orgsignin.DefaultLimits.MaxFailures {
			f.password(ctx, "alice@example.com", "guess", home)
		}
		if got := f.status(t); got != directory.LockedOut {
			t.Fatalf("after the guesses alice is %s, want LOCKED_OUT", got)
		}
		f.clk.Advance(orgsignin.DefaultLimits.LockoutDuration + time.Second)
		_, err := f.password(ctx, "alice@example.com", alicePassword, home)
		kind(t, "the right password from the address once the lock ran out", err, errs.Unauthenticated)
		if got := f.status(t); got != directory.Active {
			t.Fatalf("after the lock ran out alice is %s, want ACTIVE", got)
		}
		if _, err := f.password(ctx, "alice@example.com", alicePassword, "198.51.100.7"); err != nil {
			t.Fatalf("from another address: %v", err)
		}
	})
}

// An administrator's unlock lets the person in from the address that
// locked the account even when the lock had already run out and the
// account is ACTIVE again (Okta's unlock of an ACTIVE user clears its
// blocks): sign-in lifts a spent lock only at the next attempt, so the
// administrator often finds the account ACTIVE.
func TestAnAdministratorsUnlockOfAnActiveAccountClearsTheAddress(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	const home = "192.0.2.1"
	for range orgsignin.DefaultLimits.MaxFailures {
		f.password(ctx, "alice@example.com", "a typo", home)
	}
	f.clk.Advance(orgsignin.DefaultLimits.LockoutDuration + time.Second)
	_, err := f.password(ctx, "alice@example.com", alicePassword, home)
	kind(t, "the right password from the address once the lock ran out", err, errs.Unauthenticated)
	if got := f.status(t); got != directory.Active {
		t.Fatalf("after the lock ran out alice is %s, want ACTIVE", got)
	}
	f.clk.Advance(time.Minute)
	_, err = f.s.UpdateUser(ctx, f.alice.ID, "user.account.unlock_by_admin", func(u directory.User) (directory.User, error) {
		return directory.Transition(u, directory.OpUnlock, f.clk.Now())
	})
	must(t, err)
	if _, err := f.password(ctx, "alice@example.com", alicePassword, home); err != nil {
		t.Fatalf("the right password from alice's address after an administrator unlocked her ACTIVE account: %v", err)
	}
}

// Wrong passwords count in a row from an address too: a person who
// mistypes a few times, signs in, and mistypes once more later from the
// same desk is not refused their right password there. (Before, the
// address's count ran on across the sign-in, and the MaxFailures-th typo
// within the hour refused the person's own password from their own
// address for up to two hours, with the "incorrect password" answer.)
func TestASignInStartsTheAddresssCountAgain(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	const desk = "192.0.2.1"
	for range orgsignin.DefaultLimits.MaxFailures - 1 {
		f.password(ctx, "alice@example.com", "a typo", desk)
	}
	st, err := f.password(ctx, "alice@example.com", alicePassword, desk)
	must(t, err)
	_, _, err = f.svc.StartSession(ctx, st, desk, "test")
	must(t, err)
	f.clk.Advance(10 * time.Minute)
	_, err = f.password(ctx, "alice@example.com", "another typo", desk)
	kind(t, "a typo after signing in", err, errs.Unauthenticated)
	f.clk.Advance(time.Minute)
	if _, err := f.password(ctx, "alice@example.com", alicePassword, desk); err != nil {
		t.Fatalf("the right password from her desk after %d typos, a sign-in and one typo: %v (status %s)",
			orgsignin.DefaultLimits.MaxFailures-1, err, f.status(t))
	}
}
