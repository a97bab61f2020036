package orgsignin

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// maxKeyName bounds the name a person gives a security key.
const maxKeyName = 50

// BeginWebAuthn starts registering a security key or passkey for u: the
// options for navigator.credentials.create (excluding the keys u already
// has) and the sealed session FinishWebAuthn needs.
func (s *Service) BeginWebAuthn(ctx context.Context, u directory.User) ([]byte, string, error) {
	if s.rp == nil {
		return nil, "", errNoSecurityKeys()
	}
	k, err := s.keyUser(ctx, u)
	if err != nil {
		return nil, "", err
	}
	exclude := webauthn.Credentials(k.creds).CredentialDescriptors()
	creation, data, err := s.rp.BeginRegistration(k, webauthn.WithExclusions(exclude))
	if err != nil {
		return nil, "", err
	}
	opts, err := options(creation)
	if err != nil {
		return nil, "", err
	}
	return opts, s.sealCeremony(purposeRegister, u.ID, data), nil
}

// FinishWebAuthn checks the browser's response to BeginWebAuthn's options
// and stores the new credential as an active factor named name. Like a
// sign-in's, the session is spent by the first readable response.
func (s *Service) FinishWebAuthn(ctx context.Context, u directory.User, session, response, name string) (directory.Factor, error) {
	if s.rp == nil {
		return directory.Factor{}, errNoSecurityKeys()
	}
	name, err := keyName(name)
	if err != nil {
		return directory.Factor{}, err
	}
	c, err := s.openCeremony(purposeRegister, u.ID, session)
	if err != nil {
		return directory.Factor{}, err
	}
	if err := checkResponse(response); err != nil {
		return directory.Factor{}, err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes([]byte(response))
	if err != nil {
		return directory.Factor{}, errKeyUnreadable()
	}
	if err := s.spendCeremony(ctx, c); err != nil {
		return directory.Factor{}, err
	}
	k, err := s.keyUser(ctx, u)
	if err != nil {
		return directory.Factor{}, err
	}
	cred, err := s.rp.CreateCredential(k, c.Data, parsed)
	if err != nil {
		if isRefusal(err) {
			return directory.Factor{}, errs.E(errs.Unauthenticated, "That security key could not be registered. Try again.")
		}
		return directory.Factor{}, err
	}
	return s.storeKey(ctx, u, cred, name)
}

// storeKey stores a verified credential as an active WebAuthn factor.
func (s *Service) storeKey(ctx context.Context, u directory.User, cred *webauthn.Credential, name string) (directory.Factor, error) {
	id := base64.RawURLEncoding.EncodeToString(cred.ID)
	if _, err := s.cfg.Store.FactorByCredentialID(ctx, id); err == nil {
		return directory.Factor{}, errs.E(errs.Conflict, "This security key is already registered.")
	} else if !errs.Is(err, errs.NotFound) {
		return directory.Factor{}, err
	}
	b, err := json.Marshal(cred)
	if err != nil {
		return directory.Factor{}, err
	}
	f := directory.Factor{UserID: u.ID, Type: directory.FactorWebAuthn, Provider: "FIDO", Status: directory.FactorActive,
		Name: name, Credential: b, CredentialID: id}
	f, err = s.cfg.Store.CreateFactor(ctx, f)
	if errs.Is(err, errs.Conflict) {
		return f, errs.E(errs.Conflict, "This security key is already registered.")
	}
	return f, err
}

// keyName is the name a person gave a key, or "Security key".
func keyName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "Security key", nil
	case !utf8.ValidString(name) || utf8.RuneCountInString(name) > maxKeyName || strings.ContainsFunc(name, isControl):
		return "", errs.E(errs.Invalid, "Name the security key in at most %d characters.", maxKeyName)
	}
	return name, nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
