package iamapi_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/keyward/keyward/internal/authn/totp"
	"github.com/keyward/keyward/internal/aws/iamapi"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
)

// federation is the lookups STS will use, on a's store.
func (a *userAPI) federation(t *testing.T) *iamapi.Federation {
	t.Helper()
	return iamapi.New(a.db, a.clk, clock.Random).WithCredentials(a.auth).Federation()
}

// wrongCode is a well-formed code that none of the steps Verify tries at
// now yields for seed.
func wrongCode(seed []byte, now time.Time) string {
	near := map[string]bool{}
	for s := -totp.Skew; s <= totp.Skew; s++ {
		near[totp.Code(seed, now.Add(time.Duration(s)*totp.Period))] = true
	}
	for n := 0; ; n++ {
		if c := fmt.Sprintf("%06d", n); !near[c] {
			return c
		}
	}
}

func TestAnMFACodeIsAcceptedOnceForItsDevice(t *testing.T) {
	a := newUserAPI(t)
	a.createUser(t, "alice")
	serial, seed := a.newDevice(t, "phone")
	a.enableDevice(t, "alice", serial, seed)
	a.createUser(t, "bob")
	me, err := a.admin.GetUser(a.ctx, &sdk.GetUserInput{UserName: aws.String("alice")})
	must(t, err)
	bob, err := a.admin.GetUser(a.ctx, &sdk.GetUserInput{UserName: aws.String("bob")})
	must(t, err)
	alice := *me.User.UserId
	f := a.federation(t)
	if err := f.VerifyMFACode(a.ctx, alice, serial, totp.Code(seed, time.Now())); !errs.Is(err, errs.Denied) {
		t.Errorf("a code spent enabling the device: err = %v, want denied", err)
	}
	next := totp.Code(seed, time.Now().Add(totp.Period))
	if err := f.VerifyMFACode(a.ctx, *bob.User.UserId, serial, next); !errs.Is(err, errs.Denied) {
		t.Errorf("alice's code from bob: err = %v, want denied", err)
	}
	must(t, f.VerifyMFACode(a.ctx, alice, serial, next))
	if err := f.VerifyMFACode(a.ctx, alice, serial, next); !errs.Is(err, errs.Denied) {
		t.Errorf("a replayed code: err = %v, want denied", err)
	}
	if err := f.VerifyMFACode(a.ctx, alice, "arn:aws:iam::"+a.acct+":mfa/none", next); !errs.Is(err, errs.Denied) {
		t.Errorf("an unknown device: err = %v, want denied", err)
	}
}

// An attacker holding alice's keys gets five guesses at her device's code
// per five minutes (docs/iam-users.md); then even the right code is
// refused, with the same error, until the failures are two windows old.
// Other devices, and guesses by other users at hers, are not counted.
func TestWrongMFACodesLockTheDeviceForAWhile(t *testing.T) {
	clk := clock.NewFake(time.Now())
	a := &userAPI{server: newServerAt(t, false, clk)}
	a.acct = a.account()
	a.createUser(t, "alice")
	a.createUser(t, "bob")
	serial, seed := a.newDevice(t, "alice-phone")
	a.enableDevice(t, "alice", serial, seed)
	bobSerial, bobSeed := a.newDevice(t, "bob-phone")
	a.enableDevice(t, "bob", bobSerial, bobSeed)
	alice, err := a.admin.GetUser(a.ctx, &sdk.GetUserInput{UserName: aws.String("alice")})
	must(t, err)
	bob, err := a.admin.GetUser(a.ctx, &sdk.GetUserInput{UserName: aws.String("bob")})
	must(t, err)
	aliceID, bobID := *alice.User.UserId, *bob.User.UserId
	f := a.federation(t)
	wrong := wrongCode(seed, clk.Now())

	for range 10 {
		if err := f.VerifyMFACode(a.ctx, bobID, serial, wrong); !errs.Is(err, errs.Denied) {
			t.Fatalf("bob guessing alice's code: err = %v, want denied", err)
		}
	}
	must(t, f.VerifyMFACode(a.ctx, aliceID, serial, totp.Code(seed, clk.Now().Add(totp.Period))))

	for i := range 5 {
		if err := f.VerifyMFACode(a.ctx, aliceID, serial, wrong); !errs.Is(err, errs.Denied) {
			t.Fatalf("wrong code %d: err = %v, want denied", i+1, err)
		}
	}
	clk.Advance(totp.Period) // the next unspent step is in reach
	right := totp.Code(seed, clk.Now().Add(totp.Period))
	err = f.VerifyMFACode(a.ctx, aliceID, serial, right)
	if !errs.Is(err, errs.Denied) || err.Error() != f.VerifyMFACode(a.ctx, aliceID, serial, wrong).Error() {
		t.Fatalf("the right code after five wrong ones: err = %v, want the wrong code's denial", err)
	}
	if err := f.VerifyMFACode(a.ctx, bobID, bobSerial, totp.Code(bobSeed, clk.Now().Add(totp.Period))); err != nil {
		t.Errorf("bob's device while alice's is locked: %v", err)
	}

	clk.Advance(4 * time.Minute)
	if err := f.VerifyMFACode(a.ctx, aliceID, serial, totp.Code(seed, clk.Now())); !errs.Is(err, errs.Denied) {
		t.Errorf("the right code four minutes on: err = %v, want denied", err)
	}
	clk.Advance(6 * time.Minute)
	if err := f.VerifyMFACode(a.ctx, aliceID, serial, totp.Code(seed, clk.Now())); err != nil {
		t.Errorf("the right code once the failures are two windows old: %v", err)
	}
}

func TestProvidersAreFoundByARNAndIssuer(t *testing.T) {
	a := newUserAPI(t)
	md := idpMetadata(t)
	saml, err := a.admin.CreateSAMLProvider(a.ctx, &sdk.CreateSAMLProviderInput{Name: aws.String("okta"), SAMLMetadataDocument: &md})
	must(t, err)
	_, err = a.admin.CreateOpenIDConnectProvider(a.ctx, &sdk.CreateOpenIDConnectProviderInput{Url: aws.String("https://issuer.example.com/tenant")})
	must(t, err)
	f := a.federation(t)
	p, err := f.SAMLProvider(a.ctx, *saml.SAMLProviderArn)
	must(t, err)
	if p.EntityID != "http://www.okta.com/exk1example" || len(p.Certificates) != 1 || p.Metadata != md {
		t.Errorf("SAML provider = %s with %d certificates", p.EntityID, len(p.Certificates))
	}
	o, err := f.OIDCProvider(a.ctx, a.acct, "https://issuer.example.com/tenant/")
	must(t, err)
	if o.URL != "issuer.example.com/tenant" {
		t.Errorf("OIDC provider = %s", o.URL)
	}
	if _, err := f.OIDCProvider(a.ctx, "999988887777", "https://issuer.example.com/tenant"); !errs.Is(err, errs.NotFound) {
		t.Errorf("another account's issuer: err = %v, want not found", err)
	}
}
