package orgsignin

import (
	"context"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/keys"
)

// touchEvery is how stale a session's last activity may get before a
// request records new activity: not every page view writes.
const touchEvery = time.Minute

func errSignedOut() error { return errs.E(errs.Unauthenticated, "not signed in") }

// StartSession starts a session for a sign-in that is done, with the
// person's policy's lifetimes, and returns the cookie value.
func (s *Service) StartSession(ctx context.Context, st State, clientIP, userAgent string) (string, directory.Session, error) {
	if st.Step != StepDone || st.UserID == "" {
		return "", directory.Session{}, errStateEnded()
	}
	p, err := s.Policy(ctx, st.UserID)
	if err != nil {
		return "", directory.Session{}, err
	}
	now := s.now()
	value := clock.Token(s.cfg.Random, 32)
	ss := directory.Session{IDHash: keys.HashSecret(value), UserID: st.UserID, LastActive: now,
		IdleExpiresAt: now.Add(p.IdleLifetime), ExpiresAt: now.Add(p.MaxLifetime), AMR: st.AMR,
		IP: clientIP, UserAgent: userAgent}
	if err := s.cfg.Store.CreateIdPSession(ctx, ss); err != nil {
		return "", directory.Session{}, err
	}
	return value, ss, nil
}

// Session returns the live session behind a cookie value and its person,
// who must still be allowed to sign in. Activity moves the idle expiry.
func (s *Service) Session(ctx context.Context, value string) (directory.Session, directory.User, error) {
	if value == "" || len(value) > 128 {
		return directory.Session{}, directory.User{}, errSignedOut()
	}
	ss, err := s.cfg.Store.IdPSession(ctx, keys.HashSecret(value))
	if errs.Is(err, errs.NotFound) {
		return ss, directory.User{}, errSignedOut()
	}
	if err != nil {
		return ss, directory.User{}, err
	}
	u, err := s.cfg.Store.User(ctx, ss.UserID)
	if errs.Is(err, errs.NotFound) || (err == nil && !u.Status.CanSignIn()) {
		return ss, u, errSignedOut()
	}
	if err != nil {
		return ss, u, err
	}
	return ss, u, s.touch(ctx, ss)
}

// touch records activity, moving the idle expiry by the idle lifetime the
// session started with (never past the absolute expiry).
func (s *Service) touch(ctx context.Context, ss directory.Session) error {
	now := s.now()
	if now.Sub(ss.LastActive) < touchEvery {
		return nil
	}
	idle := now.Add(ss.IdleExpiresAt.Sub(ss.LastActive))
	if idle.After(ss.ExpiresAt) {
		idle = ss.ExpiresAt
	}
	err := s.cfg.Store.TouchIdPSession(ctx, ss.IDHash, now, idle)
	if errs.Is(err, errs.NotFound) {
		return errSignedOut()
	}
	return err
}

// EndSession signs out.
func (s *Service) EndSession(ctx context.Context, value string) error {
	if value == "" || len(value) > 128 {
		return nil
	}
	return s.cfg.Store.EndIdPSession(ctx, keys.HashSecret(value))
}
