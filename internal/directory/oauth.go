package directory

import (
	"io"
	"slices"
	"time"
)

// OIDC is the sign-on mode of OpenID Connect apps (Okta's OPENID_CONNECT):
// OAuth 2.0 clients of the identity provider's authorization servers. An
// OIDC app's id is its client_id, as in Okta.
const OIDC SignOnMode = "OPENID_CONNECT"

// OIDCClientApp is Okta's app name for every OpenID Connect app.
const OIDCClientApp = "oidc_client"

// Application types (Okta's settings.oauthClient.application_type).
const (
	AppTypeNative  = "native"  // a CLI or desktop app: a public client
	AppTypeWeb     = "web"     // a server-side app with a secret or key
	AppTypeBrowser = "browser" // a single-page app: a public client
	AppTypeService = "service" // a machine: client credentials only
)

// Grant types (RFC 6749, RFC 8628, RFC 8693) as clients name them.
const (
	GrantAuthorizationCode = "authorization_code"
	GrantRefreshToken      = "refresh_token"
	GrantClientCredentials = "client_credentials"
	GrantDeviceCode        = "urn:ietf:params:oauth:grant-type:device_code"
	GrantTokenExchange     = "urn:ietf:params:oauth:grant-type:token-exchange"
	GrantImplicit          = "implicit"
	GrantPassword          = "password"
)

// Client authentication methods at the token endpoint.
const (
	AuthNone              = "none"
	AuthClientSecretBasic = "client_secret_basic"
	AuthClientSecretPost  = "client_secret_post"
	AuthPrivateKeyJWT     = "private_key_jwt"
)

// OAuthClient is an OIDC app's OAuth 2.0 settings (Okta's
// settings.oauthClient and credentials.oauthClient together).
type OAuthClient struct {
	ApplicationType         string   // AppType*
	GrantTypes              []string // Grant*
	ResponseTypes           []string // "code", "token", "id_token"
	RedirectURIs            []string // matched exactly (loopback ports aside, RFC 8252)
	PostLogoutRedirectURIs  []string
	InitiateLoginURI        string
	TokenEndpointAuthMethod string // Auth*
	// PKCERequired makes a code grant without S256 PKCE fail. Public
	// clients (AuthNone) always need it.
	PKCERequired bool
	// ConsentMethod is "TRUSTED" (no consent page) or "REQUIRED".
	ConsentMethod string
	// SecretHash, when set on an app given to CreateApp or returned by an
	// UpdateApp function, is keys.HashSecret of a new secret that becomes
	// the client's only secret (ACTIVE), replacing any it had. The store
	// keeps secrets as ClientSecrets, not on the app: an app read back
	// has no SecretHash. Only a client that UsesSecret has secrets.
	SecretHash string
	// JWKS holds the client's public keys (a JWK Set, JSON) for
	// private_key_jwt.
	JWKS []byte
}

// Public reports whether the client has no credentials of its own.
func (c OAuthClient) Public() bool { return c.TokenEndpointAuthMethod == AuthNone }

// UsesSecret reports whether the client authenticates with a client
// secret (client_secret_basic or client_secret_post).
func (c OAuthClient) UsesSecret() bool {
	return c.TokenEndpointAuthMethod == AuthClientSecretBasic || c.TokenEndpointAuthMethod == AuthClientSecretPost
}

// Allows reports whether the client may use grant.
func (c OAuthClient) Allows(grant string) bool { return slices.Contains(c.GrantTypes, grant) }

// OrgAuthServer is the id by which the org authorization server (Okta's
// /oauth2/v1/...) is named where an authorization-server id is stored; it
// is not an AuthServer record.
const OrgAuthServer = ""

// DefaultAuthServer is the id of the custom authorization server every org
// starts with (Okta's "default", at /oauth2/default).
const DefaultAuthServer = "default"

// AuthServer is a custom authorization server (Okta's AuthorizationServer):
// its own issuer (<org>/oauth2/<id>), audiences, scopes, claims and access
// policies. Its tokens are for the org's own APIs and services.
type AuthServer struct {
	ID          string // aus... or "default"
	Name        string
	Description string
	Audiences   []string // the aud of its access tokens
	Status      AppStatus
	Created     time.Time
	LastUpdated time.Time
	Scopes      []AuthScope
	Claims      []AuthClaim
	Policies    []AuthPolicy
}

// AuthScope is a scope an authorization server grants.
type AuthScope struct {
	ID          string // scp...
	Name        string
	Description string
	Consent     string // "IMPLICIT" or "REQUIRED"
	Default     bool   // granted when a client asks for none
	System      bool   // the OpenID Connect scopes every server has
}

// Claim types and value types (Okta's claimType and valueType).
const (
	ClaimResource   = "RESOURCE" // in access tokens
	ClaimIdentity   = "IDENTITY" // in ID tokens
	ClaimExpression = "EXPRESSION"
	ClaimGroups     = "GROUPS"
)

