package sts_test

import (
	"testing"
	"time"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/samlsp"
	"github.com/keyward/keyward/internal/aws/sts"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
)

// An identity provider session that ends within the current second has
// as good as ended: credentials, which end on a whole second, would end
// at or before their issue. STS refuses it as it does an ended session
// (ExpiredTokenException), not with an internal error.
func TestASAMLSessionEndingWithinTheSecondIsExpired(t *testing.T) {
	s := newSAMLServer(t)
	now := time.Now().UTC().Truncate(time.Second).Add(300 * time.Millisecond)
	clk := clock.NewFake(now)
	auth, err := awsauth.New(clock.Bytes(clock.Random, 32), s.db, clk, clock.Random)
	must(t, err)
	svc := sts.New(s.db, auth, clk, clock.Random, "us-east-1").
		WithSAML(sts.SAMLConfig{Providers: providers{s.db}, Keys: s.db, Recipients: []string{"https://aws.keyward.test/saml"}})
	p, err := s.db.IAMSAMLProvider(s.ctx, providerARN)
	must(t, err)
	pair := sts.RolePair{RoleARN: readerARN, ProviderARN: providerARN}
	a := sts.SAMLAssertion{Assertion: samlsp.Assertion{ID: "_ends-now", Issuer: idpEntityID, NameID: "alice",
		Recipient: "https://signin.aws.amazon.com/saml", ValidUntil: now.Add(5 * time.Minute),
		SessionNotOnOrAfter: now.Add(500 * time.Millisecond)}, Provider: p, Roles: []sts.RolePair{pair}, SessionName: "alice"}
	_, _, err = svc.AssumeRoleWithSAMLAssertion(s.ctx, a, pair, sts.SAMLSessionOptions{ReplayScope: sts.SAMLScopeSTS})
	e, ok := errs.As(err)
	if !ok || e.Kind != errs.Invalid || e.Code != "ExpiredTokenException" {
		t.Fatalf("err = %v (%+v), want an ExpiredTokenException refusal", err, e)
	}
}
