package sts_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	sdk "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"

	"github.com/keyward/keyward/internal/aws/authz"
	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/aws/iamapi"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/aws/sdktest"
	"github.com/keyward/keyward/internal/aws/sigv4"
	"github.com/keyward/keyward/internal/aws/sts"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

const (
	mgmt   = "111111111111"
	member = "222222222222"
)

// server is STS behind the gateway and the policy authorizer, as
// internal/app mounts it, on a fresh SQLite store over real HTTP. The
// member account has a Deployer role (the caller of most cases) and the
// roles each case adds.
type server struct {
	ctx  context.Context
	db   *sqlite.DB
	auth *awsauth.Authority
	srv  *httptest.Server
	svc  *sts.Service
	// policies is the authorizer's clock: allow moves it past the
	// authorizer's read cache, as a caller waiting a second would.
	policies *clock.Fake
}

func newServer(t *testing.T) *server {
	t.Helper()
	return newServerWith(t, func(a gateway.Authorizer) gateway.Authorizer { return a })
}

// newServerWith is newServer whose authorizer is wrap(the policy authorizer).
func newServerWith(t *testing.T, wrap func(gateway.Authorizer) gateway.Authorizer) *server {
	t.Helper()
	clk := clock.Real{}
	db := sqlitetest.Open(t, clk)
	auth, err := awsauth.New(clock.Bytes(clock.Random, 32), db, clk, clock.Random)
	must(t, err)
	gw := gateway.New(&sigv4.Verifier{Lookup: auth.Lookup, Clock: clk}, db)
	fed := iamapi.New(db, clk, clock.Random).WithCredentials(auth).Federation()
	svc := sts.New(db, auth, clk, clock.Random, "us-east-1").WithFederation(fed)
	policies := clock.NewFake(time.Now())
	gw.AddQuery(svc.QueryService(wrap(authz.New(db, policies, mgmt, "o-exampleorg1").Authorize)))
	mux := http.NewServeMux()
	mux.Handle("POST /{$}", gw)
	s := &server{ctx: context.Background(), db: db, auth: auth, srv: httptest.NewServer(protocol.WithRequestID(mux)), svc: svc, policies: policies}
	t.Cleanup(s.srv.Close)
	s.role(t, "Deployer", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}}`, 3600)
	return s
}

// role creates a role in the member account.
func (s *server) role(t *testing.T, name, trust string, maxSession int) {
	t.Helper()
	must(t, s.db.CreateIAMRole(s.ctx, iam.Role{AccountID: member, ID: iam.NewRoleID(clock.Random), Name: name, Path: "/",
		TrustPolicy: trust, MaxSessionDuration: maxSession, CreatedAt: time.Now()}))
}

func (s *server) allow(t *testing.T, role, doc string) {
	t.Helper()
	must(t, s.db.PutRolePolicy(s.ctx, member, role, store.RolePolicy{Name: "p", Document: doc}))
	s.policies.Advance(authz.ReadTTL)
}

// as is an STS client signing with a fresh session of the member account's
// role.
func (s *server) as(t *testing.T, role string) *sdk.Client {
	t.Helper()
	r, err := s.db.IAMRole(s.ctx, member, role)
	must(t, err)
	c, err := s.auth.IssueSession(iam.Session{Kind: iam.KindAssumedRole, AccountID: member, RoleID: r.ID, RoleName: r.Name,
		RolePath: r.Path, SessionName: "ci", Expires: time.Now().Add(time.Hour),
		Tags: []iam.Tag{{Key: "team", Value: "infra"}, {Key: "cost", Value: "42"}}, TransitiveTagKeys: []string{"team"}})
	must(t, err)
	return s.client(aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken})
}

func (s *server) client(creds aws.Credentials) *sdk.Client {
	return sdk.New(sdk.Options{Region: "us-east-1", BaseEndpoint: aws.String(s.srv.URL), HTTPClient: s.srv.Client(),
		Credentials: credentials.StaticCredentialsProvider{Value: creds}, Retryer: sdktest.Retryer()})
}

// opened is what the issued credentials assert.
func (s *server) opened(t *testing.T, c *types.Credentials) awsauth.Principal {
	t.Helper()
	k, err := s.auth.Lookup(s.ctx, aws.ToString(c.AccessKeyId), aws.ToString(c.SessionToken))
	must(t, err)
	return k.Principal.(awsauth.Principal)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// refused fails t unless err is the modeled or generic STS error code
// whose message contains msg.
func refused(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code || !strings.Contains(ae.ErrorMessage(), msg) {
		t.Errorf("err = %v, want %s containing %q", err, code, msg)
	}
}

const accountTrust = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"sts:AssumeRole"}}`

