package directory

import "time"

// Session is a person's signed-in session at the identity provider: what
// SAML and OIDC sign-ins build on. Only the hash of its cookie value is
// stored.
type Session struct {
	IDHash     string
	UserID     string
	Created    time.Time
	LastActive time.Time
	// IdleExpiresAt moves forward with use; ExpiresAt never does. The
	// session ends at whichever comes first.
	IdleExpiresAt time.Time
	ExpiresAt     time.Time
	// AMR lists how the person proved who they are (RFC 8176 values: pwd,
	// otp, hwk), in order.
	AMR       []string
	IP        string
	UserAgent string
}

// Live reports whether s is still valid at now.
func (s Session) Live(now time.Time) bool {
	return now.Before(s.IdleExpiresAt) && now.Before(s.ExpiresAt)
}
