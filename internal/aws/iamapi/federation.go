package iamapi

import (
	"context"
	"time"

	"github.com/keyward/keyward/internal/authn/totp"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// Federation is what STS needs from IAM's users side: an account's SAML
// providers by ARN (AssumeRoleWithSAML), OIDC providers by issuer
// (AssumeRoleWithWebIdentity) and virtual MFA codes (SerialNumber and
// TokenCode on AssumeRole and GetSessionToken).
type Federation struct {
	store userStore
	creds Credentials
	clock clock.Clock
}

// Federation returns the lookups STS uses; it shares the service's store,
// credentials and clock.
func (s *Service) Federation() *Federation {
	return &Federation{store: s.store, creds: s.creds, clock: s.clock}
}

// SAMLProvider returns the provider with arn, its metadata document, the
// entity id and signing certificates read from it; a missing one is
// errs.NotFound.
func (f *Federation) SAMLProvider(ctx context.Context, arn string) (iam.SAMLProvider, error) {
	p, err := f.store.IAMSAMLProvider(ctx, arn)
	if errs.Is(err, errs.NotFound) {
		return p, noSuchSAML(arn)
	}
	return p, err
}

// OIDCProvider returns the account's provider for an issuer (a token's
// iss, https://host/path); a missing one is errs.NotFound.
func (f *Federation) OIDCProvider(ctx context.Context, accountID, issuer string) (iam.OIDCProvider, error) {
	url, err := iam.NormalizeOIDCURL(issuer)
	if err != nil {
		return iam.OIDCProvider{}, err
	}
	arn := iam.OIDCProviderARN(accountID, url)
	p, err := f.store.IAMOIDCProvider(ctx, arn)
	if errs.Is(err, errs.NotFound) {
		return p, noSuchOIDC(arn)
	}
	return p, err
}

// MFA codes are rate-limited per device: after mfaMaxFailures wrong codes
// within mfaWindow every code for that device, a right one too, is refused
// as a wrong one until the fixed window holding the failures and the next
// one have passed (5 to 10 minutes: the store's Count reads the previous
// window too).
// AWS documents no numbers; these are keyward's.
const (
	mfaMaxFailures = 5
	mfaWindow      = 5 * time.Minute
)

// mfaAttempts counts a device's tries and accepted codes in windows shared
// by every replica (store.RateLimits).
type mfaAttempts interface {
	Hit(ctx context.Context, key string, window time.Duration) (int, time.Time, error)
	Count(ctx context.Context, key string, window time.Duration) (int, error)
}

// VerifyMFACode checks code against the device with serial, which must be
// assigned to the IAM user with userID. A code is accepted once: the step
// it matched is stored, so it and every earlier one are refused afterwards.
// A wrong code, a spent one, an unknown device or one assigned to someone
// else, and any code while the device is locked by too many failures are
// all errs.Denied with STS's wording. Only codes for the caller's own
// device count as tries, so nobody else can lock a device.
func (f *Federation) VerifyMFACode(ctx context.Context, userID, serial, code string) error {
	if f.creds == nil {
		return errs.E(errs.Internal, "iamapi: no Credentials (see WithCredentials)")
	}
	denied := errs.E(errs.Denied, "MultiFactorAuthentication failed with invalid MFA one time pass code. ").WithCode("AccessDenied")
	d, err := f.store.IAMMFADevice(ctx, serial)
	switch {
	case errs.Is(err, errs.NotFound):
		return denied
	case err != nil:
		return err
	case !d.Assigned() || d.UserID != userID:
		return denied
	}
	if ok, err := f.mayTry(ctx, serial); err != nil {
		return err
	} else if !ok {
		return denied
	}
	now := f.clock.Now()
	_, err = f.store.UpdateIAMMFADevice(ctx, serial, func(d iam.VirtualMFADevice) (iam.VirtualMFADevice, error) {
		if !d.Assigned() || d.UserID != userID {
			return d, denied
		}
		seed, err := f.creds.OpenMFASeed(serial, d.SealedSeed)
		if err != nil {
			return d, err
		}
		step, ok := totp.Verify(seed, code, now, d.LastStep)
		if !ok {
			return d, denied
		}
		d.LastStep = step
		return d, nil
	})
	switch {
	case errs.Is(err, errs.NotFound):
		return denied
	case err != nil:
		return err
	}
	_, _, err = f.store.Hit(ctx, mfaAcceptedKey+serial, mfaWindow)
	return err
}

const (
	mfaTryKey      = "iam-mfa-try:"
	mfaAcceptedKey = "iam-mfa-ok:"
)

// mayTry counts a try for serial and reports whether the device has had
// fewer than mfaMaxFailures failures (tries not accepted) before it. The
// try is counted before the code is checked, so concurrent guesses cannot
// all pass the check before any failure is counted.
func (f *Federation) mayTry(ctx context.Context, serial string) (bool, error) {
	if _, _, err := f.store.Hit(ctx, mfaTryKey+serial, mfaWindow); err != nil {
		return false, err
	}
	tries, err := f.store.Count(ctx, mfaTryKey+serial, mfaWindow)
	if err != nil {
		return false, err
	}
	accepted, err := f.store.Count(ctx, mfaAcceptedKey+serial, mfaWindow)
	if err != nil {
		return false, err
	}
	return tries-accepted-1 < mfaMaxFailures, nil
}