func TestAssumeRoleNeedsTheCallersPolicyAndTheRolesTrust(t *testing.T) {
	s := newServer(t)
	s.role(t, "Target", accountTrust, 7200)
	in := &sdk.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/Target"), RoleSessionName: aws.String("deploy-1")}

	// The trust policy trusts the account: the caller's own policy must allow too.
	_, err := s.as(t, "Deployer").AssumeRole(s.ctx, in)
	refused(t, err, "AccessDenied", "is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/Target because no identity-based policy allows")

	s.allow(t, "Deployer", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::222222222222:role/*"}}`)
	out, err := s.as(t, "Deployer").AssumeRole(s.ctx, in)
	must(t, err)
	if got := aws.ToString(out.AssumedRoleUser.Arn); got != "arn:aws:sts::222222222222:assumed-role/Target/deploy-1" {
		t.Errorf("AssumedRoleUser.Arn = %s", got)
	}
	if !strings.HasPrefix(aws.ToString(out.Credentials.AccessKeyId), "ASIA") || time.Until(aws.ToTime(out.Credentials.Expiration)) > time.Hour {
		t.Errorf("credentials %s until %s, want ASIA… for at most an hour (role chaining)", aws.ToString(out.Credentials.AccessKeyId), out.Credentials.Expiration)
	}
	// The new credentials are the role session: GetCallerIdentity says so.
	id, err := s.client(aws.Credentials{AccessKeyID: aws.ToString(out.Credentials.AccessKeyId), SecretAccessKey: aws.ToString(out.Credentials.SecretAccessKey),
		SessionToken: aws.ToString(out.Credentials.SessionToken)}).GetCallerIdentity(s.ctx, &sdk.GetCallerIdentityInput{})
	must(t, err)
	if aws.ToString(id.Arn) != "arn:aws:sts::222222222222:assumed-role/Target/deploy-1" || aws.ToString(id.Account) != member {
		t.Errorf("GetCallerIdentity = %s in %s", aws.ToString(id.Arn), aws.ToString(id.Account))
	}
	// Chained: the transitive tag follows, the other does not.
	p := s.opened(t, out.Credentials)
	if len(p.Session.Tags) != 1 || p.Session.Tags[0] != (iam.Tag{Key: "team", Value: "infra"}) {
		t.Errorf("the chained session has tags %v, want only the transitive team=infra", p.Session.Tags)
	}
}

func TestAssumeRoleChecksTheTrustPolicysConditions(t *testing.T) {
	s := newServer(t)
	s.role(t, "Vendor", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/Deployer"},
		"Action":["sts:AssumeRole","sts:TagSession"],"Condition":{"StringEquals":{"sts:ExternalId":"ticket-77"}}}}`, 3600)
	arn := aws.String("arn:aws:iam::222222222222:role/Vendor")
	c := s.as(t, "Deployer")

	_, err := c.AssumeRole(s.ctx, &sdk.AssumeRoleInput{RoleArn: arn, RoleSessionName: aws.String("s")})
	refused(t, err, "ValidationError", "roleSessionName")
	_, err = c.AssumeRole(s.ctx, &sdk.AssumeRoleInput{RoleArn: arn, RoleSessionName: aws.String("s1")})
	refused(t, err, "AccessDenied", "because no role trust policy allows the sts:AssumeRole action")
	_, err = c.AssumeRole(s.ctx, &sdk.AssumeRoleInput{RoleArn: arn, RoleSessionName: aws.String("s1"), ExternalId: aws.String("ticket-78")})
	refused(t, err, "AccessDenied", "role trust policy")

	out, err := c.AssumeRole(s.ctx, &sdk.AssumeRoleInput{RoleArn: arn, RoleSessionName: aws.String("s1"), ExternalId: aws.String("ticket-77"),
		Tags: []types.Tag{{Key: aws.String("project"), Value: aws.String("apollo")}}})
	must(t, err)
	if p := s.opened(t, out.Credentials); len(p.Session.Tags) != 2 {
		t.Errorf("session tags %v, want team (transitive) and project", p.Session.Tags)
	}

	_, err = c.AssumeRole(s.ctx, &sdk.AssumeRoleInput{RoleArn: arn, RoleSessionName: aws.String("s1"), ExternalId: aws.String("ticket-77"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("other")}}})
	refused(t, err, "InvalidParameterValue", "transitive")
	_, err = c.AssumeRole(s.ctx, &sdk.AssumeRoleInput{RoleArn: arn, RoleSessionName: aws.String("s1"), ExternalId: aws.String("ticket-77"), DurationSeconds: aws.Int32(7200)})
	refused(t, err, "ValidationError", "1 hour session limit for roles assumed by role chaining")
}

func TestAssumeRoleWithoutTagSessionRefusesTags(t *testing.T) {
	s := newServer(t)
	s.role(t, "Plain", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/Deployer"},"Action":"sts:AssumeRole"}}`, 3600)
	_, err := s.as(t, "Deployer").AssumeRole(s.ctx, &sdk.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/Plain"),
		RoleSessionName: aws.String("s1"), Tags: []types.Tag{{Key: aws.String("project"), Value: aws.String("x")}}})
	refused(t, err, "AccessDenied", "sts:TagSession")
}

func TestAssumeRoleRefusesMissingRolesAndBadInput(t *testing.T) {
	s := newServer(t)
	c := s.as(t, "Deployer")
	for name, tc := range map[string]struct {
		in        *sdk.AssumeRoleInput
		code, msg string
	}{
		"a missing role": {&sdk.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/Nope"), RoleSessionName: aws.String("s1")},
			"AccessDenied", "sts:AssumeRole on resource: arn:aws:iam::222222222222:role/Nope"},
		"a short duration": {&sdk.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/Deployer"), RoleSessionName: aws.String("s1"), DurationSeconds: aws.Int32(899)},
			"ValidationError", "durationSeconds"},
		"a malformed session policy": {&sdk.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/Deployer"), RoleSessionName: aws.String("s1"), Policy: aws.String(`{"Version":"2012-10-17"}`)},
			"MalformedPolicyDocument", "Statement"},
		"not a role ARN": {&sdk.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:user/Deployer"), RoleSessionName: aws.String("s1")},
			"AccessDenied", "sts:AssumeRole"},
		"an aws: tag": {&sdk.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/Deployer"), RoleSessionName: aws.String("s1"),
			Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("y")}}}, "InvalidParameterValue", "reserved prefix"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.AssumeRole(s.ctx, tc.in)
			refused(t, err, tc.code, tc.msg)
		})
	}
}

func TestAssumeRoleWithoutSetSourceIdentityRefusesASourceIdentity(t *testing.T) {
	s := newServer(t)
	s.role(t, "Plain", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/Deployer"},"Action":"sts:AssumeRole"}}`, 3600)
	s.role(t, "Audited", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/Deployer"},
		"Action":["sts:AssumeRole","sts:SetSourceIdentity"]}}`, 3600)
	c := s.as(t, "Deployer")
	_, err := c.AssumeRole(s.ctx, &sdk.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/Plain"),
		RoleSessionName: aws.String("s1"), SourceIdentity: aws.String("alice")})
	refused(t, err, "AccessDenied", "sts:SetSourceIdentity")
	out, err := c.AssumeRole(s.ctx, &sdk.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/Audited"),
		RoleSessionName: aws.String("s1"), SourceIdentity: aws.String("alice")})
	must(t, err)
	if got := aws.ToString(out.SourceIdentity); got != "alice" {
		t.Errorf("SourceIdentity = %q, want alice", got)
	}
}
