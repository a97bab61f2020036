package identitycenter

import "time"

// Identity source types. AWS shows these in the console as "Identity Center
// directory" and "External identity provider"; it has no public API for
// switching, so keyward's CLI does it (see docs/admin-guide.md).
const (
	SourceIdentityCenter = "IDENTITY_CENTER"
	SourceExternal       = "EXTERNAL_IDP"
)

// IdentitySource is where the instance's people sign in: Identity Center's
// own directory (passwords on the portal's sign-in page) or an external
// SAML 2.0 identity provider, with users and groups provisioned by SCIM.
type IdentitySource struct {
	Type string
	// IdP is the external identity provider; zero for Identity Center's
	// own directory.
	IdP ExternalIdP
	// Provisioning reports whether automatic provisioning (the SCIM
	// endpoint) is on. Only an external source provisions.
	Provisioning bool
	UpdatedAt    time.Time
	UpdatedBy    string
}

// ExternalIdP is what Identity Center keeps of an identity provider's SAML
// metadata.
type ExternalIdP struct {
	EntityID string
	// SSOURL is the identity provider's HTTP-Redirect (or, failing that,
	// HTTP-POST) single sign-on endpoint and SSOBinding its binding URI.
	SSOURL     string
	SSOBinding string
	// Certificates are the signing certificates (DER) a response may be
	// signed with: more than one during the identity provider's rotation.
	Certificates [][]byte
	// Metadata is the document as the administrator gave it.
	Metadata string
}

// SCIMToken is an access token for the instance's SCIM endpoint. AWS shows
// the secret once, keeps at most two tokens and lets each live one year;
// only the hash of the secret is stored.
type SCIMToken struct {
	ID        string // a UUID, as the console lists it
	Hash      string
	CreatedAt time.Time
	ExpiresAt time.Time
	LastUsed  time.Time
}

// SCIM token limits, as AWS applies them.
const (
	SCIMTokenLifetime = 365 * 24 * time.Hour
	MaxSCIMTokens     = 2
)
