package directory

import (
	"slices"
	"time"

	"github.com/keyward/keyward/internal/errs"
)

// Op is a lifecycle operation: Okta's lifecycle endpoints plus the steps a
// person's own actions and sign-in failures take.
type Op string

// The operations. The first eight are Okta's /lifecycle/ endpoints.
const (
	OpActivate       Op = "activate"
	OpReactivate     Op = "reactivate"
	OpDeactivate     Op = "deactivate"
	OpSuspend        Op = "suspend"
	OpUnsuspend      Op = "unsuspend"
	OpUnlock         Op = "unlock"
	OpExpirePassword Op = "expire_password"
	OpResetPassword  Op = "reset_password"
	// OpLock is the lockout after too many failed sign-ins.
	OpLock Op = "lock"
	// OpSetPassword is a person finishing activation or a reset through
	// their one-time link, or replacing an expired password.
	OpSetPassword Op = "set_password"
)

// transition is where an operation may start and where it leads.
type transition struct {
	from []Status
	to   func(User) Status
}

func to(s Status) func(User) Status { return func(User) Status { return s } }

var allButDeprovisioned = []Status{Staged, Provisioned, Active, Recovery, PasswordExpired, LockedOut, Suspended}

// transitions is Okta's status-transition matrix (okta-api.md §3).
var transitions = map[Op]transition{
	OpActivate:       {[]Status{Staged, Deprovisioned}, activated},
	OpReactivate:     {[]Status{Provisioned, Recovery}, to(Provisioned)},
	OpDeactivate:     {allButDeprovisioned, to(Deprovisioned)},
	OpSuspend:        {[]Status{Active}, to(Suspended)},
	OpUnsuspend:      {[]Status{Suspended}, to(Active)},
	OpUnlock:         {[]Status{LockedOut, Active}, unlocked},
	OpExpirePassword: {[]Status{Active, PasswordExpired, LockedOut}, to(PasswordExpired)},
	OpResetPassword:  {[]Status{Active, Recovery, PasswordExpired, LockedOut}, to(Recovery)},
	OpLock:           {[]Status{Active, PasswordExpired}, to(LockedOut)},
	OpSetPassword:    {[]Status{Provisioned, Recovery, PasswordExpired}, to(Active)},
}

// unlocked is where an unlock leads: back to PASSWORD_EXPIRED when the
// password had expired before the lockout, else ACTIVE.
func unlocked(u User) Status {
	if u.Status == LockedOut && u.Password.Expired {
		return PasswordExpired
	}
	return Active
}

// activated is where activation leads: ACTIVE with a password, else
// PROVISIONED until the person sets one through the activation link.
func activated(u User) Status {
	if u.Password.Set() {
		return Active
	}
	return Provisioned
}

// Transition applies op to u at now. It refuses, changing nothing, an
// operation Okta does not allow in u's status (errs.Conflict with Reason
// ReasonStatus, or ReasonActive for activating an active user), and
// expire_password for a user with no password. StatusChanged becomes now
// when the status changes, and at every unlock.
func Transition(u User, op Op, now time.Time) (User, error) {
	t, ok := transitions[op]
	if !ok {
		return u, errs.E(errs.Invalid, "unknown lifecycle operation %q", op)
	}
	if !slices.Contains(t.from, u.Status) {
		return u, statusError(u, op)
	}
	if op == OpExpirePassword && !u.Password.Set() {
		return u, &errs.Error{Kind: errs.Conflict, Reason: ReasonStatus,
			Message: "This operation is not allowed for a user with no password"}
	}
	next := t.to(u)
	switch op {
	case OpActivate:
		u.Activated = now
	case OpLock:
		// The lock hides PASSWORD_EXPIRED; the password keeps it.
		u.Password.Expired = u.Status == PasswordExpired
	case OpUnlock, OpExpirePassword, OpSetPassword:
		// PASSWORD_EXPIRED is the status again, or not at all.
		u.Password.Expired = false
	}
	// An unlock always restarts the status clock, even of an ACTIVE user:
	// it clears blocks (Okta), and sign-in keys its failure counts to it.
	if next != u.Status || op == OpUnlock {
		u.Status, u.StatusChanged = next, now
	}
	return u, nil
}

func statusError(u User, op Op) *errs.Error {
	if op == OpActivate && u.Status != Staged && u.Status != Deprovisioned {
		return &errs.Error{Kind: errs.Conflict, Reason: ReasonActive,
			Message: "Activation failed because the user is already active"}
	}
	return &errs.Error{Kind: errs.Conflict, Reason: ReasonStatus,
		Message: "This operation is not allowed in the user's current status: " + string(u.Status)}
}
