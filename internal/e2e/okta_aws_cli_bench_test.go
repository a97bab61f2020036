package e2e

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkOktaAWSCLIWebExchange runs okta-aws-cli's web flow after the
// device flow, as a run with a cached token does (okta-wire.md §1.5–§1.9):
// token exchange for a web-SSO token, the SAML form from
// /login/token/sso read by the CLI's HTML parser, and AssumeRoleWithSAML
// at sts.amazonaws.com through the HTTPS proxy mode, all over TLS with the
// CLI's client. It reports exchanges per second and "vs-bare": a bare TLS
// round trip's time (an httptest server answering 200, through a client
// built the same way) over one exchange's, the median of seven rounds in
// this run. An exchange makes three round trips, so a third is its
// ceiling.
func BenchmarkOktaAWSCLIWebExchange(b *testing.B) {
	w := &webFlow{s: launchTLS(b, b.TempDir())}
	w.setUp(b)
	w.deviceFlow(b)
	bare := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	b.Cleanup(bare.Close)
	bareClient := bare.Client()
	exchange := func() { w.webCredentials(b, w.tokens, false) }
	reference := func() {
		resp, err := bareClient.Get(bare.URL)
		must(b, err)
		resp.Body.Close()
	}
	for range 20 {
		exchange()
		reference()
	}
	ratio := medianRatio(20, reference, exchange)
	start := time.Now()
	for b.Loop() {
		exchange()
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "exchanges/s")
	b.ReportMetric(ratio, "vs-bare")
}
