package oidc

import (
	"context"
	"net/http"
	"strings"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/httpx"
	"github.com/keyward/keyward/internal/keys"
)

// ownToken finds the stored token behind raw (an access token JWT of this
// server, or an opaque refresh token) if it was issued to app; anything
// else is errs.NotFound.
func (p *Provider) ownToken(ctx context.Context, s server, app directory.App, raw string) (directory.OAuthToken, bool, error) {
	if len(raw) > maxToken || raw == "" {
		return directory.OAuthToken{}, false, errs.E(errs.NotFound, "no such token")
	}
	var t directory.OAuthToken
	var err error
	isAccess := strings.Count(raw, ".") == 2
	if isAccess {
		var c accessClaims
		if p.verify(ctx, raw, &c) != nil || c.Issuer != s.issuer {
			return t, true, errs.E(errs.NotFound, "no such token")
		}
		t, err = p.Store.OAuthTokenByAccess(ctx, keys.HashSecret(c.JTI))
	} else {
		t, err = p.Store.OAuthTokenByRefresh(ctx, keys.HashSecret(raw))
	}
	if err == nil && (t.ClientID != app.ID || t.AuthServerID != s.id) {
		err = errs.E(errs.NotFound, "no such token")
	}
	return t, isAccess, err
}

// serveRevoke is the revocation endpoint (RFC 7009): the client's own
// access or refresh token ends its whole family (the sign-in's chain).
// Unknown tokens and other clients' tokens are answered 200 like any
// other, as the RFC asks.
func (p *Provider) serveRevoke(w http.ResponseWriter, r *http.Request) {
	if err := p.revoke(w, r); err != nil {
		p.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

func (p *Provider) revoke(w http.ResponseWriter, r *http.Request) error {
	s, app, f, err := p.clientRequest(w, r)
	if err != nil {
		return err
	}
	if f["token"] == "" {
		return invalidRequest("The token parameter is required.")
	}
	ctx := httpx.AuditContext(r)
	t, _, err := p.ownToken(ctx, s, app, f["token"])
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = p.Store.RevokeOAuthFamily(ctx, t.AccessHash)
	return err
}

// clientRequest reads the form of an endpoint only authenticated clients
// call (introspection, revocation).
func (p *Provider) clientRequest(w http.ResponseWriter, r *http.Request) (server, directory.App, map[string]string, error) {
	s, err := p.server(r)
	if err != nil {
		return s, directory.App{}, nil, err
	}
	f, err := form(w, r)
	if err != nil {
		return s, directory.App{}, nil, err
	}
	app, err := p.authenticate(httpx.AuditContext(r), r, f, s)
	return s, app, f, err
}

// serveIntrospect is the introspection endpoint (RFC 7662) for the
// client's own tokens: active with their claims, or just inactive (as is
// every token of a person who may no longer sign in).
func (p *Provider) serveIntrospect(w http.ResponseWriter, r *http.Request) {
	s, app, f, err := p.clientRequest(w, r)
	if err != nil {
		p.writeError(w, r, err)
		return
	}
	if f["token"] == "" { // RFC 7662 §2.1: token is required
		p.writeError(w, r, invalidRequest("The token parameter is required."))
		return
	}
	inactive := map[string]any{"active": false}
	t, isAccess, err := p.ownToken(r.Context(), s, app, f["token"])
	if errs.Is(err, errs.NotFound) || (err == nil && isAccess && !p.now().Before(t.ExpiresAt)) ||
		(err == nil && !isAccess && !t.RefreshExpiresAt.IsZero() && !p.now().Before(t.RefreshExpiresAt)) {
		writeJSON(w, http.StatusOK, inactive)
		return
	}
	if err != nil {
		p.writeError(w, r, err)
		return
	}
	var u directory.User
	if t.UserID != "" {
		// A person who may no longer sign in has no live tokens, as
		// userinfo and refresh already hold.
		if u, err = p.standing(r.Context(), t.UserID, ""); err != nil {
			if _, refused := err.(*oauthError); refused {
				writeJSON(w, http.StatusOK, inactive)
			} else {
				p.writeError(w, r, err)
			}
			return
		}
	}
	out := map[string]any{"active": true, "scope": strings.Join(t.Scopes, " "), "client_id": t.ClientID,
		"iat": t.CreatedAt.Unix(), "iss": s.issuer, "aud": s.audience(), "token_type": "Bearer"}
	if isAccess {
		out["exp"] = t.ExpiresAt.Unix()
	} else {
		out["token_type"], out["scope"] = "refresh_token", strings.Join(t.GrantedScopes(), " ")
		if !t.RefreshExpiresAt.IsZero() {
			out["exp"] = t.RefreshExpiresAt.Unix()
		}
	}
	if t.UserID != "" {
		out["uid"], out["sub"], out["username"] = t.UserID, u.Login(), u.Login()
	}
	writeJSON(w, http.StatusOK, out)
}
