package oidc

import (
	"encoding/json"
	"net/http"

	"github.com/keyward/keyward/internal/errs"
)

// oauthError is an OAuth 2.0 error answer (RFC 6749 §5.2, RFC 8628 §3.5):
// the status, the error code and a description that says what to fix.
type oauthError struct {
	status int
	code   string
	desc   string
}

func (e *oauthError) Error() string { return e.code + ": " + e.desc }

func invalidRequest(desc string) error {
	return &oauthError{http.StatusBadRequest, "invalid_request", desc}
}
func invalidGrant(desc string) error {
	return &oauthError{http.StatusBadRequest, "invalid_grant", desc}
}
func invalidScope(desc string) error {
	return &oauthError{http.StatusBadRequest, "invalid_scope", desc}
}
func accessDenied(desc string) error {
	return &oauthError{http.StatusBadRequest, "access_denied", desc}
}
func invalidClient(desc string) error {
	return &oauthError{http.StatusUnauthorized, "invalid_client", desc}
}

func unauthorizedClient(desc string) error {
	return &oauthError{http.StatusBadRequest, "unauthorized_client", desc}
}

func unsupportedGrant(desc string) error {
	return &oauthError{http.StatusBadRequest, "unsupported_grant_type", desc}
}

// oauthErrorOf is err as an OAuth answer: a protocol error as it is, a
// throttled caller as Okta's rate-limit answer, anything unexpected as
// server_error (its cause goes to the log, not the client).
func oauthErrorOf(err error) *oauthError {
	if e, ok := err.(*oauthError); ok {
		return e
	}
	switch errs.KindOf(err) {
	case errs.Throttled:
		return &oauthError{http.StatusTooManyRequests, "slow_down", "Too many requests. Wait a minute and try again."}
	case errs.Invalid:
		if e, ok := errs.As(err); ok {
			return &oauthError{http.StatusBadRequest, "invalid_request", e.Message}
		}
	}
	return &oauthError{http.StatusInternalServerError, "server_error", "The authorization server hit an unexpected error. Try again."}
}

// writeError answers with err's OAuth shape; an unexpected error is logged.
func (p *Provider) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := oauthErrorOf(err)
	if e.status == http.StatusInternalServerError {
		p.Log.ErrorContext(r.Context(), "oidc: unexpected error", "path", r.URL.Path, "err", err)
	}
	if e.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="`+p.OrgURL+`"`)
	}
	writeJSON(w, e.status, map[string]string{"error": e.code, "error_description": e.desc})
}

// writeJSON writes v with the no-store headers token answers need
// (RFC 6749 §5.1).
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
