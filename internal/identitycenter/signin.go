package identitycenter

import "time"

// PasswordState is a user's password hash and lockout counters.
type PasswordState struct {
	UserID         string
	Hash           string // argon2id PHC string; empty when no password is set
	FailedAttempts int
	LockedUntil    time.Time
	UpdatedAt      time.Time
}

// PortalSession is a signed-in browser session of the access portal. Only the
// hash of the cookie value is stored.
type PortalSession struct {
	IDHash    string
	UserID    string
	CreatedAt time.Time
	// ExpiresAt is the session's end: the portal's session lifetime, or
	// sooner when the identity provider's SessionNotOnOrAfter says so.
	ExpiresAt time.Time
	// AccessControl holds the attributes for access control an external
	// identity provider sent (https://aws.amazon.com/SAML/Attributes/AccessControl:<Key>),
	// by key, for attribute-based access control. Empty for a password
	// sign-in.
	AccessControl map[string]string
}

// Client is an SSO-OIDC client registered with RegisterClient. Only the hash
// of its secret is stored.
type Client struct {
	ID         string
	SecretHash string
	Name       string
	Type       string
	Scopes     []string
	// GrantTypes are the grants the client registered for; none means the
	// device and refresh grants, as before clients could name them.
	GrantTypes []string
	// RedirectURIs are the loopback URIs the authorization code grant may
	// send the browser back to (any port, RFC 8252 §7.3).
	RedirectURIs []string
	// IssuerURL is the instance the client registered for (the start URL).
	IssuerURL string
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// Grant types a client may register for.
const (
	GrantAuthorizationCode = "authorization_code"
	GrantDeviceCode        = "urn:ietf:params:oauth:grant-type:device_code"
	GrantRefreshToken      = "refresh_token"
)

// Allows reports whether the client registered for grant.
func (c Client) Allows(grant string) bool {
	if len(c.GrantTypes) == 0 {
		return grant == GrantDeviceCode || grant == GrantRefreshToken
	}
	for _, g := range c.GrantTypes {
		if g == grant {
			return true
		}
	}
	return false
}

// AuthorizationCode is a one-time code the /authorize page gave a client's
// redirect URI once the person allowed it. Only its hash is stored. It is
// bound to its client, the exact redirect URI and the PKCE challenge
// (S256), and its tokens join FamilyID, so that a second redemption can end
// them.
type AuthorizationCode struct {
	CodeHash      string
	FamilyID      string
	ClientID      string
	UserID        string
	SessionHash   string // the portal session that allowed it: its sign-in
	RedirectURI   string
	Scopes        []string
	CodeChallenge string // base64url(SHA-256(verifier)), unpadded
	CreatedAt     time.Time
	ExpiresAt     time.Time
}

// Device authorization statuses.
const (
	DevicePending  = "PENDING"
	DeviceApproved = "APPROVED"
	DeviceDenied   = "DENIED"
	DeviceRedeemed = "REDEEMED"
)

// DeviceAuthorization is one StartDeviceAuthorization request and its fate.
// The device code is stored as a hash; the user code is short-lived and
// looked up by value.
type DeviceAuthorization struct {
	CodeHash     string
	UserCode     string // normalized: 8 letters, no dash
	ClientID     string
	Scopes       []string
	StartURL     string
	Status       string
	UserID       string // set on approval
	SessionHash  string // the portal session that approved it: its sign-in
	Interval     time.Duration
	LastPolledAt time.Time
	CreatedAt    time.Time
	ExpiresAt    time.Time
}

// Token is an SSO-OIDC access token with its refresh token. Both are stored as
// hashes. Rotation replaces the row; FamilyID ties a refresh chain together so
// a replayed refresh token, or a logout, ends the whole chain. SessionHash
// names the portal session whose approval began the chain: signing out of
// it ends the chain too.
type Token struct {
	AccessHash       string
	RefreshHash      string
	FamilyID         string
	SessionHash      string
	UserID           string
	ClientID         string
	Scopes           []string
	CreatedAt        time.Time
	ExpiresAt        time.Time
	RefreshExpiresAt time.Time
}
