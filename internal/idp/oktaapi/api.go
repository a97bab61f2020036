// Package oktaapi serves keyward's Okta-compatible management API under
// /api/v1: users and their lifecycle, groups and members, factors,
// administrator roles, API tokens, the system log, and apps with their user
// and group assignments and each user's app links, OpenID Connect apps'
// client settings and client secrets, and the custom authorization servers
// with their scopes, claims, access policies, rules and signing keys, with
// Okta's field names, status codes, error object, Link pagination and
// X-Rate-Limit-* headers, so the Okta SDKs and scripts written for Okta
// work unchanged.
//
// It owns the wire: authentication by SSWS token, authorization of every
// call against the caller's current roles, decoding and wording. It does
// not own storage, the domain rules (package directory), signing keys
// (package keys, asked through AuthServerKeys) or sign-in pages.
// It must not import anything under internal/aws.
package oktaapi

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/authn/password"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/idp/scimclient"
	"github.com/keyward/keyward/internal/idp/systemlog"
	"github.com/keyward/keyward/internal/store"
)

// Store is what the API needs from storage.
type Store interface {
	store.DirectoryUsers
	store.DirectoryGroups
	store.UserSchema
	store.AdminRoles
	store.APITokens
	store.UserLinks
	store.Factors
	store.IdPSessions
	RevokeUserOAuthTokens(ctx context.Context, userID string) (int, error)
	store.Apps
	store.ClientSecrets
	store.AuthServers
	scimclient.StatusSource // an app's provisioning status
	store.RateLimits
	systemlog.Store
	AppendEvent(ctx context.Context, e audit.Event) error
}

// Config is the API's dependencies and settings.
type Config struct {
	Store  Store
	Clock  clock.Clock
	Random io.Reader
	Hasher *password.Hasher
	Log    *slog.Logger
	// OrgURL is the public base URL, without a trailing slash; links and
	// one-time URLs are built on it.
	OrgURL string
	// RequestsPerMinute is each token's quota (Okta's X-Rate-Limit-Limit).
	RequestsPerMinute int
	// LinkLifetime is how long activation and reset links live.
	LinkLifetime time.Duration
	Passwords    directory.PasswordPolicy
	// SigningKeyID, when set, names the key an app's assertions are signed
	// with (the Application's credentials.signing.kid).
	SigningKeyID func(directory.App) string
	// AWSRoles, when set, seals the AWS Account Federation app's secret
	// key and checks its sessionDuration against its roles (awsroles).
	AWSRoles AWSRoles
	// AccessTokens, when set, lets a person call the endpoints about
	// themselves with an access token of the org authorization server.
	AccessTokens AccessTokens
	// AuthServerKeys are the keys every authorization server signs with
	// (its credentials/keys routes); without them those routes fail.
	AuthServerKeys AuthServerKeys
}

// AWSRoles is the AWS Account Federation app's API integration.
type AWSRoles interface {
	SealSecret(secret string) string
	Check(ctx context.Context, app directory.App) error
}

// API is the management API's handler.
type API struct {
	cfg Config
	mux *http.ServeMux
}

// New returns the API with its routes.
func New(cfg Config) *API {
	if cfg.RequestsPerMinute == 0 {
		cfg.RequestsPerMinute = 600
	}
	if cfg.LinkLifetime == 0 {
		cfg.LinkLifetime = 7 * 24 * time.Hour
	}
	if cfg.Passwords.MinLength == 0 {
		cfg.Passwords = directory.DefaultPasswordPolicy
	}
	cfg.OrgURL = strings.TrimSuffix(cfg.OrgURL, "/")
	a := &API{cfg: cfg, mux: http.NewServeMux()}
	a.routes()
	return a
}

// ServeHTTP serves /api/v1/... No answer may be cached: some carry
// secrets (a client secret shown once, activation tokens, reset links),
// and any is what one administrator may see.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	a.mux.ServeHTTP(w, r)
}

// handler is one operation: it writes its success and returns its failure,
// which the API renders as Okta's error object.
type handler func(w http.ResponseWriter, r *http.Request, c *caller) error

// wrap puts h behind authentication and rate limiting.
func (a *API) wrap(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := a.authenticate(r)
		if err == nil {
			err = allowBearer(r, c)
		}
		if err == nil {
			err = a.limit(w, r, c)
		}
		if err == nil {
			r = r.WithContext(c.context(r))
			err = h(w, r, c)
		}
		if err != nil {
			a.writeError(w, r, err)
		}
	})
}

func (a *API) now() time.Time { return a.cfg.Clock.Now() }
