package orgsignin

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// errBadCredentials is the same for an unknown login, a wrong password and
// an account that may not sign in (locked, suspended, not yet activated).
func errBadCredentials() error {
	return errs.E(errs.Unauthenticated, "Unable to sign in: the username or password is incorrect, "+
		"or the account cannot sign in. After repeated failures the account locks for a while.")
}

func errThrottled() error {
	return errs.E(errs.Throttled, "Too many sign-in attempts. Wait a minute and try again.")
}

// Password checks the password of the sign-in in st from clientIP and
// returns the next state: a password change, a second factor, an
// enrolment, or done.
func (s *Service) Password(ctx context.Context, st State, pw, clientIP string) (State, error) {
	login := directory.NormalizeLogin(st.Login)
	if err := s.throttle(ctx, clientIP, login); err != nil {
		return st, err
	}
	u, err := s.cfg.Store.UserByLogin(ctx, login)
	if errs.Is(err, errs.NotFound) || len(pw) > directory.MaxPasswordBytes {
		s.cfg.Hasher.Verify(ctx, s.dummy, pw) // the same work as a wrong password
		s.fail(ctx, "", st.Login, "unknown login")
		return st, errBadCredentials()
	}
	if err != nil {
		return st, err
	}
	if u, err = s.liftExpiredLock(ctx, u); err != nil {
		return st, err
	}
	if err := s.checkPassword(ctx, u, pw, clientIP); err != nil {
		return st, err
	}
	st.UserID, st.AMR = u.ID, []string{"pwd"}
	if u.Status == directory.PasswordExpired {
		st.Step = StepChangePassword
		return st, nil
	}
	return s.afterPassword(ctx, st)
}

// throttle bounds attempts per address and per login from an address.
func (s *Service) throttle(ctx context.Context, clientIP, login string) error {
	l := s.cfg.Limits
	for _, c := range []struct {
		key   string
		limit int
	}{{"idp-signin-ip:" + clientIP, l.AttemptsPerAddress}, {"idp-signin-user:" + clientIP + ":" + login, l.AttemptsPerUser}} {
		ok, err := s.cfg.Store.Allow(ctx, c.key, time.Minute, c.limit)
		if err != nil {
			return err
		}
		if !ok {
			return errThrottled()
		}
	}
	return nil
}

// checkPassword verifies pw for u from clientIP. An address that has
// already failed MaxFailures times for u is refused without counting, so
// it cannot keep the account locked; otherwise a failure counts against
// the account and the MaxFailures-th locks it. A right password from an
// address that is not refused starts the address's count again.
func (s *Service) checkPassword(ctx context.Context, u directory.User, pw, clientIP string) error {
	window := s.cfg.Limits.LockoutDuration
	// The address's count runs from its last right password for u: the
	// number of those is part of the key, so each one starts a new count.
	// (Those right passwords are counted over the same windows as the
	// failures, so by the time one falls out of the count, the failures
	// before it have too.)
	okKey := "idp-ok-addr:" + clientIP + ":" + u.ID
	rights, err := s.cfg.Store.Count(ctx, okKey, 4*window)
	if err != nil {
		return err
	}
	addr := addrKeys{all: "idp-fail-addr:" + clientIP + ":" + u.ID + ":" + strconv.Itoa(rights)}
	addr.since = addr.all + ":" + strconv.FormatInt(u.StatusChanged.UnixNano(), 36)
	key := addr.since
	if own, err := s.cfg.Store.Count(ctx, ownStatusKey(u.ID, u.StatusChanged), 4*window); err != nil {
		return err
	} else if own > 0 {
		key = addr.all
	}
	blocked, err := s.cfg.Store.Count(ctx, key, 4*window)
	if err != nil {
		return err
	}
	ok := false
	if u.Password.Set() {
		if ok, err = s.cfg.Hasher.Verify(ctx, u.Password.Hash, pw); err != nil {
			return err
		}
	} else {
		s.cfg.Hasher.Verify(ctx, s.dummy, pw)
	}
	switch {
	case blocked >= s.cfg.Limits.MaxFailures:
		s.fail(ctx, u.ID, u.Login(), "address blocked after repeated failures")
		return errBadCredentials()
	case ok && u.Status.CanSignIn():
		_, _, err := s.cfg.Store.Hit(ctx, okKey, 4*window)
		return err
	case ok:
		s.fail(ctx, u.ID, u.Login(), "status "+string(u.Status))
		return errBadCredentials()
	}
	return s.countFailure(ctx, u, addr)
}

// countFailure records a wrong password and locks the account at the
// MaxFailures-th in a row within LockoutDuration.
func (s *Service) countFailure(ctx context.Context, u directory.User, addr addrKeys) error {
	window := s.cfg.Limits.LockoutDuration
	for _, k := range []string{addr.all, addr.since} {
		if _, _, err := s.cfg.Store.Hit(ctx, k, 4*window); err != nil {
			return err
		}
	}
	n, _, err := s.cfg.Store.Hit(ctx, failureKey(u), window)
	if err != nil {
		return err
	}
	s.fail(ctx, u.ID, u.Login(), "wrong password")
	if n >= s.cfg.Limits.MaxFailures && u.Status.CanSignIn() {
		_, err := s.ownTransition(ctx, u.ID, "user.account.lock", directory.OpLock)
		if err != nil && !errs.Is(err, errs.Conflict) {
			return err
		}
	}
	return errBadCredentials()
}

