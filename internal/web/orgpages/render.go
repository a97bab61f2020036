package orgpages

import (
	"bytes"
	"html/template"
	"net/http"
	"strings"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/httpx"
	"github.com/keyward/keyward/internal/web/look"
)

// view is the data every template gets.
type view struct {
	Title string
	User  *directory.User // the signed-in person the header names, or nil
	Error string
	Note  string // a confirmation ("Password changed.")
	Data  any
}

var funcs = template.FuncMap{
	"login": func(u *directory.User) string { return u.Login() },
	"attr":  func(u directory.User, name string) string { return u.Profile.String(name) },
	"deref": func(u *directory.User) directory.User { return *u },
	"join":  strings.Join,
	"svg":   func(s string) template.HTML { return template.HTML(s) }, // our own QR code, built from our own URI
}

// render writes template name with status, rendered before anything is
// sent, so a failing template is a 500, never half a page.
func (p *Pages) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	var buf bytes.Buffer
	if err := p.tmpl.ExecuteTemplate(&buf, name, v); err != nil {
		p.logger().ErrorContext(r.Context(), "render page", "template", name, "err", err)
		http.Error(w, look.OurFailure, http.StatusInternalServerError)
		return
	}
	if d, ok := v.Data.(loginData); ok {
		allowReturn(w, d.Next)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errorPage is the one renderer of a page's error: a refusal shows its
// message with its status; anything else is our failure, logged and shown
// as a 500 with the request id.
func (p *Pages) errorPage(w http.ResponseWriter, r *http.Request, u *directory.User, err error) {
	status := look.StatusFor(err)
	var requestID string
	if !look.IsRefusal(err) {
		requestID = httpx.RequestIDFrom(r.Context())
		p.logger().ErrorContext(r.Context(), "page failed", "method", r.Method, "path", loggedPath(r),
			"request_id", requestID, "err", err)
	}
	p.render(w, r, status, "error.html", view{Title: look.Titles[status], User: u, Error: look.Message(err), Data: requestID})
}

// loggedPath is the page a log names: its route ("POST /welcome/{token}")
// rather than its path, which for a link carries the link's secret.
func loggedPath(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	return r.URL.Path
}
