package directory

import (
	"strings"
	"time"
)

// Status is a user's lifecycle status, exactly Okta's values.
type Status string

// The statuses.
const (
	Staged          Status = "STAGED"
	Provisioned     Status = "PROVISIONED" // activated without a password: waiting for the person to set one
	Active          Status = "ACTIVE"
	Recovery        Status = "RECOVERY" // a password reset is under way
	PasswordExpired Status = "PASSWORD_EXPIRED"
	LockedOut       Status = "LOCKED_OUT"
	Suspended       Status = "SUSPENDED"
	Deprovisioned   Status = "DEPROVISIONED"
)

// CanSignIn reports whether a person in status s may start a sign-in.
// PASSWORD_EXPIRED may: the sign-in ends in a password change.
func (s Status) CanSignIn() bool { return s == Active || s == PasswordExpired }

// User is a person in the directory.
type User struct {
	ID     string
	Status Status
	// Type is the user type's id; empty means the default type.
	Type    string
	Profile Profile
	// Password is the person's password credential; its zero value means
	// none is set.
	Password Password
	Created  time.Time
	// Activated, StatusChanged, LastLogin and PasswordChanged are zero
	// until they first happen (Okta sends them as null).
	Activated     time.Time
	StatusChanged time.Time
	LastLogin     time.Time
	LastUpdated   time.Time
}

// Password is a password credential: the argon2id hash of the current
// password and of recent ones (newest first) for the history rule.
type Password struct {
	Hash    string
	Changed time.Time
	History []string
	// Expired is set when the password was PASSWORD_EXPIRED as the account
	// locked out, so that lifting the lock returns to PASSWORD_EXPIRED and
	// the person must still change it. A new password clears it.
	Expired bool
}

// Set reports whether a password is set.
func (p Password) Set() bool { return p.Hash != "" }

// Login is the user's sign-in name.
func (u User) Login() string { return u.Profile.String(AttrLogin) }

// DisplayName is how pages and the log name the user: the display name,
// else first and last name, else the login.
func (u User) DisplayName() string {
	if d := u.Profile.String("displayName"); d != "" {
		return d
	}
	if n := strings.TrimSpace(u.Profile.String("firstName") + " " + u.Profile.String("lastName")); n != "" {
		return n
	}
	return u.Login()
}

// NormalizeLogin folds a login for uniqueness and lookup: logins are unique
// regardless of case.
func NormalizeLogin(login string) string { return strings.ToLower(login) }
