package orgsignin

import (
	"context"
	"encoding/base64"
	"encoding/json"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// errCloned refuses an assertion whose signature counter did not move
// forward: a sign that the key may have been cloned.
func errCloned() error {
	return errs.E(errs.Unauthenticated, "That security key could not be verified: its signature counter went backwards. "+
		"Use another factor and ask your administrator to check the key.")
}

// keyDetail marks a security key's auth_via_mfa events. Okta's
// credentialType list has no WebAuthn, so it goes to debugData.
var keyDetail = map[string]string{"factor": string(directory.FactorWebAuthn)}

// BeginWebAuthnLogin starts a security-key check at the factor step: the
// options for navigator.credentials.get, allowing the person's keys, and
// the sealed session VerifyWebAuthn needs.
func (s *Service) BeginWebAuthnLogin(ctx context.Context, userID string) ([]byte, string, error) {
	if s.rp == nil {
		return nil, "", errNoSecurityKeys()
	}
	u, err := s.cfg.Store.User(ctx, userID)
	if err != nil {
		return nil, "", err
	}
	k, err := s.keyUser(ctx, u)
	if err != nil {
		return nil, "", err
	}
	if len(k.creds) == 0 {
		return nil, "", errs.E(errs.NotFound, "You have no security key. Use your authenticator app.")
	}
	assertion, data, err := s.rp.BeginLogin(k)
	if err != nil {
		return nil, "", err
	}
	opts, err := options(assertion)
	if err != nil {
		return nil, "", err
	}
	return opts, s.sealCeremony(purposeLogin, userID, data), nil
}

// VerifyWebAuthn checks the browser's assertion against the session
// BeginWebAuthnLogin sealed and records the key's new signature counter,
// refusing one that did not move forward. A session is spent by the first
// readable assertion sent with it, accepted or not. It writes no event but the
// auth_via_mfa outcome.
func (s *Service) VerifyWebAuthn(ctx context.Context, userID, session, response string) error {
	if s.rp == nil {
		return errNoSecurityKeys()
	}
	if err := s.throttleCodes(ctx, userID); err != nil {
		return err
	}
	c, err := s.openCeremony(purposeLogin, userID, session)
	if err != nil {
		return err
	}
	if err := checkResponse(response); err != nil {
		return err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes([]byte(response))
	if err != nil {
		return errKeyUnreadable()
	}
	if err := s.spendCeremony(ctx, c); err != nil {
		return err
	}
	u, err := s.cfg.Store.User(ctx, userID)
	if err != nil {
		return err
	}
	k, err := s.keyUser(ctx, u)
	if err != nil {
		return err
	}
	cred, err := s.rp.ValidateLogin(k, c.Data, parsed)
	if err != nil {
		if !isRefusal(err) {
			return err
		}
		s.mfaEvent(ctx, userID, audit.Failure, "security key not verified", keyDetail)
		return errKeyRefused()
	}
	if err := s.recordUse(ctx, k, cred, parsed.Response.AuthenticatorData.Counter); err != nil {
		if errs.Is(err, errs.Unauthenticated) {
			s.mfaEvent(ctx, userID, audit.Failure, "security key signature counter went backwards", keyDetail)
		}
		return err
	}
	s.mfaEvent(ctx, userID, audit.Success, "", keyDetail)
	return nil
}

// recordUse stores the key's counter and flags after a good assertion,
// compare-and-swap against the stored counter so two uses of one
// counter value cannot both pass.
func (s *Service) recordUse(ctx context.Context, k *keyUser, cred *webauthn.Credential, counter uint32) error {
	id := base64.RawURLEncoding.EncodeToString(cred.ID)
	var f directory.Factor
	for _, kf := range k.factors {
		if kf.CredentialID == id {
			f = kf
		}
	}
	if f.ID == "" {
		return errKeyRefused()
	}
	_, err := s.cfg.Store.UpdateFactor(ctx, k.id, f.ID, "", func(f directory.Factor) (directory.Factor, error) {
		var stored webauthn.Credential
		if f.Type != directory.FactorWebAuthn || f.Status != directory.FactorActive || json.Unmarshal(f.Credential, &stored) != nil {
			return f, errKeyRefused()
		}
		stored.Authenticator.UpdateCounter(counter)
		if stored.Authenticator.CloneWarning {
			return f, errCloned()
		}
		stored.Flags = cred.Flags
		b, err := json.Marshal(stored)
		f.Credential = b
		return f, err
	})
	if errs.Is(err, errs.NotFound) {
		return errKeyRefused() // removed meanwhile
	}
	return err
}
