package directory

import (
	"testing"
	"time"

	"github.com/keyward/keyward/internal/errs"
)

// TestTransitionsFollowOktasMatrix walks every operation from every status
// and checks where it leads, or that it is refused with nothing changed.
func TestTransitionsFollowOktasMatrix(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	withPassword := Password{Hash: "$argon2id$..."}
	type want struct {
		to     Status
		reason string // when refused
	}
	refused := func(reason string) want { return want{reason: reason} }
	status := refused(ReasonStatus)
	cases := map[Op]map[Status]want{
		OpActivate:   {Staged: {to: Active}, Deprovisioned: {to: Active}, Active: refused(ReasonActive), Suspended: refused(ReasonActive)},
		OpReactivate: {Provisioned: {to: Provisioned}, Recovery: {to: Provisioned}, Active: status, Staged: status},
		OpDeactivate: {Staged: {to: Deprovisioned}, Active: {to: Deprovisioned}, Suspended: {to: Deprovisioned}, Deprovisioned: status},
		OpSuspend:    {Active: {to: Suspended}, Staged: status, Provisioned: status, Suspended: status},
		OpUnsuspend:  {Suspended: {to: Active}, Active: status},
		OpUnlock:     {LockedOut: {to: Active}, Active: {to: Active}, Suspended: status},
		OpResetPassword: {Active: {to: Recovery}, LockedOut: {to: Recovery}, Recovery: {to: Recovery},
			Staged: status, Suspended: status, Deprovisioned: status},
		OpExpirePassword: {Active: {to: PasswordExpired}, Staged: status, Deprovisioned: status},
		OpLock:           {Active: {to: LockedOut}, Suspended: status},
		OpSetPassword:    {Provisioned: {to: Active}, Recovery: {to: Active}, PasswordExpired: {to: Active}, Active: status},
	}
	for op, froms := range cases {
		for from, w := range froms {
			t.Run(string(op)+" from "+string(from), func(t *testing.T) {
				u := User{ID: "00u1", Status: from, Password: withPassword}
				got, err := Transition(u, op, now)
				if w.reason != "" {
					e, ok := errs.As(err)
					if !ok || e.Kind != errs.Conflict || e.Reason != w.reason {
						t.Fatalf("err = %v, want a %s conflict", err, w.reason)
					}
					if got.Status != from || !got.StatusChanged.IsZero() {
						t.Fatalf("a refused operation changed the user: %+v", got)
					}
					return
				}
				if err != nil || got.Status != w.to {
					t.Fatalf("got %s, %v; want %s", got.Status, err, w.to)
				}
				if (w.to != from || op == OpUnlock) && !got.StatusChanged.Equal(now) {
					t.Errorf("statusChanged = %v, want %v", got.StatusChanged, now)
				}
			})
		}
	}
}

func TestActivatingWithoutAPasswordWaitsForThePersonToSetOne(t *testing.T) {
	u, err := Transition(User{Status: Staged}, OpActivate, time.Now())
	if err != nil || u.Status != Provisioned || u.Activated.IsZero() {
		t.Fatalf("got %s (activated %v), %v; want PROVISIONED with an activation time", u.Status, u.Activated, err)
	}
}

func TestExpiringThePasswordOfSomeoneWithoutOneIsRefused(t *testing.T) {
	if _, err := Transition(User{Status: Active}, OpExpirePassword, time.Now()); !errs.Is(err, errs.Conflict) {
		t.Fatalf("err = %v, want a conflict", err)
	}
}

// TestAnExpiredPasswordStaysExpiredAcrossALockout: a PASSWORD_EXPIRED
// user who locks themselves out must still change their password once the
// lock is lifted (by time or by an admin's unlock), not come back ACTIVE.
func TestAnExpiredPasswordStaysExpiredAcrossALockout(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	u := User{ID: "00u1", Status: Active, Password: Password{Hash: "$argon2id$..."}}
	u, err := Transition(u, OpExpirePassword, now)
	if err != nil {
		t.Fatal(err)
	}
	u, err = Transition(u, OpLock, now.Add(time.Minute))
	if err != nil || u.Status != LockedOut {
		t.Fatalf("lock: %s, %v", u.Status, err)
	}
	u, err = Transition(u, OpUnlock, now.Add(time.Hour))
	if err != nil || u.Status != PasswordExpired {
		t.Fatalf("unlock of a locked user whose password had expired: %s, %v; want PASSWORD_EXPIRED", u.Status, err)
	}
	// Setting a new password ends it; a later lockout unlocks to ACTIVE.
	u.Password = Password{Hash: "$argon2id$new"}
	if u, err = Transition(u, OpSetPassword, now.Add(2*time.Hour)); err != nil || u.Status != Active {
		t.Fatalf("set password: %s, %v", u.Status, err)
	}
	u, _ = Transition(u, OpLock, now.Add(3*time.Hour))
	if u, err = Transition(u, OpUnlock, now.Add(4*time.Hour)); err != nil || u.Status != Active {
		t.Fatalf("unlock after the password was changed: %s, %v; want ACTIVE", u.Status, err)
	}
}
