package web

import (
	"bytes"
	"github.com/keyward/keyward/internal/web/look"
	"net/http"

	ic "github.com/keyward/keyward/internal/identitycenter"
)

// view is the data every template gets.
type view struct {
	Title string
	User  *ic.User // the signed-in user the header names, or nil
	Error string
	Data  any
}

// render writes template name with status. The page is rendered before
// anything is sent, so a template that fails sends a 500, never half a page
// under a success status.
func (p *Pages) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	var buf bytes.Buffer
	if err := p.tmpl.ExecuteTemplate(&buf, name, v); err != nil {
		p.logger().ErrorContext(r.Context(), "render page", "template", name, "err", err)
		http.Error(w, look.OurFailure, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
