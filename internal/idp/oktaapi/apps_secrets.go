package oktaapi

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
)

// clientSecretOperations are Okta's OAuth 2.0 client-secret routes: a
// confidential OIDC client holds up to two secrets, so one is rotated by
// adding the next, moving the client to it, then deactivating and deleting
// the old. Reading them takes a read role, changing them an app
// administrator's.
func (a *API) clientSecretOperations() map[string]handler {
	const base = "/api/v1/apps/{appId}/credentials/secrets"
	const one = base + "/{secretId}"
	return map[string]handler{
		"GET " + base:                           a.listClientSecrets,
		"POST " + base:                          a.createClientSecret,
		"GET " + one:                            a.getClientSecret,
		"DELETE " + one:                         a.deleteClientSecret,
		"POST " + one + "/lifecycle/activate":   a.clientSecretLifecycle(directory.AppActive),
		"POST " + one + "/lifecycle/deactivate": a.clientSecretLifecycle(directory.AppInactive),
	}
}

// secretJSON is Okta's OAuth2ClientSecret. The secret itself is in the
// create answer only; secret_hash tells secrets apart without it.
type secretJSON struct {
	ID           string          `json:"id"`
	Status       string          `json:"status"`
	ClientSecret string          `json:"client_secret,omitempty"`
	SecretHash   string          `json:"secret_hash"`
	Created      string          `json:"created"`
	LastUpdated  string          `json:"lastUpdated"`
	Links        secretLinksJSON `json:"_links"`
}

type secretLinksJSON struct {
	Activate   *href `json:"activate,omitempty"`
	Deactivate *href `json:"deactivate,omitempty"`
	Delete     *href `json:"delete,omitempty"`
}

// secretBody is Okta's OAuth2ClientSecretRequestBody: an administrator may
// bring their own secret and create it INACTIVE.
type secretBody struct {
	ClientSecret string `json:"client_secret"`
	Status       string `json:"status"`
}

func (a *API) secretJSON(c directory.ClientSecret, shown string) secretJSON {
	self := a.cfg.OrgURL + "/api/v1/apps/" + c.ClientID + "/credentials/secrets/" + c.ID
	out := secretJSON{ID: c.ID, Status: string(c.Status), ClientSecret: shown, SecretHash: secretFingerprint(c.Hash),
		Created: formatTime(c.Created), LastUpdated: formatTime(c.LastUpdated)}
	if c.Status == directory.AppActive {
		out.Links.Deactivate = &href{Href: self + "/lifecycle/deactivate", Method: "POST"}
	} else {
		out.Links.Activate = &href{Href: self + "/lifecycle/activate", Method: "POST"}
		out.Links.Delete = &href{Href: self, Method: "DELETE"}
	}
	return out
}

