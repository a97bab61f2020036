package oktaapi

import (
	"net/http"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// factorJSON is Okta's UserFactor.
type factorJSON struct {
	ID          string                 `json:"id"`
	FactorType  directory.FactorType   `json:"factorType"`
	Provider    string                 `json:"provider"`
	VendorName  string                 `json:"vendorName"`
	Status      directory.FactorStatus `json:"status"`
	Created     string                 `json:"created"`
	LastUpdated string                 `json:"lastUpdated"`
	Profile     map[string]string      `json:"profile"`
	Links       map[string]href        `json:"_links"`
}

func (a *API) factorJSON(f directory.Factor) factorJSON {
	self := a.cfg.OrgURL + "/api/v1/users/" + f.UserID + "/factors/" + f.ID
	profile := map[string]string{"authenticatorName": f.Name}
	if f.Type == directory.FactorWebAuthn {
		profile["credentialId"] = f.CredentialID
	}
	return factorJSON{ID: f.ID, FactorType: f.Type, Provider: f.Provider, VendorName: f.Vendor(), Status: f.Status,
		Created: formatTime(f.Created), LastUpdated: formatTime(f.LastUpdated), Profile: profile,
		Links: map[string]href{"self": {Href: self}, "user": {Href: a.cfg.OrgURL + "/api/v1/users/" + f.UserID}}}
}

// listFactors is GET /api/v1/users/{id}/factors.
func (a *API) listFactors(w http.ResponseWriter, r *http.Request, c *caller) error {
	u, err := a.readableUser(r, c)
	if err != nil {
		return err
	}
	factors, err := a.cfg.Store.Factors(r.Context(), u.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, each(factors, a.factorJSON))
	return nil
}

// factor finds {factorId} of user {id}.
func (a *API) factor(r *http.Request, u directory.User) (directory.Factor, error) {
	id := r.PathValue("factorId")
	if !directory.ValidID(id) {
		return directory.Factor{}, notFound(store.ResourceFactor, id)
	}
	return a.cfg.Store.Factor(r.Context(), u.ID, id)
}

// getFactor is GET /api/v1/users/{id}/factors/{factorId}.
func (a *API) getFactor(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := a.allow(r, c, directory.ReadDirectory, directory.Scope{}); err != nil {
		return err
	}
	u, err := a.findUser(r.Context(), c, r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := a.factor(r, u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.factorJSON(f))
	return nil
}

// deleteFactor is DELETE /api/v1/users/{id}/factors/{factorId}: the
// administrator's "reset" of one factor.
func (a *API) deleteFactor(w http.ResponseWriter, r *http.Request, c *caller) error {
	u, err := a.authorizeUser(r, c, r.PathValue("id"), directory.ManageCredentials)
	if err != nil {
		return err
	}
	f, err := a.factor(r, u)
	if err != nil {
		return err
	}
	if err := a.cfg.Store.DeleteFactor(r.Context(), u.ID, f.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
