package directory

import "time"

// NewUser builds the user a create asks for, in the status Okta gives it:
// STAGED with profile p (nulls dropped) and password credential pw (its zero
// value for none); with activate, the activation Transition moves it on:
// ACTIVE with a password, PROVISIONED without one. It does not validate the
// profile or check the password against a policy: the caller holds the
// schema and the hasher, and does both first.
func NewUser(p Profile, pw Password, activate bool, now time.Time) (User, error) {
	u := User{Status: Staged, Profile: p.Compact(), Password: pw, Created: now}
	if !activate {
		return u, nil
	}
	return Transition(u, OpActivate, now)
}
