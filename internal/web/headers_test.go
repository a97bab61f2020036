package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestPagesSendHSTSOnlyWhenServedOverHTTPS: Strict-Transport-Security
// follows the configured public URL (the SecureCookies signal); over plain
// HTTP browsers ignore it and a local setup must not be pinned to HTTPS.
func TestPagesSendHSTSOnlyWhenServedOverHTTPS(t *testing.T) {
	for _, tt := range []struct {
		secure bool
		want   string
	}{{true, "max-age=31536000"}, {false, ""}} {
		h := (&Pages{SecureCookies: tt.secure}).Handler()
		for _, path := range []string{"/start", "/device", "/static/portal.css", "/static/missing.css"} {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
			if got := w.Header().Get("Strict-Transport-Security"); got != tt.want {
				t.Errorf("secure %v: GET %s: Strict-Transport-Security = %q, want %q", tt.secure, path, got, tt.want)
			}
		}
	}
}

// TestPagesAreNotCached: pages show credentials and per-person data, so
// neither HTTP/1.1 nor HTTP/1.0 caches may keep them.
func TestPagesAreNotCached(t *testing.T) {
	h := (&Pages{}).Handler()
	for _, path := range []string{"/start", "/start/credentials?account_id=123456789012&role_name=Dev", "/device"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if cc, pragma := w.Header().Get("Cache-Control"), w.Header().Get("Pragma"); cc != "no-store" || pragma != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, Pragma %q; want no-store, no-cache", path, cc, pragma)
		}
	}
}
