package portal

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/clock"
)

// TestThePortalsErrorsKeepTheirExactWireShape pins whole responses (status,
// the headers clients read, body) for the refusals that need no store.
func TestThePortalsErrorsKeepTheirExactWireShape(t *testing.T) {
	mux := http.NewServeMux()
	New(nil, nil, clock.NewFake(time.Now())).Register(mux)
	h := protocol.WithRequestID(mux)
	cases := []struct {
		name, method, target, bearer string
		status                       int
		allow, errType, body         string
	}{
		{"a call without a bearer token", http.MethodGet, "/assignment/accounts?max_result=5", "", 401, "", "UnauthorizedException",
			`{"__type":"UnauthorizedException","Message":"Session token not found or invalid","RequestId":"RID"}`},
		{"a bearer token over 1024 bytes", http.MethodGet, "/federation/credentials?account_id=111122223333&role_name=R", strings.Repeat("t", 1025), 401, "",
			"UnauthorizedException", `{"__type":"UnauthorizedException","Message":"Session token not found or invalid","RequestId":"RID"}`},
		{"a POST to a GET path", http.MethodPost, "/federation/credentials", "x", 400, "GET", "InvalidRequestException",
			`{"__type":"InvalidRequestException","Message":"POST /federation/credentials is not supported; use GET","RequestId":"RID"}`},
		{"a GET to logout", http.MethodGet, "/logout", "x", 400, "POST", "InvalidRequestException",
			`{"__type":"InvalidRequestException","Message":"GET /logout is not supported; use POST","RequestId":"RID"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is answered exactly as before", func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.target, nil)
			if tc.bearer != "" {
				r.Header.Set("X-Amz-Sso_bearer_token", tc.bearer)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			body := strings.ReplaceAll(w.Body.String(), w.Header().Get("X-Amzn-Requestid"), "RID")
			if w.Code != tc.status || body != tc.body || w.Header().Get("Allow") != tc.allow ||
				w.Header().Get("X-Amzn-Errortype") != tc.errType || w.Header().Get("Content-Type") != "application/json" {
				t.Errorf("got %d %v\n%s\nwant %d Allow=%q X-Amzn-ErrorType=%q\n%s", w.Code, w.Header(), body, tc.status, tc.allow, tc.errType, tc.body)
			}
		})
	}
}
