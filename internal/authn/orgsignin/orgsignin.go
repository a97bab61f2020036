// Package orgsignin signs people in at the identity provider's org URL:
// password, then a second factor when their sign-on policy asks for one
// (enrolling an authenticator app at that sign-in when they have none),
// then a session with the policy's idle and absolute lifetimes. A second
// factor is an authenticator app (TOTP) or a WebAuthn security key or
// passkey, whose relying party is the org URL. It also
// finishes activation and reset links and password changes.
//
// It owns the sign-in rules: throttling per client address and per login,
// the lockout to Okta's LOCKED_OUT status (lifted after LockoutDuration, or
// by an administrator), the same answer for an unknown login, a wrong
// password and an account that may not sign in, TOTP verification with
// each code accepted once, security-key ceremonies answered once, and the
// sealed state that carries a sign-in from one step to the next across
// replicas. Pages, cookies and wording belong to the web layer; orgsignin
// deals in opaque values.
package orgsignin

import (
	"context"
	"io"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/authn/password"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
)

// Store is what sign-in needs from storage.
type Store interface {
	User(ctx context.Context, id string) (directory.User, error)
	UserByLogin(ctx context.Context, login string) (directory.User, error)
	UpdateUser(ctx context.Context, id, eventType string, fn func(directory.User) (directory.User, error)) (directory.User, error)
	UserGroups(ctx context.Context, userID string) ([]directory.Group, error)
	store.Factors
	store.IdPSessions
	store.UserLinks
	SignOnPolicies(ctx context.Context) ([]directory.SignOnPolicy, error)
	store.RateLimits
	store.OneTimeKeys // WebAuthn ceremonies, each answered once
	AppendEvent(ctx context.Context, e audit.Event) error
}

// Limits bound guessing.
type Limits struct {
	MaxFailures     int           // wrong passwords within LockoutDuration before the account locks
	LockoutDuration time.Duration // how long a lock lasts before it lifts by itself
	// AttemptsPerAddress bounds sign-in attempts a minute from one
	// address; AttemptsPerUser those for one login from one address.
	AttemptsPerAddress int
	AttemptsPerUser    int
	// CodesPerUser bounds second-factor codes tried by one person in
	// CodeWindow.
	CodesPerUser int
	CodeWindow   time.Duration
}

// DefaultLimits are the seams issue's rules with Okta's lockout count.
var DefaultLimits = Limits{MaxFailures: 5, LockoutDuration: 15 * time.Minute, AttemptsPerAddress: 300,
	AttemptsPerUser: 10, CodesPerUser: 10, CodeWindow: 5 * time.Minute}

// Config is the service's dependencies.
type Config struct {
	Store  Store
	Hasher *password.Hasher
	Clock  clock.Clock
	Random io.Reader
	Master []byte // seals TOTP secrets and the state between steps
	Issuer string // the name authenticator apps show
	// OrgURL is the public URL people sign in at: its host name is the
	// WebAuthn RP ID and the URL the only origin. With an IP address for
	// a host, security keys are unavailable (browsers refuse them).
	OrgURL    string
	Limits    Limits
	Passwords directory.PasswordPolicy
}

// Service signs people in.
type Service struct {
	cfg     Config
	secrets *keys.Sealer // TOTP secrets at rest
	states  *keys.Sealer // the sign-in state between steps
	// ceremonies seals WebAuthn sessions between begin and finish; rp is
	// the WebAuthn relying party, nil when the org URL cannot have one.
	ceremonies *keys.Sealer
	rp         *webauthn.WebAuthn
	dummy      string // a real hash, verified for unknown logins
}

// New returns the service.
func New(cfg Config) (*Service, error) {
	if cfg.Limits.MaxFailures == 0 {
		cfg.Limits = DefaultLimits
	}
	if cfg.Passwords.MinLength == 0 {
		cfg.Passwords = directory.DefaultPasswordPolicy
	}
	secrets, err := keys.NewSealer(cfg.Master, "idp totp secret", cfg.Random)
	if err != nil {
		return nil, err
	}
	states, err := keys.NewSealer(cfg.Master, "idp sign-in state", cfg.Random)
	if err != nil {
		return nil, err
	}
	ceremonies, err := keys.NewSealer(cfg.Master, "idp webauthn session", cfg.Random)
	if err != nil {
		return nil, err
	}
	rp, _ := newRelyingParty(cfg.OrgURL) // nil: no security keys at this URL
	dummy, err := cfg.Hasher.Hash(context.Background(), clock.Token(cfg.Random, 16))
	if err != nil {
		return nil, err
	}
	return &Service{cfg: cfg, secrets: secrets, states: states, ceremonies: ceremonies, rp: rp, dummy: dummy}, nil
}

func (s *Service) now() time.Time { return s.cfg.Clock.Now() }
