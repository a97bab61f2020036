package oidc

import (
	"context"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/keys"
)

// jwtBearer is the client_assertion_type of private_key_jwt (RFC 7523).
const jwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// errClientAuth is every failed client authentication but the assertion's
// own, in Okta's words: which part failed is not the caller's business.
var errClientAuth = invalidClient("Client authentication failed. Either the client or the client credentials are invalid.")

// authenticate finds the calling client and checks its credentials with
// the method its app is registered for: a client assertion
// (private_key_jwt), HTTP Basic or form secrets, or none for a public
// client, which names itself with client_id.
func (p *Provider) authenticate(ctx context.Context, r *http.Request, f map[string]string, s server) (directory.App, error) {
	asserted := f["client_assertion_type"] != "" || f["client_assertion"] != ""
	if methods(asserted, r.Header.Get("Authorization") != "", f["client_secret"] != "") > 1 {
		// RFC 6749 §2.3: one method per request, in Okta's words.
		return directory.App{}, invalidRequest("Cannot supply multiple client credentials. Use one of the following: " +
			"credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.")
	}
	if asserted {
		return p.assertedClient(ctx, f, s)
	}
	id, secret, method, err := presented(r, f)
	if err != nil {
		return directory.App{}, err
	}
	app, err := p.client(ctx, id)
	if err != nil {
		return app, err
	}
	if app.OAuth.TokenEndpointAuthMethod != method {
		return app, errClientAuth
	}
	if method == directory.AuthNone {
		return app, nil
	}
	ok, err := p.activeSecret(ctx, app.ID, secret)
	if err == nil && !ok {
		err = invalidClient("The client secret supplied for a confidential client is invalid.")
	}
	return app, err
}

// methods counts the client authentication methods a request uses.
func methods(used ...bool) int {
	n := 0
	for _, u := range used {
		if u {
			n++
		}
	}
	return n
}

// activeSecret reports whether secret is one of the client's ACTIVE
// secrets (a client rotating its secret has two), comparing every hash in
// constant time.
func (p *Provider) activeSecret(ctx context.Context, clientID, secret string) (bool, error) {
	all, err := p.Apps.ClientSecrets(ctx, clientID)
	if err != nil {
		return false, err
	}
	hash, ok := []byte(keys.HashSecret(secret)), false
	for _, c := range all {
		if subtle.ConstantTimeCompare(hash, []byte(c.Hash)) == 1 && c.Status == directory.AppActive {
			ok = true
		}
	}
	return ok, nil
}

// presented is the client id and secret a request carries, and how.
func presented(r *http.Request, f map[string]string) (id, secret, method string, err error) {
	if user, pass, ok := r.BasicAuth(); ok {
		// RFC 6749 §2.3.1: both parts are form-encoded inside Basic.
		id, err1 := url.QueryUnescape(user)
		secret, err2 := url.QueryUnescape(pass)
		if err1 != nil || err2 != nil || (f["client_id"] != "" && f["client_id"] != id) {
			return "", "", "", errClientAuth
		}
		return id, secret, directory.AuthClientSecretBasic, nil
	}
	if r.Header.Get("Authorization") != "" {
		return "", "", "", errClientAuth
	}
	if f["client_id"] == "" {
		return "", "", "", invalidClient("The client_id parameter is required: name the client, or authenticate it.")
	}
	if f["client_secret"] != "" {
		return f["client_id"], f["client_secret"], directory.AuthClientSecretPost, nil
	}
	return f["client_id"], "", directory.AuthNone, nil
}

// client is the active OIDC app with client id id.
func (p *Provider) client(ctx context.Context, id string) (directory.App, error) {
	if id == "" || len(id) > 64 || strings.ContainsAny(id, " \t\r\n") {
		return directory.App{}, errClientAuth
	}
	app, err := p.Apps.App(ctx, id)
	if errs.Is(err, errs.NotFound) || (err == nil && (app.SignOnMode != directory.OIDC || app.Status != directory.AppActive)) {
		return directory.App{}, errClientAuth
	}
	return app, err
}

// allowGrant refuses a grant the client is not registered for, listing
// what it is registered for as Okta does.
func allowGrant(app directory.App, grant string) error {
	if app.OAuth.Allows(grant) {
		return nil
	}
	return unauthorizedClient("The client is not authorized to use the provided grant type. Configured grant types: [" +
		strings.Join(app.OAuth.GrantTypes, ", ") + "].")
}
