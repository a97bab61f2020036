package e2e

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/keyward/keyward/internal/aws/sigv4"
	"github.com/keyward/keyward/internal/clock"
)

// signedBare is the reference GetCallerIdentity is measured against: a bare
// Go HTTP server that verifies SigV4 with the same verifier (the SDK's
// signer) for one fixed key and answers a fixed document. What keyward
// spends beyond it is key lookup, routing, logging, metrics and the answer.
func signedBare(b *testing.B, creds aws.Credentials) *httptest.Server {
	v := &sigv4.Verifier{Clock: clock.Real{}, Lookup: func(_ context.Context, id, _ string) (sigv4.Key, error) {
		return sigv4.Key{Secret: creds.SecretAccessKey}, nil
	}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		if _, err := v.Verify(r, body); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>`+
			`<Arn>arn:aws:iam::111111111111:root</Arn><UserId>111111111111</UserId><Account>111111111111</Account>`+
			`</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkGetCallerIdentity signs and sends GetCallerIdentity with the
// root key through aws-sdk-go-v2, to keyward and to the signed-bare
// reference, and reports "vs-bare": the reference's time per call over
// keyward's (the goal is at least 0.8). The ratio is the median of seven
// rounds that alternate the two, 200 calls each, whatever b.N is, so load
// elsewhere on the machine falls on both sides alike.
func BenchmarkGetCallerIdentity(b *testing.B) {
	dir := b.TempDir()
	m := launch(b, dir, nil)
	creds := readAdminCredentials(b, dir)
	client := func(url string) *sts.Client {
		return sts.New(sts.Options{Region: "us-east-1", BaseEndpoint: aws.String(url),
			Credentials: credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, "")})
	}
	call := func(c *sts.Client) {
		if _, err := c.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
			b.Fatal(err)
		}
	}
	bare, kw := client(signedBare(b, creds).URL), client(m.AWSURL)
	for range 200 { // warm both
		call(bare)
		call(kw)
	}
	ratio := medianRatio(200, func() { call(bare) }, func() { call(kw) })
	for b.Loop() {
		call(kw)
	}
	b.ReportMetric(ratio, "vs-bare")
}

// medianRatio is the median, over seven rounds of n runs each, of
// reference's time per run over op's: how op compares with a limit
// measured in the same run.
func medianRatio(n int, reference, op func()) float64 {
	ratios := make([]float64, 7)
	for i := range ratios {
		ratios[i] = perCall(n, reference) / perCall(n, op)
	}
	slices.Sort(ratios)
	return ratios[len(ratios)/2]
}

// perCall runs f n times and returns the mean nanoseconds per run.
func perCall(n int, f func()) float64 {
	start := time.Now()
	for range n {
		f()
	}
	return float64(time.Since(start).Nanoseconds()) / float64(n)
}
