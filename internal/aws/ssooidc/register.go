package ssooidc

import (
	"context"
	"crypto/subtle"
	"net/url"
	"regexp"
	"slices"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/keys"
)

type registerClientInput struct {
	ClientName             string   `json:"clientName"`
	ClientType             string   `json:"clientType"`
	Scopes                 []string `json:"scopes"`
	GrantTypes             []string `json:"grantTypes"`
	RedirectURIs           []string `json:"redirectUris"`
	IssuerURL              string   `json:"issuerUrl"`
	EntitledApplicationArn string   `json:"entitledApplicationArn"`
}

type registerClientOutput struct {
	ClientID              string `json:"clientId"`
	ClientSecret          string `json:"clientSecret"`
	ClientIDIssuedAt      int64  `json:"clientIdIssuedAt"`
	ClientSecretExpiresAt int64  `json:"clientSecretExpiresAt"`
	AuthorizationEndpoint string `json:"authorizationEndpoint,omitempty"`
	TokenEndpoint         string `json:"tokenEndpoint,omitempty"`
}

// scopeRe is a scope's characters. "*" is in it for the legacy portal
// scope "sso-portal:*", which granted registers with by default.
var scopeRe = regexp.MustCompile(`^[a-zA-Z0-9:._/*-]{1,128}$`)

func (s *Service) registerClient(ctx context.Context, in *registerClientInput) (*registerClientOutput, error) {
	if err := protocol.Required("clientName", in.ClientName, "clientType", in.ClientType); err != nil {
		return nil, err
	}
	if in.ClientType != "public" {
		return nil, oidcError(errs.Invalid, "InvalidClientMetadataException", "clientType must be public")
	}
	if err := protocol.MaxLen("clientName", in.ClientName, 256); err != nil {
		return nil, err
	}
	if err := checkScopes(in.Scopes); err != nil {
		return nil, err
	}
	if err := checkGrants(in); err != nil {
		return nil, err
	}
	if err := s.throttle(ctx, "oidc-register:"+clientIP(ctx), s.cfg.Limits.RegistrationsPerAddress); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	secret := s.secret(prefixClientSecret)
	c := ic.Client{ID: prefixClientID + clock.Token(s.random, 16), SecretHash: keys.HashSecret(secret), Name: in.ClientName,
		Type: in.ClientType, Scopes: in.Scopes, GrantTypes: dedupe(in.GrantTypes), RedirectURIs: in.RedirectURIs,
		IssuerURL: in.IssuerURL, IssuedAt: now, ExpiresAt: now.Add(clientLifetime)}
	if err := s.store.CreateClient(ctx, c); err != nil {
		return nil, err
	}
	out := &registerClientOutput{ClientID: c.ID, ClientSecret: secret,
		ClientIDIssuedAt: now.Unix(), ClientSecretExpiresAt: c.ExpiresAt.Unix()}
	if c.Allows(ic.GrantAuthorizationCode) && s.cfg.PublicURL != "" {
		out.AuthorizationEndpoint, out.TokenEndpoint = s.cfg.PublicURL+AuthorizePath, s.cfg.PublicURL+"/token"
	}
	return out, nil
}

// checkGrants checks the grant types, redirect URIs and issuer a client
// registers: known grants only, and redirect URIs exactly when the
// authorization code grant is asked for.
func checkGrants(in *registerClientInput) error {
	if in.EntitledApplicationArn != "" {
		return oidcError(errs.Invalid, "InvalidClientMetadataException", "entitledApplicationArn is not supported: register a client for the instance")
	}
	if len(in.GrantTypes) > 10 {
		return oidcError(errs.Invalid, "InvalidClientMetadataException", "at most 10 grant types are allowed")
	}
	code := false
	for _, g := range in.GrantTypes {
		switch g {
		case ic.GrantAuthorizationCode:
			code = true
		case ic.GrantDeviceCode, ic.GrantRefreshToken:
		default:
			return oidcError(errs.Invalid, "UnsupportedGrantTypeException", "grant type "+quote(g)+" is not supported")
		}
	}
	switch {
	case code && len(in.RedirectURIs) == 0:
		return oidcError(errs.Invalid, "InvalidRedirectUriException", "redirectUris is required for the authorization_code grant")
	case !code && len(in.RedirectURIs) > 0:
		return oidcError(errs.Invalid, "InvalidClientMetadataException", "redirectUris is only for the authorization_code grant")
	}
	if err := checkRedirectURIs(in.RedirectURIs); err != nil {
		return err
	}
	return checkIssuer(in.IssuerURL)
}

func checkIssuer(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if len(raw) > 2048 || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return oidcError(errs.Invalid, "InvalidClientMetadataException", "issuerUrl "+quote(raw)+" is not an http(s) URL")
	}
	return nil
}

// dedupe keeps the first of each repeated value.
func dedupe(list []string) []string {
	var out []string
	for _, v := range list {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func checkScopes(scopes []string) error {
	if len(scopes) > 25 {
		return oidcError(errs.Invalid, "InvalidScopeException", "at most 25 scopes are allowed")
	}
	for _, sc := range scopes {
		if !scopeRe.MatchString(sc) {
			return oidcError(errs.Invalid, "InvalidScopeException", "scope "+quote(sc)+" is not valid")
		}
	}
	return nil
}

func quote(s string) string {
	if len(s) > 64 {
		s = s[:64] + "..."
	}
	return `"` + s + `"`
}

// authenticate checks a client id and secret.
func (s *Service) authenticate(ctx context.Context, id, secret string) (ic.Client, error) {
	bad := oidcError(errs.Unauthenticated, "InvalidClientException", "Invalid client provided")
	if id == "" || secret == "" || len(id) > 128 || len(secret) > 2048 {
		return ic.Client{}, bad
	}
	c, err := s.store.Client(ctx, id)
	if errs.Is(err, errs.NotFound) {
		return ic.Client{}, bad
	}
	if err != nil {
		return ic.Client{}, err
	}
	if subtle.ConstantTimeCompare([]byte(keys.HashSecret(secret)), []byte(c.SecretHash)) != 1 {
		return ic.Client{}, bad
	}
	if !s.clock.Now().Before(c.ExpiresAt) {
		return ic.Client{}, oidcError(errs.Unauthenticated, "InvalidClientException", "The client registration has expired; register again")
	}
	return c, nil
}

// throttle counts one attempt against key and refuses past limit a minute.
func (s *Service) throttle(ctx context.Context, key string, limit int) error {
	ok, err := s.store.Allow(ctx, key, time.Minute, limit)
	if err != nil {
		return err
	}
	if !ok {
		return oidcError(errs.Throttled, "SlowDownException", "Too many requests; slow down")
	}
	return nil
}

func clientIP(ctx context.Context) string { return audit.ClientFrom(ctx).IP }
