package directory

import "time"

// APIToken is an Okta API token (SSWS). It acts as the administrator who
// made it, with that administrator's current roles. The secret is shown
// once, when it is made; only its hash is stored.
type APIToken struct {
	ID         string
	Name       string
	UserID     string
	ClientName string
	Created    time.Time
	LastUsed   time.Time
	// ExpiresAt is when the token stops working if it goes unused for its
	// idle window (Okta's tokenWindow, 30 days).
	ExpiresAt time.Time
}

// TokenWindow is Okta's idle window for API tokens.
const TokenWindow = 30 * 24 * time.Hour

// UserTokenPurpose is what a one-time link token is for.
type UserTokenPurpose string

// The one-time link purposes.
const (
	ActivationToken UserTokenPurpose = "activation"
	ResetToken      UserTokenPurpose = "reset"
)

// UserToken is a one-time link token (activation or password reset). Only
// its hash is stored; using it spends it.
type UserToken struct {
	Hash      string
	UserID    string
	Purpose   UserTokenPurpose
	Created   time.Time
	ExpiresAt time.Time
}
