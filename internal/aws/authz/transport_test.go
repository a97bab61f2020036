package authz_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/httpx"
)

// TestAWSSecureTransportSaysWhetherTheRequestCameOverTLS: a policy that
// allows only over TLS (or denies without it, the usual guard) sees
// aws:SecureTransport as AWS sets it: true for a request that reached
// keyward over TLS, or a trusted proxy over TLS by its X-Forwarded-Proto,
// and false over plain HTTP, whatever an untrusted client claims.
func TestAWSSecureTransportSaysWhetherTheRequestCameOverTLS(t *testing.T) {
	f := newFixture(t)
	f.inline(t, "Deployer", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}},
		{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"},
		{"Effect":"Deny","Action":"s3:PutObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`)
	proxy := netip.MustParsePrefix("10.0.0.0/8")
	for _, tc := range []struct {
		name   string
		tls    bool
		peer   string
		proto  string
		secure bool
	}{
		{name: "plain HTTP", peer: "192.0.2.1:5000"},
		{name: "TLS to keyward", tls: true, peer: "192.0.2.1:5000", secure: true},
		{name: "TLS to a trusted proxy", peer: "10.1.1.1:5000", proto: "https", secure: true},
		{name: "plain HTTP to a trusted proxy", tls: true, peer: "10.1.1.1:5000", proto: "http"},
		{name: "plain HTTP claiming https past no proxy", peer: "192.0.2.1:5000", proto: "https"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", nil)
			r.RemoteAddr = tc.peer
			if tc.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if tc.proto != "" {
				r.Header.Set("X-Forwarded-For", "198.51.100.7")
				r.Header.Set("X-Forwarded-Proto", tc.proto)
			}
			var got [2]error
			httpx.RealIP([]netip.Prefix{proxy}, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				f.ctx = httpx.AuditContext(r)
				got[0] = f.decide(session(""), "s3:GetObject", "arn:aws:s3:::b/k")
				got[1] = f.decide(session(""), "s3:PutObject", "arn:aws:s3:::b/k")
			})).ServeHTTP(httptest.NewRecorder(), r)
			for i, action := range []string{"s3:GetObject (allowed over TLS only)", "s3:PutObject (denied without TLS)"} {
				if allowed := got[i] == nil; allowed != tc.secure || (got[i] != nil && !errs.Is(got[i], errs.Denied)) {
					t.Errorf("%s: %v, want allowed=%v", action, got[i], tc.secure)
				}
			}
		})
	}
}
