// Package signin authenticates Identity Center directory users with their
// password and keeps their access-portal sessions. It locks an account after
// repeated failures and bounds guessing per client address and per user name
// from an address; it records every sign-in, failure and lockout in the system
// log. Cookies and pages belong to the web package; signin only deals in
// opaque session values.
//
// The lockout is neither an oracle nor a weapon. An unknown user name, a
// locked account, a disabled one and a wrong password get the same answer
// after the same work. An address that has failed MaxFailures times for one
// user name since its last right password for it is refused for that name
// until its failure window ends, and its
// refused attempts do not count against the account: an attacker cannot keep
// re-locking the account, and its owner, from another address, signs in
// once the lock has run out.
package signin

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/authn/password"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
)

// Store is what sign-in needs from storage.
type Store interface {
	User(ctx context.Context, id string) (ic.User, error)
	UserByName(ctx context.Context, userName string) (ic.User, error)
	store.Passwords
	store.PortalSessions
	store.RateLimits
	AppendEvent(ctx context.Context, e audit.Event) error
}

// Policy is the sign-in policy.
type Policy struct {
	MaxFailures     int           // failed passwords in a row before the account locks
	LockoutDuration time.Duration // how long a lock lasts
	SessionLifetime time.Duration // portal session lifetime
	// AttemptsPerAddress bounds sign-in attempts from one client address a
	// minute, high enough for an office behind one NAT address;
	// AttemptsPerUser bounds attempts for one user name from one address.
	AttemptsPerAddress int
	AttemptsPerUser    int
}

// DefaultPolicy locks an account for 15 minutes after 5 failures.
var DefaultPolicy = Policy{MaxFailures: 5, LockoutDuration: 15 * time.Minute, SessionLifetime: 8 * time.Hour,
	AttemptsPerAddress: 300, AttemptsPerUser: 10}

// failureWindow is the rate-limit window of an address's failures for a
// user name. Its count covers this window and the last, so an address that
// failed MaxFailures times stays refused for one to two windows: longer
// than the lock, so the owner gets in between an attacker's rounds.
func (p Policy) failureWindow() time.Duration { return 4 * p.LockoutDuration }

// Service signs users in.
type Service struct {
	store  Store
	hasher *password.Hasher
	clock  clock.Clock
	random io.Reader
	policy Policy
	// dummy is a real hash verified for unknown users so that a missing user
	// costs as much time as a wrong password.
	dummy string
}

// New returns a sign-in service.
func New(s Store, h *password.Hasher, clk clock.Clock, random io.Reader, p Policy) (*Service, error) {
	dummy, err := h.Hash(context.Background(), clock.Token(random, 16))
	if err != nil {
		return nil, err
	}
	return &Service{store: s, hasher: h, clock: clk, random: random, policy: p, dummy: dummy}, nil
}

// Policy returns the service's policy.
func (s *Service) Policy() Policy { return s.policy }

// MinPasswordLength is the shortest password an operator may set.
const MinPasswordLength = 8

// SetPassword sets userName's password and clears any lockout.
func (s *Service) SetPassword(ctx context.Context, userName, pw string) error {
	if len(pw) < MinPasswordLength || len(pw) > password.MaxLength {
		return errs.E(errs.Invalid, "a password must be %d to %d characters", MinPasswordLength, password.MaxLength)
	}
	u, err := s.store.UserByName(ctx, userName)
	if err != nil {
		return err
	}
	hash, err := s.hasher.Hash(ctx, pw)
	if err != nil {
		return err
	}
	_, err = s.store.UpdatePasswordState(ctx, u.ID, func(st ic.PasswordState) (ic.PasswordState, error) {
		st.Hash, st.FailedAttempts, st.LockedUntil, st.UpdatedAt = hash, 0, time.Time{}, s.clock.Now()
		return st, nil
	})
	return err
}