// AuthClaim adds a claim to an authorization server's tokens.
type AuthClaim struct {
	ID        string // ocl...
	Name      string
	Status    AppStatus
	ClaimType string // ClaimResource or ClaimIdentity
	ValueType string // ClaimExpression or ClaimGroups
	// Value is an expression ("user.department") or, for ClaimGroups, a
	// group filter value.
	Value       string
	GroupFilter string // FilterStartsWith, FilterEquals, FilterContains, FilterRegex
	// Scopes limits the claim to tokens granting one of them; empty means
	// every token.
	Scopes               []string
	AlwaysIncludeInToken bool
}

// AllClients is the policy audience that covers every client.
const AllClients = "ALL_CLIENTS"

// AuthPolicy is an access policy of an authorization server: which clients
// it covers, and rules (first match by priority) deciding grants, scopes,
// people and lifetimes.
type AuthPolicy struct {
	ID          string // 00p...
	Name        string
	Description string
	Status      AppStatus
	Priority    int
	Clients     []string // client ids, or [AllClients]
	Rules       []AuthRule
}

// AuthRule is one rule of an access policy.
type AuthRule struct {
	ID         string // 0pr...
	Name       string
	Status     AppStatus
	Priority   int
	GrantTypes []string
	Scopes     []string // "*" for every scope
	// Everyone covers every person; otherwise Users and Groups do. Client
	// credentials grants have no person and ignore both.
	Everyone bool
	Users    []string
	Groups   []string
	// Lifetimes; zero means the server's default.
	AccessTokenLifetime  time.Duration
	RefreshTokenLifetime time.Duration // zero: refresh tokens do not expire on their own
	RefreshTokenWindow   time.Duration // unused for this long, a refresh token expires
}

// OAuthCode is an authorization code awaiting redemption, stored by hash.
// It is redeemed once; FamilyID is the family of the tokens it gives, so
// redeeming it again revokes them (RFC 6749 §4.1.2).
type OAuthCode struct {
	CodeHash     string
	FamilyID     string
	AuthServerID string // OrgAuthServer or a custom server's id
	ClientID     string
	UserID       string
	SessionHash  string // the IdP session that signed in
	RedirectURI  string
	Scopes       []string
	Nonce        string
	// CodeChallenge and ChallengeMethod are the PKCE challenge ("S256").
	CodeChallenge   string
	ChallengeMethod string
	AMR             []string
	AuthTime        time.Time
	CreatedAt       time.Time
	ExpiresAt       time.Time
}

// Device authorization statuses.
const (
	DevicePending  = "PENDING"
	DeviceApproved = "APPROVED"
	DeviceDenied   = "DENIED"
	DeviceUsed     = "USED" // its tokens were issued
)

// OAuthDevice is a device authorization (RFC 8628), stored by the hash of
// its device code. The person who approves it, and their session, are set
// on approval.
type OAuthDevice struct {
	CodeHash     string
	UserCode     string // normalized: 8 letters, no dash
	AuthServerID string
	ClientID     string
	Scopes       []string
	Status       string // Device*
	UserID       string
	SessionHash  string
	AMR          []string
	AuthTime     time.Time
	Interval     time.Duration
	LastPolledAt time.Time
	CreatedAt    time.Time
	ExpiresAt    time.Time
}

// OAuthToken is an issued access token (a JWT, stored by the hash of its
// jti) with its refresh token (opaque, stored by hash; "" when none).
// Rotation replaces the row; FamilyID ties a refresh chain together, so a
// replayed refresh token or a revocation ends the whole chain. Client
// credentials tokens have no UserID or SessionHash.
//
// Scopes are the access token's; RefreshScopes the refresh token's, the
// family's whole grant, which a refresh never narrows (RFC 6749 §6: a
// refresh may ask for an access token with fewer scopes, but the new
// refresh token keeps the scope of the one presented). Empty
// RefreshScopes are Scopes, as in rows stored before they were kept.
type OAuthToken struct {
	AccessHash       string
	RefreshHash      string
	FamilyID         string
	AuthServerID     string
	ClientID         string
	UserID           string
	SessionHash      string
	Scopes           []string
	RefreshScopes    []string // empty: Scopes
	AMR              []string
	AuthTime         time.Time
	CreatedAt        time.Time
	ExpiresAt        time.Time
	RefreshExpiresAt time.Time // zero: no refresh token, or none that expires
}

// GrantedScopes are the scopes of t's refresh token: its RefreshScopes,
// or its Scopes when it has none.
func (t OAuthToken) GrantedScopes() []string {
	if len(t.RefreshScopes) == 0 {
		return t.Scopes
	}
	return t.RefreshScopes
}

const (
	authServerPrefix = "aus"
	scopePrefix      = "scp"
	claimPrefix      = "ocl"
	policyPrefix     = "00p"
	rulePrefix       = "0pr"
)

// NewAuthServerID returns a fresh authorization-server id.
func NewAuthServerID(r io.Reader) string { return newID(r, authServerPrefix) }

// NewScopeID returns a fresh scope id.
func NewScopeID(r io.Reader) string { return newID(r, scopePrefix) }

// NewClaimID returns a fresh claim id.
func NewClaimID(r io.Reader) string { return newID(r, claimPrefix) }

// NewPolicyID returns a fresh access-policy id.
func NewPolicyID(r io.Reader) string { return newID(r, policyPrefix) }

// NewRuleID returns a fresh policy-rule id.
func NewRuleID(r io.Reader) string { return newID(r, rulePrefix) }
