package directory

import (
	"io"
	"time"
)

// SignOnMode is how people sign in to an app (Okta's signOnMode).
type SignOnMode string

// SAML2 is the sign-on mode of SAML 2.0 apps (OIDC, in oauth.go, is the
// other one keyward serves).
const SAML2 SignOnMode = "SAML_2_0"

// AppStatus is an app's lifecycle status.
type AppStatus string

// The app statuses. Only ACTIVE apps sign people in or provision.
const (
	AppActive   AppStatus = "ACTIVE"
	AppInactive AppStatus = "INACTIVE"
)

// Catalogue names (Okta's app "name" for catalogue apps).
const (
	// AWSIdentityCenterApp is "AWS IAM Identity Center": SAML sign-in to
	// the access portal plus SCIM provisioning of users and groups.
	AWSIdentityCenterApp = "amazon_aws_sso"
	// CustomSAMLApp is the name prefix of generic SAML 2.0 apps, whose
	// names Okta generates.
	CustomSAMLApp = "keyward_saml"
)

// App is an application people reach through the identity provider:
// Okta's Application. Who may use it is in its assignments (AppUser,
// AppGroup); which groups it pushes to its provisioning target is in
// GroupPush.
type App struct {
	ID         string // 0oa...
	Name       string // catalogue key, or generated for a custom app
	Label      string // what people see on their dashboard tile
	SignOnMode SignOnMode
	Status     AppStatus
	Created    time.Time
	// LastUpdated moves on every change to the app itself (not to its
	// assignments).
	LastUpdated time.Time
	SAML        SAMLSettings
	// OAuth is an OIDC app's client settings; zero for other apps.
	OAuth OAuthClient
	// Provisioning is the app's SCIM target; zero when it has none.
	Provisioning Provisioning
	// Settings holds catalogue-specific keys (Okta's settings.app) as the
	// administrator set them, for the API to return unchanged.
	Settings map[string]string
}

// NameID formats an app may ask for.
const (
	NameIDEmail       = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
	NameIDUnspecified = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
	NameIDPersistent  = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
)

// SAMLSettings are a SAML 2.0 app's settings (Okta's settings.signOn).
type SAMLSettings struct {
	ACSURL      string // where responses are posted (ssoAcsUrl)
	Audience    string // the service provider's entity id
	Recipient   string // SubjectConfirmationData Recipient; ACSURL when empty
	Destination string // the Response's Destination; ACSURL when empty
	// NameIDFormat is one of the NameID* formats; NameIDTemplate the
	// expression that fills it, such as "${user.email}" (Okta's
	// subjectNameIdTemplate; "${user.userName}" by default).
	NameIDFormat   string
	NameIDTemplate string
	// ResponseSigned and AssertionSigned choose what carries a signature;
	// at least one does.
	ResponseSigned       bool
	AssertionSigned      bool
	AuthnContextClassRef string
	DefaultRelayState    string
	// SPCertificates (DER) are the service provider's signing
	// certificates. When set, its AuthnRequests must be signed by one.
	SPCertificates [][]byte
	Attributes     []AttributeStatement
	// AssertionLifetime bounds an assertion's validity (Okta's
	// samlAssertionLifetimeSeconds; 5 minutes when zero).
	AssertionLifetime time.Duration
}

// Attribute statement kinds (Okta's attributeStatements[].type).
const (
	AttributeExpression = "EXPRESSION" // values from profile expressions
	AttributeGroup      = "GROUP"      // the names of the person's groups that pass a filter
)

// Group filter kinds of a GROUP attribute statement.
const (
	FilterStartsWith = "STARTS_WITH"
	FilterEquals     = "EQUALS"
	FilterContains   = "CONTAINS"
	FilterRegex      = "REGEX"
)

// AttributeStatement adds one attribute to an app's assertions.
type AttributeStatement struct {
	Type      string // AttributeExpression or AttributeGroup
	Name      string
	Namespace string // the NameFormat URI; basic when empty
	// Values are expressions such as "${user.department}" (EXPRESSION).
	Values []string
	// FilterType and FilterValue pick groups (GROUP).
	FilterType  string
	FilterValue string
}

// Provisioning is an app's SCIM 2.0 target.
type Provisioning struct {
	Enabled bool
	// BaseURL is the SCIM base, such as
	// https://scim.us-east-1.amazonaws.com/<tenant>/scim/v2 (no trailing
	// slash).
	BaseURL string
	// SealedToken is the bearer token, sealed with the master key: the
	// identity provider must send it, so it cannot be a hash. It is sealed
	// by keys.NewSealer(master, ProvisioningTokenPurpose, ...) with the
	// app's id as additional data, so it opens only for its own app.
	SealedToken []byte
}

// ProvisioningTokenPurpose is the sealing purpose of Provisioning.SealedToken.
const ProvisioningTokenPurpose = "idp app scim token"

// Assignment scopes: an AppUser is assigned directly or through a group.
const (
	ScopeUser  = "USER"
	ScopeGroup = "GROUP"
)

// AppUser is a person assigned to an app, directly (ScopeUser) or through
// an assigned group (ScopeGroup).
type AppUser struct {
	AppID       string
	UserID      string
	Scope       string
	Created     time.Time
	LastUpdated time.Time
}

// AppGroup is a group assigned to an app: its members may use the app.
type AppGroup struct {
	AppID       string
	GroupID     string
	Priority    int
	Created     time.Time
	LastUpdated time.Time
}

// GroupPush makes a group and its memberships exist at the app's
// provisioning target (Okta's "Push Groups"). Only members assigned to the
// app are pushed as members.
type GroupPush struct {
	AppID   string
	GroupID string
	Created time.Time
}

const appPrefix = "0oa"

// NewAppID returns a fresh app id.
func NewAppID(r io.Reader) string { return newID(r, appPrefix) }
