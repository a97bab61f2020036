package oidc

import (
	"context"
	"crypto/x509"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/authn/orgsignin"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/keys"
)

// Apps is what the provider needs of apps: clients are OIDC apps, and
// web-SSO tokens are for the AWS Account Federation app (store.Apps).
type Apps interface {
	App(ctx context.Context, id string) (directory.App, error)
	// AppUser is the person's effective assignment; none is errs.NotFound.
	AppUser(ctx context.Context, appID, userID string) (directory.AppUser, error)
	// ClientSecrets are a confidential client's secrets, by hash.
	ClientSecrets(ctx context.Context, clientID string) ([]directory.ClientSecret, error)
}

// Directory is what tokens and policies need of people (store.IdP).
type Directory interface {
	User(ctx context.Context, id string) (directory.User, error)
	UserGroups(ctx context.Context, userID string) ([]directory.Group, error)
	IdPSession(ctx context.Context, idHash string) (directory.Session, error)
	SignOnPolicies(ctx context.Context) ([]directory.SignOnPolicy, error)
	AppendEvent(ctx context.Context, e audit.Event) error
}

// Store is where grants and authorization servers live (store.IdP).
type Store interface {
	AuthServer(ctx context.Context, id string) (directory.AuthServer, error)
	CreateOAuthDevice(ctx context.Context, d directory.OAuthDevice) error
	OAuthDevice(ctx context.Context, codeHash string) (directory.OAuthDevice, error)
	OAuthDeviceByUserCode(ctx context.Context, userCode string) (directory.OAuthDevice, error)
	UpdateOAuthDevice(ctx context.Context, codeHash string, fn func(directory.OAuthDevice) (directory.OAuthDevice, error)) (directory.OAuthDevice, error)
	CreateOAuthCode(ctx context.Context, c directory.OAuthCode) error
	RedeemOAuthCode(ctx context.Context, codeHash string) (directory.OAuthCode, error)
	// CreateOAuthToken and RotateOAuthToken store a token with its
	// grant's event in one transaction.
	CreateOAuthToken(ctx context.Context, t directory.OAuthToken, e audit.Event) error
	OAuthTokenByRefresh(ctx context.Context, refreshHash string) (directory.OAuthToken, error)
	RotateOAuthToken(ctx context.Context, refreshHash string, fn func(old directory.OAuthToken) (directory.OAuthToken, audit.Event, error)) (directory.OAuthToken, error)
	RevokeOAuthFamily(ctx context.Context, hash string) (bool, error)
	OAuthTokenByAccess(ctx context.Context, accessHash string) (directory.OAuthToken, error)
	// RememberKey and ConsumeKey are the one-time keys (a client
	// assertion's jti, a web-SSO token).
	RememberKey(ctx context.Context, key string, expires time.Time) error
	ConsumeKey(ctx context.Context, key string) error
	Allow(ctx context.Context, key string, window time.Duration, limit int) (bool, error)
}

// SignIn is the org's sign-in (orgsignin.Service): the session behind the
// browser's cookie.
type SignIn interface {
	Session(ctx context.Context, value string) (directory.Session, directory.User, error)
	// StepUp is the second factor a session must add when the person's
	// policy requires one it lacks; Seal carries that step in the org
	// pages' sign-in cookie.
	StepUp(ctx context.Context, u directory.User, ss directory.Session, next string) (orgsignin.State, bool, error)
	Seal(st orgsignin.State) string
	// EndSession signs the browser's session out (RP-initiated logout).
	EndSession(ctx context.Context, value string) error
}

// Keys are the OIDC signing keys (keys.SigningKeys of use oidc).
type Keys interface {
	Active(ctx context.Context) (keys.Signer, error)
	Published(ctx context.Context) ([]directory.SigningKey, error)
	// PublishedCertificate is the parsed certificate of the published key
	// id (ok false when none is published by that id).
	PublishedCertificate(ctx context.Context, id string) (cert *x509.Certificate, ok bool, err error)
}

// Limits bound guessing and polling, per minute.
type Limits struct {
	DeviceStartsPerClient int // device authorizations one client may start from one address
	PendingPerClient      int // device authorizations one client may start from one address in a code's lifetime
	CodeLookupsPerAddress int // user codes typed from one address
	CodeLookupsPerUser    int // user codes typed by one signed-in person
}

// Config is the provider's dependencies.
type Config struct {
	OrgURL    string // no trailing slash
	Master    []byte // seals web-SSO tokens
	Apps      Apps
	Directory Directory
	Store     Store
	SignIn    SignIn
	Keys      Keys
	Clock     clock.Clock
	Random    io.Reader
	Limits    Limits
	// SecureCookies marks cookies Secure (an https org URL).
	SecureCookies bool
	Log           *slog.Logger // nil: slog.Default()
}

// Lifetimes of what the provider issues, as Okta's defaults.
const (
	accessTokenLifetime = time.Hour
	idTokenLifetime     = time.Hour
	deviceCodeLifetime  = 10 * time.Minute
	deviceInterval      = 5 * time.Second
	webSSOLifetime      = 5 * time.Minute
)

// Provider serves the OpenID Connect endpoints.
type Provider struct {
	Config
	webSSO *keys.Sealer
}

// New returns the provider for cfg.
func New(cfg Config) (*Provider, error) {
	sealer, err := keys.NewSealer(cfg.Master, "oidc web sso token", cfg.Random)
	if err != nil {
		return nil, err
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Provider{Config: cfg, webSSO: sealer}, nil
}

// Routes mounts the endpoints on mux: the org authorization server's, the
// custom servers' under /oauth2/{as}, and Okta's organization document.
// They are called by other sites' clients and browsers (a relying party's
// form may post to /authorize), so they sit outside the org pages'
// cross-origin protection; the device verification page is an org page
// (web/orgpages) and sits inside it.
func (p *Provider) Routes(mux *http.ServeMux) {
	for _, prefix := range []string{"/oauth2/v1", "/oauth2/{as}/v1"} {
		mux.HandleFunc("GET "+prefix+"/keys", p.serveKeys)
		mux.HandleFunc("POST "+prefix+"/token", p.serveToken)
		mux.HandleFunc("POST "+prefix+"/device/authorize", p.serveDeviceAuthorize)
		mux.HandleFunc("GET "+prefix+"/authorize", p.serveAuthorize)
		mux.HandleFunc("POST "+prefix+"/authorize", p.serveAuthorize)
		mux.HandleFunc("GET "+prefix+"/userinfo", p.serveUserinfo)
		mux.HandleFunc("POST "+prefix+"/userinfo", p.serveUserinfo)
		mux.HandleFunc("POST "+prefix+"/introspect", p.serveIntrospect)
		mux.HandleFunc("POST "+prefix+"/revoke", p.serveRevoke)
		mux.HandleFunc("GET "+prefix+"/logout", p.serveLogout)
	}
	for _, doc := range []string{"openid-configuration", "oauth-authorization-server"} {
		mux.HandleFunc("GET /.well-known/"+doc, p.serveDiscovery)
		mux.HandleFunc("GET /oauth2/{as}/.well-known/"+doc, p.serveDiscovery)
	}
	mux.HandleFunc("GET /.well-known/okta-organization", p.serveOrganization)
}

func (p *Provider) now() time.Time { return p.Clock.Now() }
