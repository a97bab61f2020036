package provider

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/cred/credtest"
	"github.com/keyward/keyward/internal/cred/iamkeys"
	"github.com/keyward/keyward/internal/cred/output"
)

// TestEditingAProfileMakesItsCachedCredentialsStale: credentials are kept
// with the profile they were made from, so another mfa_serial (or role_arn,
// external_id...) fetches anew, while another region does not.
func TestEditingAProfileMakesItsCachedCredentialsStale(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	bob := map[string]string{"mfa_serial": "arn:aws:iam::111122223333:mfa/bob", "region": "us-east-1"}
	keep := &credtest.Keeper{}
	keys, _ := json.Marshal(iamkeys.Keys{AccessKeyID: "AKIAEXAMPLEEXAMPLE01", SecretAccessKey: "secret"})
	// No MFA prompt: a fetch fails at once, before any STS call.
	r := &Resolver{Keep: keep, Profiles: profiles{"bob": bob}, Now: func() time.Time { return now }}
	kept, _ := json.Marshal(cached{Credentials: output.Credentials{AccessKeyID: "ASIAKEPT", SecretAccessKey: "s", SessionToken: "t",
		Expiration: now.Add(time.Hour)}, From: r.madeFrom("bob")})
	if err := errors.Join(keep.Set(ctx, UserKeysKey("bob"), keys), keep.Set(ctx, credsKey("bob"), kept)); err != nil {
		t.Fatal(err)
	}

	c, err := r.Credentials(ctx, "bob")
	if err != nil || c.AccessKeyID != "ASIAKEPT" || c.Region != "us-east-1" {
		t.Fatalf("the unedited profile: %+v, %v; want the kept credentials", c, err)
	}
	bob["region"] = "eu-west-1"
	if c, err := r.Credentials(ctx, "bob"); err != nil || c.AccessKeyID != "ASIAKEPT" || c.Region != "eu-west-1" {
		t.Errorf("another region: %+v, %v; want the kept credentials in eu-west-1", c, err)
	}
	bob["mfa_serial"] = "arn:aws:iam::111122223333:mfa/bob-new-phone"
	if _, err := r.Credentials(ctx, "bob"); err == nil || !strings.Contains(err.Error(), "bob-new-phone") {
		t.Errorf("another mfa_serial: %v, want a fetch asking for that device's code", err)
	}
}

// TestEditingASourceProfileMakesTheChainedProfilesCredentialsStale: a
// role assumed through source_profile is made from the source too, so
// editing the source (another MFA device here) fetches the role anew.
func TestEditingASourceProfileMakesTheChainedProfilesCredentialsStale(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	bob := map[string]string{"mfa_serial": "arn:aws:iam::111122223333:mfa/bob"}
	deploy := map[string]string{"role_arn": "arn:aws:iam::111122223333:role/Deploy", "source_profile": "bob"}
	keep := &credtest.Keeper{}
	r := &Resolver{Keep: keep, Profiles: profiles{"bob": bob, "deploy": deploy}, Now: func() time.Time { return now }}
	keys, _ := json.Marshal(iamkeys.Keys{AccessKeyID: "AKIAEXAMPLEEXAMPLE01", SecretAccessKey: "secret"})
	kept, _ := json.Marshal(cached{Credentials: output.Credentials{AccessKeyID: "ASIADEPLOY", SecretAccessKey: "s", SessionToken: "t",
		Expiration: now.Add(time.Hour)}, From: r.madeFrom("deploy")})
	if err := errors.Join(keep.Set(ctx, UserKeysKey("bob"), keys), keep.Set(ctx, credsKey("deploy"), kept)); err != nil {
		t.Fatal(err)
	}
	if c, err := r.Credentials(ctx, "deploy"); err != nil || c.AccessKeyID != "ASIADEPLOY" {
		t.Fatalf("the unedited chain: %+v, %v; want the kept credentials", c, err)
	}
	bob["mfa_serial"] = "arn:aws:iam::111122223333:mfa/bob-new-phone"
	if _, err := r.Credentials(ctx, "deploy"); err == nil || !strings.Contains(err.Error(), "bob-new-phone") {
		t.Errorf("after the source's edit: %v, want a fetch through bob asking for the new device's code", err)
	}
}
