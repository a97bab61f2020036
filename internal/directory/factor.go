package directory

import "time"

// FactorType is Okta's factorType of an enrolled factor.
type FactorType string

// The factor types keyward has.
const (
	FactorTOTP     FactorType = "token:software:totp" // an authenticator app
	FactorWebAuthn FactorType = "webauthn"            // a security key or passkey
)

// FactorStatus is an enrolment's status.
type FactorStatus string

// The statuses keyward uses.
const (
	FactorPending FactorStatus = "PENDING_ACTIVATION" // enrolment started, not yet proven
	FactorActive  FactorStatus = "ACTIVE"
)

// Factor is one enrolled authenticator.
type Factor struct {
	ID       string
	UserID   string
	Type     FactorType
	Provider string // OKTA for TOTP, FIDO for WebAuthn
	Status   FactorStatus
	Name     string // what the person called it ("YubiKey 5", "phone")
	// Secret is the TOTP secret, sealed with the master key; LastStep is
	// the last accepted time step, so a code is accepted once.
	Secret   []byte
	LastStep int64
	// Credential is the WebAuthn credential (JSON as the WebAuthn library
	// stores it) and CredentialID its id, by which sign-in finds it.
	Credential   []byte
	CredentialID string
	Created      time.Time
	LastUpdated  time.Time
}

// Vendor is the factor's vendorName as Okta shows it.
func (f Factor) Vendor() string {
	if f.Type == FactorWebAuthn {
		return "FIDO"
	}
	return "OKTA"
}
