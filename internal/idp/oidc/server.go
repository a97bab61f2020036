package oidc

import (
	"net/http"
	"slices"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// server is the authorization server a request is for: the org's (custom
// is nil) or a custom one.
type server struct {
	id     string // directory.OrgAuthServer or the custom server's id
	issuer string
	base   string // the endpoints' prefix: <issuer>/v1, or <org>/oauth2/v1
	custom *directory.AuthServer
}

// endpoint is the URL of the server's endpoint name ("token", "keys").
func (s server) endpoint(name string) string { return s.base + "/" + name }

// audience is the aud of the server's access tokens: the org URL for the
// org server, a custom server's first audience.
func (s server) audience() string {
	if s.custom == nil || len(s.custom.Audiences) == 0 {
		return s.issuer
	}
	return s.custom.Audiences[0]
}

// server resolves the request's authorization server from its path. An
// unknown or inactive custom server is not found, as in Okta.
func (p *Provider) server(r *http.Request) (server, error) {
	id := r.PathValue("as")
	if id == "" {
		return server{id: directory.OrgAuthServer, issuer: p.OrgURL, base: p.OrgURL + "/oauth2/v1"}, nil
	}
	notFound := &oauthError{http.StatusNotFound, "not_found", "There is no authorization server " + truncate(id) + "."}
	if len(id) > 64 {
		return server{}, notFound
	}
	as, err := p.Store.AuthServer(r.Context(), id)
	if errs.Is(err, errs.NotFound) || (err == nil && as.Status != directory.AppActive) {
		return server{}, notFound
	}
	if err != nil {
		return server{}, err
	}
	issuer := p.OrgURL + "/oauth2/" + as.ID
	return server{id: as.ID, issuer: issuer, base: issuer + "/v1", custom: &as}, nil
}

// orgScopes are the scopes the org server grants: OpenID Connect's and
// the Okta API scopes okta-aws-cli asks for.
var orgScopes = []string{"openid", "profile", "email", "address", "phone", "offline_access", "groups",
	"okta.apps.read", "okta.apps.sso", "okta.users.read.self"}

// oidcScopes are the OpenID Connect scopes every custom server has too.
var oidcScopes = []string{"openid", "profile", "email", "address", "phone", "offline_access"}

// scopes are the scopes the server grants.
func (s server) scopes() []string {
	if s.custom == nil {
		return orgScopes
	}
	out := slices.Clone(oidcScopes)
	for _, sc := range s.custom.Scopes {
		if !slices.Contains(out, sc.Name) {
			out = append(out, sc.Name)
		}
	}
	return out
}

// defaultScopes are a custom server's scopes marked default: what a client
// credentials grant without a scope gets.
func (s server) defaultScopes() []string {
	var out []string
	if s.custom != nil {
		for _, sc := range s.custom.Scopes {
			if sc.Default {
				out = append(out, sc.Name)
			}
		}
	}
	return out
}

// checkScopes refuses scopes the server does not grant.
func (s server) checkScopes(scopes []string) error {
	known := s.scopes()
	for _, sc := range scopes {
		if !slices.Contains(known, sc) {
			return invalidScope("One or more scopes are not configured for the authorization server resource.")
		}
	}
	return nil
}
