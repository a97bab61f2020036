// Package look holds what every set of keyward's pages shares: the
// stylesheet, the security headers, and how an error becomes a status and
// a message a person can read. The AWS side's pages (package web) and the
// identity provider's (package web/orgpages) both use it, so they look and
// behave alike; it knows neither's routes nor sessions.
package look

import (
	_ "embed"
	"net/http"

	"github.com/keyward/keyward/internal/errs"
)

//go:embed portal.css
var stylesheet []byte

// StylesheetPath is where pages link the stylesheet.
const StylesheetPath = "/static/portal.css"

// Stylesheet serves the stylesheet.
func Stylesheet(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	_, _ = w.Write(stylesheet)
}

// CSP is the pages' Content-Security-Policy: nothing but this site's own
// stylesheet, images, forms and script files (the one script asks a
// security key to sign; no inline script, no eval), and no framing.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// SecureHeaders sets a strict CSP and keeps pages out of frames and caches.
// When the pages are served over HTTPS it also tells browsers to use
// nothing else for a year (HSTS); over plain HTTP browsers ignore it.
func SecureHeaders(next http.Handler, https bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if https {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		h.Set("Pragma", "no-cache") // HTTP/1.0 caches; pages may show secrets
		next.ServeHTTP(w, r)
	})
}

// OurFailure is what a person reads when the failure is ours.
const OurFailure = "Something went wrong on our side. Try again in a moment."

// IsRefusal reports whether err is a person's mistake or a refusal, which a
// page explains, rather than our failure.
func IsRefusal(err error) bool {
	return err != nil && errs.KindOf(err) != errs.Internal
}

// StatusFor maps an error to the page's HTTP status.
func StatusFor(err error) int {
	switch errs.KindOf(err) {
	case errs.Invalid:
		return http.StatusBadRequest
	case errs.Unauthenticated:
		return http.StatusUnauthorized
	case errs.Denied:
		return http.StatusForbidden
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict:
		return http.StatusConflict
	case errs.Throttled:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// Message is the text a person sees for err; internal details stay in logs.
func Message(err error) string {
	if e, ok := errs.As(err); ok && IsRefusal(err) {
		return e.Message
	}
	return OurFailure
}

// Titles head the error page for each status.
var Titles = map[int]string{
	http.StatusBadRequest:          "Bad request",
	http.StatusUnauthorized:        "Sign in again",
	http.StatusForbidden:           "Access denied",
	http.StatusNotFound:            "Not found",
	http.StatusMethodNotAllowed:    "Method not allowed",
	http.StatusConflict:            "Conflict",
	http.StatusTooManyRequests:     "Too many attempts",
	http.StatusInternalServerError: "Something went wrong",
}
