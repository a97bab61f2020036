package oktaapi

import (
	"net/http"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// tokenJSON is Okta's ApiToken (metadata only; the secret is never shown
// again after it is made).
type tokenJSON struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	UserID      string          `json:"userId"`
	ClientName  string          `json:"clientName"`
	Created     string          `json:"created"`
	LastUpdated string          `json:"lastUpdated"`
	ExpiresAt   string          `json:"expiresAt"`
	TokenWindow string          `json:"tokenWindow"`
	Link        map[string]href `json:"_link"`
}

func (a *API) tokenJSON(t directory.APIToken) tokenJSON {
	updated := t.Created
	if t.LastUsed.After(updated) {
		updated = t.LastUsed
	}
	return tokenJSON{ID: t.ID, Name: t.Name, UserID: t.UserID, ClientName: t.ClientName,
		Created: formatTime(t.Created), LastUpdated: formatTime(updated), ExpiresAt: formatTime(t.ExpiresAt),
		TokenWindow: "P30D", Link: map[string]href{"self": {Href: a.cfg.OrgURL + "/api/v1/api-tokens/" + t.ID}}}
}

// canSeeToken: administrators with org rights see every token; others
// only their own.
func canSeeToken(c *caller, t directory.APIToken) bool {
	return t.UserID == c.user.ID || directory.Allowed(c.roles, directory.ManageOrg, directory.Scope{OrgWide: true})
}

// listTokens is GET /api/v1/api-tokens.
func (a *API) listTokens(w http.ResponseWriter, r *http.Request, c *caller) error {
	p, err := page(r, 20, 200)
	if err != nil {
		return err
	}
	tokens, next, err := a.cfg.Store.ListAPITokens(r.Context(), p)
	if err != nil {
		return storePage(err)
	}
	out := []tokenJSON{}
	for _, t := range tokens {
		if canSeeToken(c, t) {
			out = append(out, a.tokenJSON(t))
		}
	}
	a.writeList(w, r, out, next)
	return nil
}

// findToken finds {apiTokenId} ("current" is the caller's own) among the
// tokens the caller may see.
func (a *API) findToken(r *http.Request, c *caller) (directory.APIToken, error) {
	id := r.PathValue("apiTokenId")
	if id == "current" {
		return c.token, nil
	}
	if !directory.ValidID(id) {
		return directory.APIToken{}, notFound(store.ResourceAPIToken, id)
	}
	t, err := a.cfg.Store.APIToken(r.Context(), id)
	if err == nil && !canSeeToken(c, t) {
		return t, notFound(store.ResourceAPIToken, id)
	}
	return t, err
}

// getToken is GET /api/v1/api-tokens/{apiTokenId}.
func (a *API) getToken(w http.ResponseWriter, r *http.Request, c *caller) error {
	t, err := a.findToken(r, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.tokenJSON(t))
	return nil
}

// revokeToken is DELETE /api/v1/api-tokens/{apiTokenId} (and /current).
func (a *API) revokeToken(w http.ResponseWriter, r *http.Request, c *caller) error {
	t, err := a.findToken(r, c)
	if err != nil {
		return err
	}
	if err := a.cfg.Store.RevokeAPIToken(r.Context(), t.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
