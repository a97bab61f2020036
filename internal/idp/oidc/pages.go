package oidc

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
)

//go:embed templates/*.html
var templateFS embed.FS

var pages = template.Must(template.ParseFS(templateFS, "templates/*.html"))

// errorPage shows an authorization request's error in the browser, for
// the errors that must not be redirected to the client (an unknown client
// or redirect URI), in the org pages' look.
func (p *Provider) errorPage(w http.ResponseWriter, r *http.Request, err error) {
	e := oauthErrorOf(err)
	if e.status == http.StatusInternalServerError {
		p.Log.ErrorContext(r.Context(), "oidc: page failed", "path", r.URL.Path, "err", err)
	}
	var buf bytes.Buffer
	data := map[string]string{"Title": http.StatusText(e.status), "Code": e.code, "Description": e.desc}
	if pages.ExecuteTemplate(&buf, "error.html", data) != nil {
		http.Error(w, e.desc, e.status)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(e.status)
	_, _ = w.Write(buf.Bytes())
}
