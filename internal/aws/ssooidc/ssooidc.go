// Package ssooidc serves AWS SSO-OIDC (restJson1, unsigned).
//
// It owns: RegisterClient (with the grant types, loopback redirect URIs and
// issuer URL newer clients send), StartDeviceAuthorization, CreateToken
// with the authorization_code (PKCE, S256 only), device_code and
// refresh_token grants, the approval side of the device flow that the
// verification page drives, and the checks behind the /authorize page:
// which requests may be shown, and where the browser goes after Allow or
// Deny. Client secrets, device codes, authorization codes and tokens are
// stored only as hashes; user codes come from RFC 8628's vowel-free
// alphabet and guessing them is throttled.
//
// It does not own: the pages themselves or the person's portal session
// (web), or storage (store).
package ssooidc

import (
	"context"
	"github.com/keyward/keyward/internal/audit"
	"io"
	"net/http"
	"time"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// Store is what the service needs from storage.
type Store interface {
	User(ctx context.Context, id string) (ic.User, error)
	PortalSession(ctx context.Context, idHash string) (ic.PortalSession, error)
	AppendEvent(ctx context.Context, e audit.Event) error
	store.OIDC
	store.RateLimits
}

// Config holds the service's tunables.
type Config struct {
	// VerificationURI is the page people open to approve a device code.
	VerificationURI string
	// PublicURL is where clients reach the service (the AWS endpoint URL);
	// RegisterClient names its /authorize and /token there.
	PublicURL string
	// SessionLifetime bounds a sign-in: refresh works until it ends.
	SessionLifetime time.Duration
	// Interval is the polling interval handed to clients.
	Interval time.Duration
	// DeviceCodeLifetime is how long a device code may be approved.
	DeviceCodeLifetime time.Duration
	// CodeLifetime is how long an authorization code may be redeemed.
	CodeLifetime time.Duration
	// Limits bound guessing and flooding; zero fields take DefaultLimits'.
	Limits Limits
}

// Limits are per minute, except PendingPerClient. Each is keyed on the
// client address and, where one is known, on the client or the person, so
// an office behind one NAT address does not lock itself out.
type Limits struct {
	RegistrationsPerAddress int // RegisterClient
	DeviceStartsPerAddress  int // StartDeviceAuthorization
	DeviceStartsPerClient   int
	PendingPerClient        int // authorizations waiting for approval at once
	CodeLookupsPerAddress   int // user codes typed on the verification page
	CodeLookupsPerUser      int
}

// DefaultLimits are the limits of a default configuration.
var DefaultLimits = Limits{RegistrationsPerAddress: 300, DeviceStartsPerAddress: 300, DeviceStartsPerClient: 30,
	PendingPerClient: 100, CodeLookupsPerAddress: 300, CodeLookupsPerUser: 10}

// Lifetimes of what the service hands out.
const (
	clientLifetime    = 90 * 24 * time.Hour
	maxAccessLifetime = 8 * time.Hour
)

// Prefixes of what the service hands out. Real AWS tokens start with letters
// too; a base64url value starting with "-" is read as an option by the AWS
// CLI's argument parser (aws sso list-accounts --access-token -abc...), and
// a prefix tells secret scanners what they found.
const (
	prefixClientID     = "kwc"
	prefixClientSecret = "kws"
	prefixDeviceCode   = "kwd"
	prefixAuthCode     = "kwo"
	prefixAccessToken  = "kwa"
	prefixRefreshToken = "kwr"
)

// secret returns prefix and 256 random bits.
func (s *Service) secret(prefix string) string { return prefix + clock.Token(s.random, 32) }

// Service implements SSO-OIDC.
type Service struct {
	store  Store
	cfg    Config
	clock  clock.Clock
	random io.Reader
}

// New returns the service.
func New(s Store, cfg Config, clk clock.Clock, random io.Reader) *Service {
	if cfg.Interval <= 0 {
		cfg.Interval = time.Second
	}
	if cfg.DeviceCodeLifetime <= 0 {
		cfg.DeviceCodeLifetime = 10 * time.Minute
	}
	if cfg.CodeLifetime <= 0 {
		cfg.CodeLifetime = 10 * time.Minute
	}
	if cfg.Limits == (Limits{}) {
		cfg.Limits = DefaultLimits
	}
	return &Service{store: s, cfg: cfg, clock: clk, random: random}
}

// Register mounts the three endpoints on mux. Each answers with a secret
// (client secret, device code, tokens), so no response may be cached.
func (s *Service) Register(mux *http.ServeMux) {
	rest.Mount(mux, http.MethodPost, "/client/register", protocol.NoStore(protocol.Handle(rest, s.registerClient)))
	rest.Mount(mux, http.MethodPost, "/device_authorization", protocol.NoStore(protocol.Handle(rest, s.startDeviceAuthorization)))
	rest.Mount(mux, http.MethodPost, "/token", protocol.NoStore(protocol.Handle(rest, s.createToken)))
}

// rest binds the operations to restJson1 with OIDC errors.
var rest = &protocol.REST{Render: writeError, MaxBody: 64 << 10, Decoding: invalidRequest}

// invalidRequest restates a decoding error as InvalidRequestException, the
// only client-error shape SSO-OIDC models.
func invalidRequest(err error) error {
	if e, ok := errs.As(err); ok && e.Kind == errs.Invalid {
		return errs.E(errs.Invalid, "%s", e.Message).WithCode("InvalidRequestException")
	}
	return err
}
