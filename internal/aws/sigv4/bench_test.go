package sigv4

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/logging"
)

// BenchmarkVerify reports Verify's cost and, as x-hmac, its ratio to one
// HMAC-SHA256 of the same canonical request measured in the same run. It
// asserts nothing about timing.
func BenchmarkVerify(b *testing.B) {
	c := stsForm("http://sts.us-east-1.keyward.test:8443")
	c.akid, c.secret, c.token = sessionKey, sessionSec, sessionTok
	r := c.sign(b)
	body := []byte(c.body)
	v := newVerifier(signTime)
	hmacNs := hmacNsPerOp(canonicalRequest(b, c))

	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if _, err := v.Verify(r, body); err != nil {
			b.Fatal(err)
		}
		n++
	}
	verifyNs := float64(b.Elapsed().Nanoseconds()) / float64(n)
	b.ReportMetric(verifyNs/hmacNs, "x-hmac")
}

// hmacNsPerOp measures one raw HMAC-SHA256 over msg for about 100ms. (A
// nested testing.Benchmark would deadlock on the benchmark lock.)
func hmacNsPerOp(msg []byte) float64 {
	key := sha256.Sum256([]byte("signing key"))
	n, start := 0, time.Now()
	for ; time.Since(start) < 100*time.Millisecond; n++ {
		m := hmac.New(sha256.New, key[:])
		m.Write(msg)
		m.Sum(nil)
	}
	return float64(time.Since(start).Nanoseconds()) / float64(n)
}

// canonicalRequest has the SDK signer log the canonical request it signs.
func canonicalRequest(tb testing.TB, c clientReq) []byte {
	var logged string
	logger := logging.LoggerFunc(func(_ logging.Classification, format string, v ...any) {
		logged = fmt.Sprintf(format, v...)
	})
	r := c.sign(tb)
	r.Header.Del("Authorization")
	creds := aws.Credentials{AccessKeyID: c.akid, SecretAccessKey: c.secret, SessionToken: c.token}
	err := v4.NewSigner(func(o *v4.SignerOptions) { o.Logger, o.LogSigning = logger, true }).
		SignHTTP(context.Background(), creds, r, sha256Hex(c.body), c.service, c.region, c.at)
	if err != nil {
		tb.Fatal(err)
	}
	_, rest, _ := strings.Cut(logged, "---[ CANONICAL STRING  ]-----------------------------\n")
	canonical, _, ok := strings.Cut(rest, "\n---[ STRING TO SIGN")
	if !ok {
		tb.Fatalf("no canonical request in the signer's log: %q", logged)
	}
	return []byte(canonical)
}
