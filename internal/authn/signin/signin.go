// Package signin authenticates Identity Center directory users with their
// password and keeps their access-portal sessions. It enforces lockout after
// repeated failures and bounds guessing per client address; it records every
// sign-in, failure and lockout in the system log. Cookies and pages belong to
// the web package; signin only deals in opaque session values.
package signin

import (
	"context"
	"fmt"
	"io"
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
	MaxFailures     int           // failures before lockout
	LockoutDuration time.Duration // how long a lockout lasts
	SessionLifetime time.Duration // portal session lifetime
	AttemptsPerIP   int           // sign-in attempts per client address per minute
}

// DefaultPolicy locks an account for 15 minutes after 5 failures.
var DefaultPolicy = Policy{MaxFailures: 5, LockoutDuration: 15 * time.Minute, SessionLifetime: 8 * time.Hour, AttemptsPerIP: 30}

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

// errBadCredentials is deliberately the same for an unknown user, a disabled
// one, one without a password and a wrong password.
func errBadCredentials() error {
	return errs.E(errs.Unauthenticated, "Incorrect username or password.")
}

// Authenticate checks userName and password, from clientIP.
func (s *Service) Authenticate(ctx context.Context, userName, pw, clientIP string) (ic.User, error) {
	if ok, err := s.store.Allow(ctx, "signin-ip:"+clientIP, time.Minute, s.policy.AttemptsPerIP); err != nil || !ok {
		if err == nil {
			err = errs.E(errs.Throttled, "Too many sign-in attempts from your network. Wait a minute and try again.")
		}
		return ic.User{}, err
	}
	u, err := s.store.UserByName(ctx, userName)
	if errs.Is(err, errs.NotFound) {
		_, _ = s.hasher.Verify(ctx, s.dummy, pw)
		s.deny(ctx, "", userName, "unknown user")
		return ic.User{}, errBadCredentials()
	}
	if err != nil {
		return ic.User{}, err
	}
	ctx = audit.WithActor(ctx, audit.Actor{Type: "user", ID: u.ID, Name: u.Profile.UserName})
	st, err := s.store.PasswordState(ctx, u.ID)
	if err != nil {
		return ic.User{}, err
	}
	if now := s.clock.Now(); now.Before(st.LockedUntil) {
		s.deny(ctx, u.ID, userName, "locked")
		return ic.User{}, locked(st.LockedUntil.Sub(now))
	}
	if st.Hash == "" || u.Status != ic.UserEnabled {
		_, _ = s.hasher.Verify(ctx, s.dummy, pw)
		s.deny(ctx, u.ID, userName, "no password or disabled")
		return ic.User{}, errBadCredentials()
	}
	ok, err := s.hasher.Verify(ctx, st.Hash, pw)
	if err != nil {
		return ic.User{}, err
	}
	return u, s.record(ctx, u.ID, ok)
}

// record updates the failure counter after a password check.
func (s *Service) record(ctx context.Context, userID string, ok bool) error {
	var lockedFor time.Duration
	_, err := s.store.UpdatePasswordState(ctx, userID, func(st ic.PasswordState) (ic.PasswordState, error) {
		if ok {
			st.FailedAttempts, st.LockedUntil = 0, time.Time{}
			return st, nil
		}
		st.FailedAttempts++
		if st.FailedAttempts >= s.policy.MaxFailures {
			st.FailedAttempts, st.LockedUntil = 0, s.clock.Now().Add(s.policy.LockoutDuration)
			lockedFor = s.policy.LockoutDuration
		}
		return st, nil
	})
	switch {
	case err != nil:
		return err
	case lockedFor > 0:
		return locked(lockedFor)
	case !ok:
		return errBadCredentials()
	}
	return nil
}

func locked(d time.Duration) error {
	mins := int(d.Round(time.Minute) / time.Minute)
	if mins < 1 {
		mins = 1
	}
	return errs.E(errs.Throttled, "Your account is locked after too many failed sign-in attempts. Try again in %d minute%s, or ask an administrator to reset your password.", mins, plural(mins))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func (s *Service) deny(ctx context.Context, userID, userName, why string) {
	e := audit.New(ctx, "user.signin", "user", userID)
	e.Outcome, e.Message = audit.Failure, fmt.Sprintf("sign-in refused for %q: %s", userName, why)
	_ = s.store.AppendEvent(ctx, e) // the refusal stands even if logging it fails
}

// StartSession opens a portal session for userID and returns the value to
// put in the session cookie.
func (s *Service) StartSession(ctx context.Context, userID string) (string, ic.PortalSession, error) {
	value := clock.Token(s.random, 32)
	now := s.clock.Now()
	ps := ic.PortalSession{IDHash: keys.HashSecret(value), UserID: userID, CreatedAt: now, ExpiresAt: now.Add(s.policy.SessionLifetime)}
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
	if err == nil && u.Status != ic.UserEnabled {
		err = errs.E(errs.Unauthenticated, "user disabled")
	}
	if errs.Is(err, errs.NotFound) {
		err = errs.E(errs.Unauthenticated, "user removed")
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
