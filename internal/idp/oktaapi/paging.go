package oktaapi

import (
	"net/http"
	"strconv"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// maxAfter bounds the opaque cursor a client sends back.
const maxAfter = 512

// page reads limit (default def, at most max) and the opaque after cursor.
func page(r *http.Request, def, max int) (store.Page, error) {
	q := r.URL.Query()
	p := store.Page{Limit: def, Token: q.Get("after")}
	if len(p.Token) > maxAfter {
		return p, errs.E(errs.Invalid, "after: not a cursor this API returned")
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return p, errs.E(errs.Invalid, "limit: must be a whole number of at least 1")
		}
		p.Limit = min(n, max)
	}
	return p, nil
}

// writeList writes a page of items with Okta's Link headers: self, and
// next when there is more (the caller's other parameters kept, after set).
func (a *API) writeList(w http.ResponseWriter, r *http.Request, items any, next string) {
	q := r.URL.Query()
	q.Del("after")
	w.Header().Add("Link", "<"+a.link(r, q.Encode())+`>; rel="self"`)
	if next != "" {
		q.Set("after", next)
		w.Header().Add("Link", "<"+a.link(r, q.Encode())+`>; rel="next"`)
	}
	writeJSON(w, http.StatusOK, items)
}

func (a *API) link(r *http.Request, query string) string {
	u := a.cfg.OrgURL + r.URL.Path
	if query != "" {
		u += "?" + query
	}
	return u
}

// storePage maps a store's bad-cursor error onto the after parameter.
func storePage(err error) error {
	if errs.Is(err, errs.Invalid) {
		return errs.E(errs.Invalid, "after: not a cursor this API returned")
	}
	return err
}
