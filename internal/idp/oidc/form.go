package oidc

import (
	"mime"
	"net/http"
)

// maxForm bounds a token or device request's body: a client assertion, an
// ID token and an access token fit with room to spare.
const maxForm = 64 << 10

// form reads a POSTed form body (application/x-www-form-urlencoded; the
// query string is not read). A parameter may appear once (RFC 6749 §3.2).
func form(w http.ResponseWriter, r *http.Request) (map[string]string, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, invalidRequest("The request must be a form (Content-Type: application/x-www-form-urlencoded).")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		return nil, invalidRequest("The request body is too large or is not URL-encoded.")
	}
	out := make(map[string]string, len(r.PostForm))
	for k, v := range r.PostForm {
		if len(v) > 1 {
			return nil, invalidRequest("The '" + truncate(k) + "' parameter is repeated.")
		}
		out[k] = v[0]
	}
	return out, nil
}

// truncate shortens untrusted text quoted back in an error.
func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}
