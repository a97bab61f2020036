package oidc

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/keyward/keyward/internal/errs"
)

// bearerAccess verifies an access token this server issued and returns
// its claims, if it is live and not revoked.
func (p *Provider) bearerAccess(ctx context.Context, s server, raw string) (accessClaims, error) {
	var c accessClaims
	if err := p.verify(ctx, raw, &c); err != nil || c.Issuer != s.issuer || p.now().Unix() >= c.Expiry {
		return c, errAccessToken
	}
	_, err := p.liveAccess(ctx, c)
	return c, err
}

// serveUserinfo is the UserInfo endpoint (OpenID Connect Core §5.3): the
// claims of the person behind a live access token with the openid scope,
// as they are now.
func (p *Provider) serveUserinfo(w http.ResponseWriter, r *http.Request) {
	claims, err := p.userinfo(r)
	switch e := oauthErrorOf(err); {
	case err == nil:
		writeJSON(w, http.StatusOK, claims)
	case err == errNoBearer:
		// RFC 6750 §3.1: a request with no token learns only the scheme.
		w.Header().Set("WWW-Authenticate", `Bearer realm="`+p.OrgURL+`"`)
		w.WriteHeader(http.StatusUnauthorized)
	case errs.KindOf(err) == errs.Unauthenticated:
		bearerChallenge(w, http.StatusUnauthorized, "invalid_token", "The access token is invalid.")
	case e.code == "insufficient_scope":
		bearerChallenge(w, http.StatusForbidden, e.code, e.desc)
	default:
		p.writeError(w, r, err)
	}
}

// errNoBearer is a request that carries no bearer token at all.
var errNoBearer = errs.E(errs.Unauthenticated, "The request carries no bearer token.")

// bearerChallenge answers a resource request with RFC 6750's challenge.
func bearerChallenge(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("WWW-Authenticate", `Bearer error="`+code+`", error_description="`+desc+`"`)
	w.WriteHeader(status)
}

func (p *Provider) userinfo(r *http.Request) (map[string]any, error) {
	s, err := p.server(r)
	if err != nil {
		return nil, err
	}
	scheme, raw, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil, errNoBearer
	}
	c, err := p.bearerAccess(r.Context(), s, raw)
	if err != nil {
		return nil, err
	}
	if c.UserID == "" || !slices.Contains(c.Scopes, "openid") {
		return nil, &oauthError{http.StatusForbidden, "insufficient_scope", "The access token must provide access to at least one of these scopes: openid."}
	}
	u, err := p.standing(r.Context(), c.UserID, "")
	if err != nil {
		return nil, errAccessToken
	}
	out := map[string]any{"sub": u.ID}
	if slices.Contains(c.Scopes, "profile") {
		out["name"], out["preferred_username"] = u.DisplayName(), u.Login()
		out["given_name"], out["family_name"] = u.Profile.String("firstName"), u.Profile.String("lastName")
		out["updated_at"] = u.LastUpdated.Unix()
	}
	if slices.Contains(c.Scopes, "email") {
		out["email"], out["email_verified"] = u.Profile.String("email"), true
	}
	return out, nil
}
