package ssooidc

import (
	"context"
	"crypto/subtle"
	"regexp"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/keys"
)

type registerClientInput struct {
	ClientName string   `json:"clientName"`
	ClientType string   `json:"clientType"`
	Scopes     []string `json:"scopes"`
}

type registerClientOutput struct {
	ClientID              string `json:"clientId"`
	ClientSecret          string `json:"clientSecret"`
	ClientIDIssuedAt      int64  `json:"clientIdIssuedAt"`
	ClientSecretExpiresAt int64  `json:"clientSecretExpiresAt"`
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
	if err := s.throttle(ctx, "oidc-register:"+clientIP(ctx), s.cfg.Limits.RegistrationsPerAddress); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	secret := s.secret(prefixClientSecret)
	c := ic.Client{ID: prefixClientID + clock.Token(s.random, 16), SecretHash: keys.HashSecret(secret), Name: in.ClientName,
		Type: in.ClientType, Scopes: in.Scopes, IssuedAt: now, ExpiresAt: now.Add(clientLifetime)}
	if err := s.store.CreateClient(ctx, c); err != nil {
		return nil, err
	}
	return &registerClientOutput{ClientID: c.ID, ClientSecret: secret,
		ClientIDIssuedAt: now.Unix(), ClientSecretExpiresAt: c.ExpiresAt.Unix()}, nil
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
