package iamapi_test

import (
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
	return iamapi.New(a.db, clock.Real{}, clock.Random).WithCredentials(a.auth).Federation()
}

func TestAnMFACodeIsAcceptedOnceForItsDevice(t *testing.T) {
	a := newUserAPI(t)
	a.createUser(t, "alice")
	serial, seed := a.newDevice(t, "phone")
	a.enableDevice(t, "alice", serial, seed)
	f := a.federation(t)
	_, err := f.VerifyMFACode(a.ctx, serial, totp.Code(seed, time.Now()))
	if !errs.Is(err, errs.Denied) {
		t.Errorf("a code spent enabling the device: err = %v, want denied", err)
	}
	next := totp.Code(seed, time.Now().Add(totp.Period))
	user, err := f.VerifyMFACode(a.ctx, serial, next)
	must(t, err)
	me, err := a.admin.GetUser(a.ctx, &sdk.GetUserInput{UserName: aws.String("alice")})
	must(t, err)
	if user != *me.User.UserId {
		t.Errorf("device belongs to %s, want alice %s", user, *me.User.UserId)
	}
	if _, err := f.VerifyMFACode(a.ctx, serial, next); !errs.Is(err, errs.Denied) {
		t.Errorf("a replayed code: err = %v, want denied", err)
	}
	if _, err := f.VerifyMFACode(a.ctx, "arn:aws:iam::"+a.acct+":mfa/none", next); !errs.Is(err, errs.Denied) {
		t.Errorf("an unknown device: err = %v, want denied", err)
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
