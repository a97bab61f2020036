package samlidp_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/idp/samlidp"
)

// BenchmarkAssertionsVsRawRSASigning reports signed assertions issued per
// second on one core against raw RSA-2048 PKCS#1 v1.5 SHA-256 signatures
// per second measured in the same run, interleaved so both see the same
// machine. The goal is a ratio of at least 0.9; it is reported, never
// asserted.
func BenchmarkAssertionsVsRawRSASigning(b *testing.B) {
	s := testSigner(b)
	is := &samlidp.Issuer{OrgURL: orgURL, Random: rand.Reader, NameIDKey: []byte("nameid key")}
	app := testApp(func(set *directory.SAMLSettings) {
		set.Attributes = []directory.AttributeStatement{
			{Type: directory.AttributeExpression, Name: "department", Values: []string{"user.department"}},
			{Type: directory.AttributeGroup, Name: "groups", FilterType: directory.FilterStartsWith, FilterValue: "AWS-"},
		}
	})
	g := samlidp.Grant{App: app, User: alice, Groups: aliceGroups, Session: session, InResponseTo: "_r", Now: issueNow}
	digest := sha256.Sum256([]byte("benchmark"))
	var raw, issued time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := rsa.SignPKCS1v15(nil, s.Private, crypto.SHA256, digest[:]); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := is.Issue(g, s); err != nil {
			b.Fatal(err)
		}
		raw, issued = raw+t1.Sub(t0), issued+time.Since(t1)
	}
	n := float64(b.N)
	b.ReportMetric(n/issued.Seconds(), "assertions/s/core")
	b.ReportMetric(n/raw.Seconds(), "rsa-signs/s/core")
	b.ReportMetric(raw.Seconds()/issued.Seconds(), "ratio(goal>=0.9)")
}
