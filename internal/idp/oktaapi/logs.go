package oktaapi

import (
	"net/http"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/idp/systemlog"
)

// listLogs is GET /api/v1/logs: the system log in Okta's LogEvent shape,
// with since, until, filter, q, limit, after and sortOrder.
func (a *API) listLogs(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := a.allow(r, c, directory.ReadLog, directory.Scope{}); err != nil {
		return err
	}
	events, next, err := systemlog.Query(r.Context(), a.cfg.Store, r.URL.Query(), a.now())
	if err != nil {
		return err
	}
	w.Header().Add("Link", "<"+a.link(r, r.URL.RawQuery)+`>; rel="self"`)
	if next != nil {
		w.Header().Add("Link", "<"+a.link(r, next.Encode())+`>; rel="next"`)
	}
	writeJSON(w, http.StatusOK, events)
	return nil
}