// addrKeys count an address's wrong passwords for one person: all of
// them, and those since the person's last status change.
type addrKeys struct{ all, since string }

// An address's count for a person starts again when an administrator
// changes the person's status (an unlock), as Okta lets them sign in
// normally then; but not when sign-in itself changes it, or an address
// could lock the account, wait for the lock to run out and start again.
// So sign-in marks the status changes it makes (ownStatusKey), and at a
// marked one the address's whole count applies.
func ownStatusKey(userID string, changed time.Time) string {
	return "idp-own-status:" + userID + ":" + strconv.FormatInt(changed.UnixNano(), 36)
}

// ownTransition applies op (a lock, or a lock that ran out) to the user,
// marking the status change as sign-in's own before making it, so no
// replica sees it unmarked.
func (s *Service) ownTransition(ctx context.Context, userID, eventType string, op directory.Op) (directory.User, error) {
	now := s.now()
	if _, _, err := s.cfg.Store.Hit(ctx, ownStatusKey(userID, now), 4*s.cfg.Limits.LockoutDuration); err != nil {
		return directory.User{}, err
	}
	return s.cfg.Store.UpdateUser(ctx, userID, eventType, func(u directory.User) (directory.User, error) {
		return directory.Transition(u, op, now)
	})
}

// failureKey counts u's wrong passwords in a row: the count starts again
// at each status change (an unlock) and each sign-in, as Okta's does, so
// one typo after either does not lock the account.
func failureKey(u directory.User) string {
	return "idp-fail:" + u.ID + ":" + strconv.FormatInt(u.StatusChanged.UnixNano(), 36) +
		":" + strconv.FormatInt(u.LastLogin.UnixNano(), 36)
}

// liftExpiredLock unlocks an account whose lock has run its course.
func (s *Service) liftExpiredLock(ctx context.Context, u directory.User) (directory.User, error) {
	if u.Status != directory.LockedOut || s.now().Before(u.StatusChanged.Add(s.cfg.Limits.LockoutDuration)) {
		return u, nil
	}
	return s.ownTransition(ctx, u.ID, "user.account.unlock", directory.OpUnlock)
}

// fail logs a failed sign-in; logging failures are not the person's
// problem, so they are not returned.
func (s *Service) fail(ctx context.Context, userID, login, why string) {
	e := audit.New(ctx, "user.session.start", "User", userID)
	e.TargetName, e.Outcome, e.Message = login, audit.Failure, why
	_ = s.cfg.Store.AppendEvent(ctx, e)
}

// afterPassword decides what follows a good password: a second factor
// when the person's policy requires one (an enrolment when they have
// none), else done. As in Okta, a factor enrolled by choice is not asked
// for where the policy does not require one.
func (s *Service) afterPassword(ctx context.Context, st State) (State, error) {
	p, err := s.Policy(ctx, st.UserID)
	if err != nil {
		return st, err
	}
	factors, err := s.activeFactors(ctx, st.UserID)
	if err != nil {
		return st, err
	}
	switch {
	case p.RequireMFA && len(factors) > 0:
		st.Step = StepFactor
	case p.RequireMFA:
		st.Step = StepEnroll
	default:
		st.Step = StepDone
	}
	return st, nil
}

// Policy is the person's effective sign-on policy.
func (s *Service) Policy(ctx context.Context, userID string) (directory.SignOnPolicy, error) {
	groups, err := s.cfg.Store.UserGroups(ctx, userID)
	if err != nil {
		return directory.SignOnPolicy{}, err
	}
	policies, err := s.cfg.Store.SignOnPolicies(ctx)
	if err != nil {
		return directory.SignOnPolicy{}, err
	}
	ids := make([]string, len(groups))
	for i, g := range groups {
		ids[i] = g.ID
	}
	return directory.EffectivePolicy(policies, ids), nil
}

func (s *Service) activeFactors(ctx context.Context, userID string) ([]directory.Factor, error) {
	all, err := s.cfg.Store.Factors(ctx, userID)
	var out []directory.Factor
	for _, f := range all {
		if f.Status == directory.FactorActive {
			out = append(out, f)
		}
	}
	return out, err
}

// StepUp is the sign-in a live session must take again before something
// that needs the assurance the person's policy requires: a second factor
// (or enrolling one) when the policy requires MFA and the session had
// none. It reports false when the session is enough.
func (s *Service) StepUp(ctx context.Context, u directory.User, ss directory.Session, next string) (State, bool, error) {
	if slices.ContainsFunc(ss.AMR, func(m string) bool { return m == "otp" || m == "hwk" || m == "mfa" }) {
		return State{}, false, nil
	}
	st, err := s.afterPassword(ctx, State{Login: u.Login(), UserID: u.ID, AMR: ss.AMR, Next: next})
	return st, err == nil && st.Step != StepDone, err
}
