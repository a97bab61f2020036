package oktaapi

import (
	"context"
	"net/http"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/keys"
)

// secretBytes is the entropy of a generated client secret (40 characters
// on the wire, as Okta's).
const secretBytes = 30

// createOIDCApp is POST /api/v1/apps for an OPENID_CONNECT app. A
// confidential client's secret is in this response only.
func (a *API) createOIDCApp(w http.ResponseWriter, r *http.Request, b appBody, activate bool) error {
	id := directory.NewAppID(a.cfg.Random)
	app, secret, err := b.oidcApp(id)
	if err != nil {
		return err
	}
	app.ID, app.Status = id, directory.AppInactive
	if activate {
		app.Status = directory.AppActive
	}
	secret = a.keepSecret(&app.OAuth, secret, false)
	if app, err = a.cfg.Store.CreateApp(r.Context(), app); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.oidcAppJSON(app, secret))
	return nil
}

// keepSecret sets c's new secret (SecretHash) for a client that
// authenticates with a secret: the given one, else a new one when the
// client had none (hadSecret false), else none, which keeps the secrets it
// has. It returns the secret to show once ("" when none is new). A client
// that uses no secret gets none, and the store drops any it had.
func (a *API) keepSecret(c *directory.OAuthClient, given string, hadSecret bool) string {
	c.SecretHash = ""
	switch {
	case !c.UsesSecret(), given == "" && hadSecret:
		return ""
	case given == "":
		given = clock.Token(a.cfg.Random, secretBytes)
	}
	c.SecretHash = keys.HashSecret(given)
	return given
}

// replaceOIDCApp is PUT /api/v1/apps/{appId} for an OIDC app: the label and
// client settings. The client's secrets stay unless the body gives one,
// which replaces them all.
func (a *API) replaceOIDCApp(w http.ResponseWriter, r *http.Request, old directory.App, b appBody) error {
	next, secret, err := b.oidcApp(old.ID)
	if err != nil {
		return err
	}
	var shown string
	app, err := a.cfg.Store.UpdateApp(r.Context(), old.ID, appUpdate, func(app directory.App) (directory.App, error) {
		shown = a.keepSecret(&next.OAuth, secret, app.OAuth.UsesSecret())
		app.Label, app.OAuth = next.Label, next.OAuth
		return app, nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.oidcAppJSON(app, shown))
	return nil
}

// modeChange refuses a replace that would change the app's sign-on mode.
func modeChange(old directory.App, b appBody) error {
	if b.SignOnMode == string(old.SignOnMode) {
		return nil
	}
	return (&causes{"signOnMode: An app's sign-on mode cannot change (it is " + string(old.SignOnMode) + ")"}).err()
}

// launchURL is where a person starts using the app from the dashboard: a
// SAML app's IdP-initiated sign-in, an OIDC app's initiate_login_uri; ""
// for an OIDC app without one (a CLI, a service), which has no link.
func (a *API) launchURL(app directory.App) string {
	if app.SignOnMode == directory.OIDC {
		return app.OAuth.InitiateLoginURI
	}
	return a.cfg.OrgURL + ssoPath(app)
}

// checkWebSSOClient refuses an AWS Account Federation app whose
// webSSOAllowedClient names no OIDC app.
func (a *API) checkWebSSOClient(ctx context.Context, app directory.App) error {
	id := app.Settings[directory.AWSFedWebSSOClient]
	if app.Name != directory.AWSAccountFederationApp || id == "" {
		return nil
	}
	cause := &causes{"settings.app." + directory.AWSFedWebSSOClient + ": Must be the client_id of an OpenID Connect app"}
	if !directory.ValidID(id) {
		return cause.err()
	}
	client, err := a.cfg.Store.App(ctx, id)
	if errs.KindOf(err) == errs.NotFound || (err == nil && client.SignOnMode != directory.OIDC) {
		return cause.err()
	}
	return err
}
