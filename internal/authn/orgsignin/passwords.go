package orgsignin

import (
	"context"
	"time"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/keys"
)

// maxLinkToken bounds a link token read from a URL.
const maxLinkToken = 128

// newPassword checks pw against the policy and u's recent passwords and
// returns the credential replacing u's.
func (s *Service) newPassword(ctx context.Context, u directory.User, pw string) (directory.Password, error) {
	if err := s.cfg.Passwords.Check(pw, u); err != nil {
		return directory.Password{}, err
	}
	history := u.Password.History
	if u.Password.Set() {
		history = append([]string{u.Password.Hash}, history...)
	}
	history = history[:min(len(history), s.cfg.Passwords.History)]
	for _, old := range history {
		same, err := s.cfg.Hasher.Verify(ctx, old, pw)
		if err != nil {
			return directory.Password{}, err
		}
		if same {
			return directory.Password{}, errs.E(errs.Invalid, "Choose a password you have not used recently.")
		}
	}
	hash, err := s.cfg.Hasher.Hash(ctx, pw)
	return directory.Password{Hash: hash, Changed: s.now(), History: history}, err
}

// LinkUser returns the person a live activation or reset link is for,
// without spending it.
func (s *Service) LinkUser(ctx context.Context, token string, purpose directory.UserTokenPurpose) (directory.User, error) {
	if token == "" || len(token) > maxLinkToken {
		return directory.User{}, errLinkEnded()
	}
	t, err := s.cfg.Store.UserToken(ctx, keys.HashSecret(token), purpose)
	if errs.Is(err, errs.NotFound) {
		return directory.User{}, errLinkEnded()
	}
	if err != nil {
		return directory.User{}, err
	}
	return s.cfg.Store.User(ctx, t.UserID)
}

func errLinkEnded() error {
	return errs.E(errs.NotFound, "This link has been used or has expired. Ask your administrator for a new one.")
}

// UseLink sets the password of the person a link is for and spends the
// link: activation makes them ACTIVE, a reset ends RECOVERY.
func (s *Service) UseLink(ctx context.Context, token string, purpose directory.UserTokenPurpose, pw string) (directory.User, error) {
	u, err := s.LinkUser(ctx, token, purpose)
	if err != nil {
		return u, err
	}
	cred, err := s.newPassword(ctx, u, pw) // hashed outside the transaction
	if err != nil {
		return u, err
	}
	event := "user.account.update_password"
	if purpose == directory.ActivationToken {
		event = "user.lifecycle.activate"
	}
	u, err = s.cfg.Store.SpendUserToken(ctx, keys.HashSecret(token), purpose, event, func(u directory.User) (directory.User, error) {
		u.Password = cred
		return directory.Transition(u, directory.OpSetPassword, s.now())
	})
	if errs.Is(err, errs.NotFound) {
		return u, errLinkEnded()
	}
	return u, err
}

// ChangePassword replaces a signed-in person's password (old must be
// right). Checking old is a password check, so attempts are bounded like
// sign-in failures: MaxFailures per person in LockoutDuration.
func (s *Service) ChangePassword(ctx context.Context, u directory.User, old, pw string) (directory.User, error) {
	l := s.cfg.Limits
	if ok, err := s.cfg.Store.Allow(ctx, "idp-pwchange:"+u.ID, l.LockoutDuration, l.MaxFailures); err != nil || !ok {
		if err != nil {
			return u, err
		}
		return u, errs.E(errs.Throttled, "Too many attempts to change your password. Wait %s and try again.", l.LockoutDuration.Round(time.Minute))
	}
	if ok, err := s.cfg.Hasher.Verify(ctx, u.Password.Hash, old); err != nil || !ok {
		if err != nil {
			return u, err
		}
		return u, errs.E(errs.Unauthenticated, "The current password is not right.")
	}
	return s.replacePassword(ctx, u, pw)
}

// ReplaceExpired sets a new password at the expired-password step and
// moves the sign-in on.
func (s *Service) ReplaceExpired(ctx context.Context, st State, pw string) (State, error) {
	if st.Step != StepChangePassword {
		return st, errStateEnded()
	}
	u, err := s.cfg.Store.User(ctx, st.UserID)
	if err != nil {
		return st, err
	}
	if _, err := s.replacePassword(ctx, u, pw); err != nil {
		return st, err
	}
	return s.afterPassword(ctx, st)
}

func (s *Service) replacePassword(ctx context.Context, u directory.User, pw string) (directory.User, error) {
	cred, err := s.newPassword(ctx, u, pw)
	if err != nil {
		return u, err
	}
	return s.cfg.Store.UpdateUser(ctx, u.ID, "user.account.update_password", func(u directory.User) (directory.User, error) {
		u.Password = cred
		if u.Status == directory.PasswordExpired {
			return directory.Transition(u, directory.OpSetPassword, s.now())
		}
		return u, nil
	})
}
