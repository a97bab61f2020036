package identitycenter

import (
	"strings"
	"time"

	"github.com/keyward/keyward/internal/errs"
)

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

// External reports whether people sign in through an external identity
// provider.
func (s IdentitySource) External() bool { return s.Type == SourceExternal }

// Validate checks the source is one Identity Center could hold: a known
// type; an external source names its identity provider's entity ID, an
// http(s) single sign-on URL and at least one signing certificate; only an
// external source provisions, and the Identity Center directory keeps no
// identity provider.
func (s IdentitySource) Validate() error {
	switch s.Type {
	case SourceIdentityCenter:
		if s.Provisioning {
			return errs.E(errs.Invalid, "automatic provisioning needs an external identity provider as the identity source")
		}
		if s.IdP.EntityID != "" || len(s.IdP.Certificates) > 0 {
			return errs.E(errs.Invalid, "the Identity Center directory keeps no external identity provider")
		}
		return nil
	case SourceExternal:
		return s.IdP.Validate()
	}
	return errs.E(errs.Invalid, "identity source type %q is neither %s nor %s", s.Type, SourceIdentityCenter, SourceExternal)
}

// Validate checks what sign-in through the identity provider needs.
func (p ExternalIdP) Validate() error {
	switch {
	case p.EntityID == "":
		return errs.E(errs.Invalid, "the identity provider's metadata names no entity ID")
	case !strings.HasPrefix(p.SSOURL, "https://") && !strings.HasPrefix(p.SSOURL, "http://"):
		return errs.E(errs.Invalid, "the identity provider's single sign-on URL must be an http or https URL")
	case p.SSOBinding != BindingRedirect && p.SSOBinding != BindingPOST:
		return errs.E(errs.Invalid, "the identity provider's single sign-on binding must be HTTP-Redirect or HTTP-POST")
	case len(p.Certificates) == 0:
		return errs.E(errs.Invalid, "the identity provider's metadata holds no signing certificate")
	}
	return nil
}

// The SAML 2.0 bindings an identity provider's single sign-on service may
// use with Identity Center.
const (
	BindingRedirect = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
	BindingPOST     = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
)
