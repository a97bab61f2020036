package sts

import (
	"context"
	"time"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// Federation is what STS reads from IAM's users side (iamapi's Federation):
// OIDC providers for web identity tokens and virtual MFA codes.
type Federation interface {
	OIDCProvider(ctx context.Context, accountID, issuer string) (iam.OIDCProvider, error)
	// VerifyMFACode checks code against the device with serial, which
	// must be assigned to the user with userID; it limits failed tries.
	VerifyMFACode(ctx context.Context, userID, serial, code string) error
}

// WithFederation returns s using f for OIDC providers and MFA codes; without
// it every MFA code and web identity token is refused.
func (s *Service) WithFederation(f Federation) *Service {
	s.federation = f
	return s
}

// mfaFailed is STS's answer to a wrong, spent or foreign MFA code.
func mfaFailed() error {
	return errs.E(errs.Denied, "MultiFactorAuthentication failed with invalid MFA one time pass code. ").WithCode("AccessDenied")
}

// verifyMFA checks an MFA serial and code the caller passed and returns
// when it was verified; the zero time when neither was passed. The device
// must be assigned to the calling IAM user (or to the user a user session
// stands for): roles and root have no virtual MFA devices in keyward. A
// code is accepted once.
func (s *Service) verifyMFA(ctx context.Context, caller awsauth.Principal, serial, code string) (time.Time, error) {
	switch {
	case serial == "" && code == "":
		return time.Time{}, nil
	case serial == "" || code == "":
		return time.Time{}, errs.E(errs.Denied, "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.").WithCode("AccessDenied")
	case s.federation == nil || caller.Type != awsauth.User:
		return time.Time{}, mfaFailed()
	}
	if err := s.federation.VerifyMFACode(ctx, caller.UserID, serial, code); err != nil {
		return time.Time{}, err
	}
	return s.clock.Now().UTC().Truncate(time.Second), nil
}