// errBadCredentials is deliberately the same for an unknown user, a locked
// or disabled one, one without a password and a wrong password.
func errBadCredentials() error {
	return errs.E(errs.Unauthenticated, "Incorrect username or password. After repeated failures sign-in pauses "+
		"for a while; an administrator can reset your password.")
}

// Authenticate checks userName and password, from clientIP.
func (s *Service) Authenticate(ctx context.Context, userName, pw, clientIP string) (ic.User, error) {
	name := strings.ToLower(userName)
	if err := s.throttle(ctx, clientIP, name); err != nil {
		return ic.User{}, err
	}
	// The address's failures for the name count from its last right
	// password: the number of those (counted over the same windows) is
	// part of the key, so each one starts a new count.
	rights := "signin-ok:" + clientIP + "|" + name
	r, err := s.store.Count(ctx, rights, s.policy.failureWindow())
	if err != nil {
		return ic.User{}, err
	}
	failures := "signin-fail:" + clientIP + "|" + name + "|" + strconv.Itoa(r)
	n, err := s.store.Count(ctx, failures, s.policy.failureWindow())
	if err != nil {
		return ic.User{}, err
	}
	if n >= s.policy.MaxFailures {
		return ic.User{}, s.refuse(ctx, "", userName, pw, "", "too many failures from this address")
	}
	u, st, why, err := s.account(ctx, userName)
	if err != nil {
		return ic.User{}, err
	}
	if why == "" {
		ctx = audit.WithActor(ctx, audit.Actor{Type: "user", ID: u.ID, Name: u.Profile.UserName})
		ok, err := s.hasher.Verify(ctx, st.Hash, pw)
		if err != nil {
			return ic.User{}, err
		}
		if err := s.record(ctx, u.ID, ok); ok || err != nil {
			if err == nil {
				_, _, err = s.store.Hit(ctx, rights, s.policy.failureWindow())
			}
			return u, err
		}
	}
	return ic.User{}, s.refuse(ctx, u.ID, userName, pw, failures, why)
}

// throttle counts one attempt against the address and against the user
// name from that address.
func (s *Service) throttle(ctx context.Context, clientIP, name string) error {
	ok, err := s.store.Allow(ctx, "signin-ip:"+clientIP, time.Minute, s.policy.AttemptsPerAddress)
	if err == nil && ok {
		ok, err = s.store.Allow(ctx, "signin-user:"+clientIP+"|"+name, time.Minute, s.policy.AttemptsPerUser)
	}
	if err == nil && !ok {
		err = errs.E(errs.Throttled, "Too many sign-in attempts from your network. Wait a minute and try again.")
	}
	return err
}

// account finds the user and their password state, and says why they
// cannot sign in at all (unknown, locked, no password, disabled), or "".
func (s *Service) account(ctx context.Context, userName string) (ic.User, ic.PasswordState, string, error) {
	u, err := s.store.UserByName(ctx, userName)
	if errs.Is(err, errs.NotFound) {
		return u, ic.PasswordState{}, "unknown user", nil
	}
	if err != nil {
		return u, ic.PasswordState{}, "", err
	}
	st, err := s.store.PasswordState(ctx, u.ID)
	switch {
	case err != nil:
		return u, st, "", err
	case s.clock.Now().Before(st.LockedUntil):
		return u, st, "locked", nil
	case st.Hash == "" || u.Status != ic.UserEnabled:
		return u, st, "no password or disabled", nil
	}
	return u, st, "", nil
}

// refuse answers a failed sign-in. Unless the password was checked (why is
// empty; the store logged that failure with the account's count) it spends
// the time of a check on a dummy hash, so every refusal costs the same, and
// logs why. It counts the failure against the address when failures is set.
func (s *Service) refuse(ctx context.Context, userID, userName, pw, failures, why string) error {
	if why != "" {
		_, _ = s.hasher.Verify(ctx, s.dummy, pw)
		s.deny(ctx, userID, userName, why)
	}
	if failures != "" {
		if _, err := s.store.Allow(ctx, failures, s.policy.failureWindow(), s.policy.MaxFailures); err != nil {
			return err
		}
	}
	return errBadCredentials()
}

