package ssooidc

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/clock"
)

// TestSSOOIDCErrorsKeepTheirExactWireShape pins whole responses (status,
// the headers clients read, body) for the refusals that need no store.
func TestSSOOIDCErrorsKeepTheirExactWireShape(t *testing.T) {
	mux := http.NewServeMux()
	New(nil, Config{}, clock.NewFake(time.Now()), clock.Random).Register(mux)
	cases := []struct {
		name, method, target, body string
		status                     int
		allow, cache, want         string
	}{
		{"a GET", http.MethodGet, "/token", "", 400, "POST", "",
			`{"__type":"InvalidRequestException","message":"GET /token is not supported; use POST","error":"invalid_request","error_description":"GET /token is not supported; use POST"}`},
		{"a body that is not a JSON object", http.MethodPost, "/client/register", `["x"]`, 400, "", "no-store",
			`{"__type":"InvalidRequestException","message":"the request body must be a JSON object","error":"invalid_request","error_description":"the request body must be a JSON object"}`},
		{"a member of the wrong type", http.MethodPost, "/device_authorization", `{"clientId":7}`, 400, "", "no-store",
			`{"__type":"InvalidRequestException","message":"field clientId must be a string, not number","error":"invalid_request","error_description":"field clientId must be a string, not number"}`},
		{"a body over 64 KiB", http.MethodPost, "/token", `{"clientId":"` + strings.Repeat("c", 64<<10) + `"}`, 400, "", "no-store",
			`{"__type":"InvalidRequestException","message":"the request body exceeds 65536 bytes","error":"invalid_request","error_description":"the request body exceeds 65536 bytes"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is answered exactly as before", func(t *testing.T) {
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body)))
			if w.Code != tc.status || w.Body.String() != tc.want || w.Header().Get("Allow") != tc.allow ||
				w.Header().Get("Cache-Control") != tc.cache || w.Header().Get("X-Amzn-Errortype") != "InvalidRequestException" ||
				w.Header().Get("Content-Type") != "application/json" {
				t.Errorf("got %d %v\n%s\nwant %d Allow=%q Cache-Control=%q\n%s", w.Code, w.Header(), w.Body, tc.status, tc.allow, tc.cache, tc.want)
			}
		})
	}
}
