package iamapi

import (
	"context"

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

// VerifyMFACode checks code against the enabled device with serial and
// returns the id of the user it is assigned to. A code is accepted once:
// the step it matched is stored, so it and every earlier one are refused
// afterwards. A wrong code, a spent one, an unknown or unassigned device
// are all errs.Denied with STS's wording.
func (f *Federation) VerifyMFACode(ctx context.Context, serial, code string) (string, error) {
	if f.creds == nil {
		return "", errs.E(errs.Internal, "iamapi: no Credentials (see WithCredentials)")
	}
	denied := errs.E(errs.Denied, "MultiFactorAuthentication failed with invalid MFA one time pass code. ").WithCode("AccessDenied")
	now := f.clock.Now()
	d, err := f.store.UpdateIAMMFADevice(ctx, serial, func(d iam.VirtualMFADevice) (iam.VirtualMFADevice, error) {
		if !d.Assigned() {
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
	if errs.Is(err, errs.NotFound) {
		return "", denied
	}
	return d.UserID, err
}