// record updates the account's failure count after a password check,
// locking the account at MaxFailures.
func (s *Service) record(ctx context.Context, userID string, ok bool) error {
	_, err := s.store.UpdatePasswordState(ctx, userID, func(st ic.PasswordState) (ic.PasswordState, error) {
		if ok {
			st.FailedAttempts, st.LockedUntil = 0, time.Time{}
			return st, nil
		}
		st.FailedAttempts++
		if st.FailedAttempts >= s.policy.MaxFailures {
			st.FailedAttempts, st.LockedUntil = 0, s.clock.Now().Add(s.policy.LockoutDuration)
		}
		return st, nil
	})
	return err
}

func (s *Service) deny(ctx context.Context, userID, userName, why string) {
	e := audit.New(ctx, "user.signin", "user", userID)
	e.Outcome, e.Message = audit.Failure, fmt.Sprintf("sign-in refused for %q: %s", userName, why)
	_ = s.store.AppendEvent(ctx, e) // the refusal stands even if logging it fails
}

// StartSession opens a portal session for userID and returns the value to
// put in the session cookie.
func (s *Service) StartSession(ctx context.Context, userID string) (string, ic.PortalSession, error) {
	return s.StartFederatedSession(ctx, userID, time.Time{}, nil)
}

// StartFederatedSession opens a portal session for a person an external
// identity provider signed in: it ends at the portal's session lifetime or
// at ends (the identity provider's SessionNotOnOrAfter), whichever is
// sooner, and keeps the attributes for access control it sent.
func (s *Service) StartFederatedSession(ctx context.Context, userID string, ends time.Time,
	accessControl map[string]string) (string, ic.PortalSession, error) {
	value := clock.Token(s.random, 32)
	now := s.clock.Now()
	ps := ic.PortalSession{IDHash: keys.HashSecret(value), UserID: userID, CreatedAt: now,
		ExpiresAt: now.Add(s.policy.SessionLifetime), AccessControl: accessControl}
	if !ends.IsZero() && ends.Before(ps.ExpiresAt) {
		ps.ExpiresAt = ends
	}
	return value, ps, s.store.CreatePortalSession(ctx, ps)
}

// Session resolves a cookie value to a live session of an enabled user.
func (s *Service) Session(ctx context.Context, value string) (ic.PortalSession, ic.User, error) {
	if value == "" || len(value) > 128 {
		return ic.PortalSession{}, ic.User{}, errs.E(errs.Unauthenticated, "not signed in")
	}
	ps, err := s.store.PortalSession(ctx, keys.HashSecret(value))
	if err == nil && !s.clock.Now().Before(ps.ExpiresAt) {
		err = errs.E(errs.Unauthenticated, "session expired")
	}
	if errs.Is(err, errs.NotFound) {
		err = errs.E(errs.Unauthenticated, "not signed in")
	}
	if err != nil {
		return ps, ic.User{}, err
	}
	u, err := s.store.User(ctx, ps.UserID)
	if errs.Is(err, errs.NotFound) || (err == nil && u.Status != ic.UserEnabled) {
		e := audit.New(ctx, "portal.session.deny", "user", ps.UserID)
		e.Outcome, e.Message = audit.Failure, "portal page refused: "+ic.UserGone(u.Status)
		_ = s.store.AppendEvent(ctx, e) // the refusal stands even if logging it fails
		return ps, ic.User{}, errs.E(errs.Unauthenticated, "%s", ic.UserGone(u.Status))
	}
	return ps, u, err
}

// EndSession deletes the session behind a cookie value.
func (s *Service) EndSession(ctx context.Context, value string) error {
	if value == "" {
		return nil
	}
	return s.store.DeletePortalSession(ctx, keys.HashSecret(value))
}
