package protocol

import "net/http"

// NoStore wraps h so that its responses, answers and errors alike, forbid
// caching: they carry secrets (tokens, client secrets, device codes,
// credentials). Pragma: no-cache is for HTTP/1.0 caches; RFC 6749 §5.1 asks
// for both on OAuth token responses.
func NoStore(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Pragma", "no-cache")
		h.ServeHTTP(w, r)
	})
}
