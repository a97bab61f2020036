package sts_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/iam"
)

// usersAsRoot stands in for IAM users' own policies, which authz does not
// evaluate yet: a user is authorized as its account's root would be, so
// the role's trust policy (and its MFA condition) is what decides.
func usersAsRoot(a gateway.Authorizer) gateway.Authorizer {
	return func(ctx context.Context, p awsauth.Principal, req gateway.Request) error {
		if p.Type == awsauth.User {
			p.Type, p.ARN, p.UserID = awsauth.Root, iam.RootARN(p.AccountID), p.AccountID
		}
		return a(ctx, p, req)
	}
}

const mfaTrust = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"sts:AssumeRole",
	"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}}`

func TestAssumeRoleVerifiesTheMFACodeOnce(t *testing.T) {
	s := newServerWith(t, usersAsRoot)
	s.role(t, "Admin", mfaTrust, 3600)
	u, alice := s.user(t, "alice")
	serial, seed := s.mfa(t, u, "alice-phone")
	bob, _ := s.user(t, "bob")
	bobSerial, bobSeed := s.mfa(t, bob, "bob-phone")
	in := func(serial string, code *string) *sdk.AssumeRoleInput {
		return &sdk.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/Admin"), RoleSessionName: aws.String("alice"),
			SerialNumber: &serial, TokenCode: code}
	}

	_, err := alice.AssumeRole(s.ctx, &sdk.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/Admin"), RoleSessionName: aws.String("alice")})
	refused(t, err, "AccessDenied", "because no role trust policy allows the sts:AssumeRole action")

	c := code(seed)
	out, err := alice.AssumeRole(s.ctx, in(serial, c))
	must(t, err)
	p := s.opened(t, out.Credentials)
	if !p.Session.MFAPresent() || time.Since(p.Session.MFAAuthTime) > time.Minute || p.Session.CallerKind != awsauth.User {
		t.Errorf("the role session has MFA %v at %s, obtained by %q; want MFA just now, by a user", p.Session.MFAPresent(), p.Session.MFAAuthTime, p.Session.CallerKind)
	}
	for name, tc := range map[string]*sdk.AssumeRoleInput{
		"the same code again":            in(serial, c),
		"a wrong code":                   in(serial, aws.String("000000")),
		"another user's device and code": in(bobSerial, code(bobSeed)),
	} {
		t.Run(name+" is refused", func(t *testing.T) {
			_, err := alice.AssumeRole(s.ctx, tc)
			refused(t, err, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code.")
		})
	}
}

// TestARoleSessionCannotProveMFA: only an IAM user has MFA devices, so a
// role session passing a serial and code is refused even when they are
// some user's current code.
func TestARoleSessionCannotProveMFA(t *testing.T) {
	s := newServer(t)
	s.role(t, "Admin", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/Deployer"},"Action":"sts:AssumeRole"}}`, 3600)
	u, _ := s.user(t, "alice")
	serial, seed := s.mfa(t, u, "alice-phone")
	_, err := s.as(t, "Deployer").AssumeRole(s.ctx, &sdk.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/Admin"),
		RoleSessionName: aws.String("x1"), SerialNumber: &serial, TokenCode: code(seed)})
	refused(t, err, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code.")
}

// A call refused because its session would be too large to pack does not
// use up the MFA code: the caller may send a smaller request with it.
func TestAPackedPolicyTooLargeRefusalLeavesTheMFACodeUnused(t *testing.T) {
	s := newServerWith(t, usersAsRoot)
	s.role(t, "Admin", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},
	"Action":["sts:AssumeRole","sts:TagSession"],"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}}`, 3600)
	u, alice := s.user(t, "alice")
	serial, seed := s.mfa(t, u, "alice-phone")
	c := code(seed)
	var tags []types.Tag
	for _, k := range []string{"a", "b", "c", "d", "e", "f"} {
		tags = append(tags, types.Tag{Key: aws.String(k), Value: aws.String(strings.Repeat(k, 256))})
	}
	resources := make([]string, 40)
	for i := range resources {
		resources[i] = fmt.Sprintf(`"arn:aws:s3:::bucket-%03d-with-a-long-name/*"`, i)
	}
	policy := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":[` + strings.Join(resources, ",") + `]}}`
	in := &sdk.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/Admin"), RoleSessionName: aws.String("alice"),
		SerialNumber: &serial, TokenCode: c, Tags: tags, Policy: aws.String(policy)}
	_, err := alice.AssumeRole(s.ctx, in)
	refused(t, err, "PackedPolicyTooLarge", "too large")
	in.Policy = nil
	if _, err := alice.AssumeRole(s.ctx, in); err != nil {
		t.Fatalf("the same code with a smaller request: %v", err)
	}
}