// secretFingerprint is the secret_hash shown for a stored hash: 22
// characters, like Okta's, that name the secret without giving away the
// hash the token endpoint compares.
func secretFingerprint(hash string) string {
	sum := sha256.Sum256([]byte("client secret fingerprint\x00" + hash))
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

// secretApp is the app {appId} names, for a caller allowed action.
func (a *API) secretApp(r *http.Request, c *caller, action directory.Action) (directory.App, error) {
	app, err := a.app(r)
	if err != nil {
		return app, err
	}
	return app, a.allow(r, c, action, directory.Scope{OrgWide: true})
}

// secretClient is secretApp for listing and creating secrets: an app that
// is not an OIDC client, or one that authenticates without a secret, has
// none. (A secret id under such an app is simply not found.)
func (a *API) secretClient(r *http.Request, c *caller, action directory.Action) (directory.App, error) {
	app, err := a.secretApp(r, c, action)
	if err != nil {
		return app, err
	}
	if app.SignOnMode != directory.OIDC || !app.OAuth.UsesSecret() {
		return app, (&causes{"credentials.oauthClient.token_endpoint_auth_method: Only a client_secret_basic or client_secret_post client has secrets"}).err()
	}
	return app, nil
}

// listClientSecrets is GET .../credentials/secrets, oldest first.
func (a *API) listClientSecrets(w http.ResponseWriter, r *http.Request, c *caller) error {
	app, err := a.secretClient(r, c, directory.ReadDirectory)
	if err != nil {
		return err
	}
	all, err := a.cfg.Store.ClientSecrets(r.Context(), app.ID)
	if err != nil {
		return err
	}
	out := make([]secretJSON, 0, len(all))
	for _, s := range all {
		out = append(out, a.secretJSON(s, ""))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// createClientSecret is POST .../credentials/secrets: the given secret or
// a new one, shown in this answer only, 201. A client holding two secrets
// already is refused.
func (a *API) createClientSecret(w http.ResponseWriter, r *http.Request, c *caller) error {
	var b secretBody
	if err := decodeBody(r, &b, false); err != nil {
		return err
	}
	app, err := a.secretClient(r, c, directory.ManageApps)
	if err != nil {
		return err
	}
	secret, status, err := b.secret()
	if err != nil {
		return err
	}
	if secret == "" {
		secret = clock.Token(a.cfg.Random, secretBytes)
	}
	created, err := a.cfg.Store.CreateClientSecret(r.Context(), directory.ClientSecret{ClientID: app.ID,
		Hash: keys.HashSecret(secret), Status: status})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a.secretJSON(created, secret))
	return nil
}

// secret checks the body: the secret it brings ("" for none) and the
// status (ACTIVE unless it says INACTIVE).
func (b secretBody) secret() (string, directory.AppStatus, error) {
	var c causes
	checkSecret("client_secret", b.ClientSecret, &c)
	status := directory.AppStatus(b.Status)
	switch status {
	case "":
		status = directory.AppActive
	case directory.AppActive, directory.AppInactive:
	default:
		c.add("status", "Must be ACTIVE or INACTIVE; got "+quoteOrBlank(b.Status))
	}
	return b.ClientSecret, status, c.err()
}

// clientSecret is the secret {secretId} of the app {appId}, for a caller
// allowed action.
func (a *API) clientSecret(r *http.Request, c *caller, action directory.Action) (directory.ClientSecret, error) {
	app, err := a.secretApp(r, c, action)
	if err != nil {
		return directory.ClientSecret{}, err
	}
	id := r.PathValue("secretId")
	if !directory.ValidID(id) {
		return directory.ClientSecret{}, notFound(store.ResourceClientSecret, id)
	}
	return a.cfg.Store.ClientSecret(r.Context(), app.ID, id)
}

// getClientSecret is GET .../credentials/secrets/{secretId}.
func (a *API) getClientSecret(w http.ResponseWriter, r *http.Request, c *caller) error {
	s, err := a.clientSecret(r, c, directory.ReadDirectory)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.secretJSON(s, ""))
	return nil
}

// deleteClientSecret is DELETE .../credentials/secrets/{secretId}: 204 for
// an INACTIVE secret; an ACTIVE one must be deactivated first.
func (a *API) deleteClientSecret(w http.ResponseWriter, r *http.Request, c *caller) error {
	s, err := a.clientSecret(r, c, directory.ManageApps)
	if err != nil {
		return err
	}
	if err := a.cfg.Store.DeleteClientSecret(r.Context(), s.ClientID, s.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// clientSecretLifecycle is POST .../lifecycle/activate and .../deactivate:
// 200 with the secret; the client's last ACTIVE secret cannot be
// deactivated.
func (a *API) clientSecretLifecycle(status directory.AppStatus) handler {
	return func(w http.ResponseWriter, r *http.Request, c *caller) error {
		s, err := a.clientSecret(r, c, directory.ManageApps)
		if err != nil {
			return err
		}
		if s, err = a.cfg.Store.SetClientSecretStatus(r.Context(), s.ClientID, s.ID, status); err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, a.secretJSON(s, ""))
		return nil
	}
}
