package orgsignin

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// Bounds on what a browser sends back: a WebAuthn response (attestation
// objects of real keys are a few KiB) and a sealed ceremony session.
const (
	maxWebAuthnResponse = 64 << 10
	maxWebAuthnSession  = 16 << 10
)

// The purposes a sealed ceremony session is bound to, with the user id.
const (
	purposeRegister = "register"
	purposeLogin    = "login"
)

func errNoSecurityKeys() error {
	return errs.E(errs.Invalid, "Security keys need the org URL to have a host name (such as localhost), not an IP address.")
}

func errKeyExpired() error {
	return errs.E(errs.Unauthenticated, "The security key request expired or was interrupted. Try again.")
}

func errKeyUnreadable() error {
	return errs.E(errs.Invalid, "The security key's answer could not be read. Try again.")
}

func errKeyRefused() error {
	return errs.E(errs.Unauthenticated, "That security key could not be verified. Try again, or use another factor.")
}

// newRelyingParty is the WebAuthn relying party of the org URL: its host
// name (no port) is the RP ID and the URL itself the only origin. Browsers
// refuse an IP address as an RP ID, and so does the library.
func newRelyingParty(orgURL string) (*webauthn.WebAuthn, error) {
	u, err := url.Parse(orgURL)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("org URL %q has no host name", orgURL)
	}
	return webauthn.New(&webauthn.Config{RPID: u.Hostname(), RPDisplayName: "keyward", RPOrigins: []string{orgURL},
		AuthenticatorSelection: protocol.AuthenticatorSelection{
			ResidentKey:      protocol.ResidentKeyRequirementDiscouraged,
			UserVerification: protocol.VerificationPreferred,
		}})
}

// SecurityKeys reports whether security keys can be used at this org URL.
func (s *Service) SecurityKeys() bool { return s.rp != nil }

// keyUser is a person as the WebAuthn library sees them: the user handle
// is their user id, and their credentials those of their active WebAuthn
// factors.
type keyUser struct {
	id, name, display string
	factors           []directory.Factor
	creds             []webauthn.Credential
}

func (k *keyUser) WebAuthnID() []byte                         { return []byte(k.id) }
func (k *keyUser) WebAuthnName() string                       { return k.name }
func (k *keyUser) WebAuthnDisplayName() string                { return k.display }
func (k *keyUser) WebAuthnCredentials() []webauthn.Credential { return k.creds }

// keyUser loads the person's active WebAuthn factors.
func (s *Service) keyUser(ctx context.Context, u directory.User) (*keyUser, error) {
	factors, err := s.activeFactors(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	k := &keyUser{id: u.ID, name: u.Login(), display: u.DisplayName()}
	for _, f := range factors {
		if f.Type != directory.FactorWebAuthn {
			continue
		}
		var c webauthn.Credential
		if err := json.Unmarshal(f.Credential, &c); err != nil {
			return nil, fmt.Errorf("factor %s: stored credential: %w", f.ID, err)
		}
		k.factors, k.creds = append(k.factors, f), append(k.creds, c)
	}
	return k, nil
}

// ceremony is a WebAuthn session between begin and finish, sealed for
// the page and bound to its purpose and user.
type ceremony struct {
	Data    webauthn.SessionData `json:"d"`
	Expires time.Time            `json:"e"`
}

func ceremonyAAD(purpose, userID string) []byte { return []byte(purpose + "\x00" + userID) }

func (s *Service) sealCeremony(purpose, userID string, d *webauthn.SessionData) string {
	b, _ := json.Marshal(ceremony{Data: *d, Expires: s.now().Add(StateLifetime)})
	return base64.RawURLEncoding.EncodeToString(s.ceremonies.Seal(b, ceremonyAAD(purpose, userID)))
}

// openCeremony refuses a forged, edited, expired session or one sealed
// for another purpose or person.
func (s *Service) openCeremony(purpose, userID, v string) (ceremony, error) {
	var c ceremony
	if len(v) > maxWebAuthnSession {
		return c, errKeyExpired()
	}
	raw, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return c, errKeyExpired()
	}
	b, err := s.ceremonies.Open(raw, ceremonyAAD(purpose, userID))
	if err != nil || json.Unmarshal(b, &c) != nil || !s.now().Before(c.Expires) {
		return ceremony{}, errKeyExpired()
	}
	return c, nil
}

// spendCeremony makes c good for one answer, on every replica: its
// challenge is remembered (a one-time key) until the session expires, and
// a session whose challenge is already remembered is refused. The counter
// cannot catch a replayed answer of a key that keeps it at 0, as many
// passkeys do.
func (s *Service) spendCeremony(ctx context.Context, c ceremony) error {
	err := s.cfg.Store.RememberKey(ctx, "idp-webauthn-challenge:"+c.Data.Challenge, c.Expires)
	if errs.Is(err, errs.Conflict) {
		return errKeyExpired()
	}
	return err
}

// options is the JSON for navigator.credentials.create or get. Like all
// of encoding/json's output it escapes <, > and &, so a page may embed it
// in a script element as it is.
func options(v any) ([]byte, error) { return json.Marshal(v) }

// checkResponse bounds a browser's response before it is parsed.
func checkResponse(response string) error {
	if len(response) == 0 || len(response) > maxWebAuthnResponse {
		return errKeyUnreadable()
	}
	return nil
}

// isRefusal tells the library's refusal of a response (its
// *protocol.Error) from a failure of ours.
func isRefusal(err error) bool {
	var pe *protocol.Error
	return errors.As(err, &pe)
}
