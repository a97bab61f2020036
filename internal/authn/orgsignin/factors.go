package orgsignin

import (
	"context"
	"maps"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/authn/totp"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

func errBadCode() error {
	return errs.E(errs.Unauthenticated, "That code is not right. Enter the code your authenticator app shows now.")
}

// Enrollment is an authenticator-app enrolment in progress: what the page
// shows (the otpauth URI as a QR code, and the secret to type) and the
// pending factor it confirms.
type Enrollment struct {
	FactorID string
	URI      string
	Secret   string // base32, grouped for typing
}

// BeginTOTP starts enrolling an authenticator app for the user: a pending
// factor holding the sealed secret.
func (s *Service) BeginTOTP(ctx context.Context, u directory.User) (Enrollment, error) {
	key, err := totp.Generate(s.cfg.Random, s.cfg.Issuer, u.Login())
	if err != nil {
		return Enrollment{}, err
	}
	f := directory.Factor{UserID: u.ID, Type: directory.FactorTOTP, Provider: "OKTA", Status: directory.FactorPending,
		Name: "Authenticator app", Secret: s.secrets.Seal(key.Secret, []byte(u.ID))}
	if f, err = s.cfg.Store.CreateFactor(ctx, f); err != nil {
		return Enrollment{}, err
	}
	return Enrollment{FactorID: f.ID, URI: key.URI, Secret: totp.Base32Grouped(key.Secret)}, nil
}

func errNotEnrolling() error {
	return errs.E(errs.Invalid, "This enrolment is not waiting for a code.")
}

// Enrollment shows a pending enrolment again (after a wrong code). The
// secret of an app that is set up is never shown again: an active or
// other factor is errNotEnrolling.
func (s *Service) Enrollment(ctx context.Context, u directory.User, factorID string) (Enrollment, error) {
	f, err := s.cfg.Store.Factor(ctx, u.ID, factorID)
	if err != nil {
		return Enrollment{}, err
	}
	if f.Type != directory.FactorTOTP || f.Status != directory.FactorPending {
		return Enrollment{}, errNotEnrolling()
	}
	secret, err := s.secrets.Open(f.Secret, []byte(u.ID))
	if err != nil {
		return Enrollment{}, err
	}
	return Enrollment{FactorID: f.ID, URI: totp.URI(secret, s.cfg.Issuer, u.Login()), Secret: totp.Base32Grouped(secret)}, nil
}

// ConfirmTOTP activates a pending authenticator-app factor once its code
// is right: the person has shown the app holds the secret.
func (s *Service) ConfirmTOTP(ctx context.Context, userID, factorID, code string) error {
	if err := s.throttleCodes(ctx, userID); err != nil {
		return err
	}
	_, err := s.cfg.Store.UpdateFactor(ctx, userID, factorID, "user.mfa.factor.activate", func(f directory.Factor) (directory.Factor, error) {
		if f.Type != directory.FactorTOTP || f.Status != directory.FactorPending {
			return f, errNotEnrolling()
		}
		step, err := s.check(f, code)
		f.Status, f.LastStep = directory.FactorActive, step
		return f, err
	})
	return err
}

// VerifyTOTP checks a code against the person's active authenticator
// apps; a code is accepted once.
func (s *Service) VerifyTOTP(ctx context.Context, userID, code string) error {
	if err := s.throttleCodes(ctx, userID); err != nil {
		return err
	}
	factors, err := s.activeFactors(ctx, userID)
	if err != nil {
		return err
	}
	for _, f := range factors {
		if f.Type != directory.FactorTOTP {
			continue
		}
		_, err := s.cfg.Store.UpdateFactor(ctx, userID, f.ID, "", func(f directory.Factor) (directory.Factor, error) {
			step, err := s.check(f, code)
			f.LastStep = step
			return f, err
		})
		if err == nil {
			s.mfa(ctx, userID, audit.Success, "")
			return nil
		}
		if !errs.Is(err, errs.Unauthenticated) {
			return err
		}
	}
	s.mfa(ctx, userID, audit.Failure, "wrong code")
	return errBadCode()
}

// check verifies code against f's secret, refusing a step already used.
func (s *Service) check(f directory.Factor, code string) (int64, error) {
	secret, err := s.secrets.Open(f.Secret, []byte(f.UserID))
	if err != nil {
		return 0, err
	}
	step, ok := totp.Verify(secret, code, s.now(), f.LastStep)
	if !ok {
		return 0, errBadCode()
	}
	return step, nil
}

// throttleCodes bounds the codes one person may try.
func (s *Service) throttleCodes(ctx context.Context, userID string) error {
	l := s.cfg.Limits
	ok, err := s.cfg.Store.Allow(ctx, "idp-codes:"+userID, l.CodeWindow, l.CodesPerUser)
	if err != nil {
		return err
	}
	if !ok {
		s.mfa(ctx, userID, audit.Deny, "too many codes")
		return errs.E(errs.Throttled, "Too many codes tried. Wait %s and try again.", l.CodeWindow.Round(time.Minute))
	}
	return nil
}

func (s *Service) mfa(ctx context.Context, userID, outcome, why string) {
	s.mfaEvent(ctx, userID, outcome, why, map[string]string{"credentialType": "OTP"})
}

// mfaEvent logs a second factor's outcome; like fail, it returns nothing.
func (s *Service) mfaEvent(ctx context.Context, userID, outcome, why string, detail map[string]string) {
	e := audit.New(ctx, "user.authentication.auth_via_mfa", "User", userID)
	e.Outcome, e.Message = outcome, why
	e.Detail = maps.Clone(e.Detail) // the request id, if any
	if e.Detail == nil {
		e.Detail = map[string]string{}
	}
	maps.Copy(e.Detail, detail)
	_ = s.cfg.Store.AppendEvent(ctx, e)
}
