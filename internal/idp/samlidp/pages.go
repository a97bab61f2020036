package samlidp

import (
	"bytes"
	"embed"
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/httpx"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/saml-post.js
var postScript []byte

var pages = template.Must(template.ParseFS(templateFS, "templates/*.html"))

// ScriptPath is where the auto-post page loads its script: the org pages'
// CSP (script-src 'self') allows no inline script.
const ScriptPath = "/static/saml-post.js"

// ServeScript serves the auto-post script.
func ServeScript(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(postScript)
}

// csp is the org pages' policy, for the error pages.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'" +
	"; frame-ancestors 'none'; base-uri 'none'"

// postCSP is the auto-post page's policy: the org pages' without
// form-action. Browsers check every redirect that follows a form post
// against form-action, and service providers answer the post with a
// redirect to another site (AWS's sign-in to the console, Identity
// Center's ACS to the access portal) that no list made here can name.
const postCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'" +
	"; frame-ancestors 'none'; base-uri 'none'"

// checkACSURL refuses an ACS URL that is not an http(s) address.
func checkACSURL(acs string) error {
	u, err := url.Parse(acs)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
		u.User != nil || bytes.ContainsAny([]byte(u.Host), " ;,'\"") {
		return errs.E(errs.Invalid, "This app's ACS URL is not an http or https address. Tell your administrator.")
	}
	return nil
}

// postForm writes the page that posts the response to the app.
func (h *Handler) postForm(w http.ResponseWriter, r *http.Request, app directory.App, out Issued, relay string) error {
	if err := checkACSURL(out.ACSURL); err != nil {
		return err
	}
	if nonce := r.URL.Query().Get("resume"); nonce != "" {
		h.setCookie(w, parkedPrefix+nonce, SSOPath(app), "", -1)
	}
	data := map[string]string{"Label": app.Label, "ACSURL": out.ACSURL, "RelayState": relay,
		"Response": base64.StdEncoding.EncodeToString(out.Response)}
	return h.render(w, r, http.StatusOK, "post.html", postCSP, data)
}

// render writes a template, rendered before anything is sent.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name, policy string, data any) error {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		return err
	}
	hd := w.Header()
	if h.SecureCookies {
		hd.Set("Strict-Transport-Security", "max-age=31536000")
	}
	hd.Set("Content-Security-Policy", policy)
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Cache-Control", "no-store")
	hd.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	return nil
}

// Titles of the error page per status, as the org pages word them.
var titles = map[int]string{
	http.StatusBadRequest: "Bad request", http.StatusUnauthorized: "Sign in again",
	http.StatusForbidden: "Access denied", http.StatusNotFound: "Not found",
	http.StatusInternalServerError: "Something went wrong",
}

// errorPage is the endpoint's one error renderer: a refusal's message with
// its status; anything else logged and shown as a 500 with the request id.
func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, err error) {
	status, msg, requestID := http.StatusInternalServerError, "Something went wrong on our side. Try again in a moment.", ""
	switch e, ok := errs.As(err); {
	case ok && e.Kind == errs.Invalid:
		status, msg = http.StatusBadRequest, e.Message
	case ok && e.Kind == errs.Unauthenticated:
		status, msg = http.StatusUnauthorized, e.Message
	case ok && e.Kind == errs.Denied:
		status, msg = http.StatusForbidden, e.Message
	case ok && e.Kind == errs.NotFound:
		status, msg = http.StatusNotFound, e.Message
	case ok && e.Kind != errs.Internal:
		status, msg = http.StatusBadRequest, e.Message
	default:
		requestID = httpx.RequestIDFrom(r.Context())
		h.Log.ErrorContext(r.Context(), "saml sign-in failed", "path", r.URL.Path, "request_id", requestID, "err", err)
	}
	data := map[string]string{"Title": titles[status], "Message": msg, "RequestID": requestID}
	if rerr := h.render(w, r, status, "error.html", csp, data); rerr != nil {
		http.Error(w, msg, status)
	}
}
