package sts_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/keyward/keyward/internal/aws/authz"
	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/aws/samlsp/samltest"
	"github.com/keyward/keyward/internal/aws/sdktest"
	"github.com/keyward/keyward/internal/aws/sigv4"
	"github.com/keyward/keyward/internal/aws/sts"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

const (
	idpEntityID = "https://idp.example.com/metadata"
	providerARN = "arn:aws:iam::222222222222:saml-provider/Corp"
	adminARN    = "arn:aws:iam::222222222222:role/SAMLAdmin"
	readerARN   = "arn:aws:iam::222222222222:role/SAMLReader"
)

// samlTrust trusts the Corp provider for assertions to AWS's sign-in.
const samlTrust = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"` + providerARN + `"},
 "Action":["sts:AssumeRoleWithSAML","sts:TagSession","sts:SetSourceIdentity"],"Condition":{"StringEquals":{"SAML:aud":["https://signin.aws.amazon.com/saml","https://us-east-1.signin.aws.amazon.com/saml"]}}}}`

// samlServer is STS with AssumeRoleWithSAML over real HTTP, a Corp SAML
// provider in the member account whose identity provider is idp, and the
// roles SAMLAdmin and SAMLReader trusting it.
type samlServer struct {
	ctx  context.Context
	db   *sqlite.DB
	auth *awsauth.Authority
	svc  *sts.Service
	srv  *httptest.Server
	idp  *samltest.IdP
}

// providers reads SAML providers from the store, as iamapi's Federation does.
type providers struct{ db *sqlite.DB }

func (p providers) SAMLProvider(ctx context.Context, arn string) (iam.SAMLProvider, error) {
	return p.db.IAMSAMLProvider(ctx, arn)
}

func newSAMLServer(t *testing.T) *samlServer {
	t.Helper()
	clk := clock.Real{}
	db := sqlitetest.Open(t, clk)
	auth, err := awsauth.New(clock.Bytes(clock.Random, 32), db, clk, clock.Random)
	must(t, err)
	svc := sts.New(db, auth, clk, clock.Random, "us-east-1").
		WithSAML(sts.SAMLConfig{Providers: providers{db}, Keys: db, Recipients: []string{"https://aws.keyward.test/saml"}})
	gw := gateway.New(&sigv4.Verifier{Lookup: auth.Lookup, Clock: clk}, db)
	gw.AddQuery(svc.QueryService(authz.New(db, clk, mgmt, "o-exampleorg1").Authorize))
	mux := http.NewServeMux()
	mux.Handle("POST /{$}", gw)
	s := &samlServer{ctx: context.Background(), db: db, auth: auth, svc: svc, srv: httptest.NewServer(protocol.WithRequestID(mux)),
		idp: samltest.New(t, 0, idpEntityID, time.Now())}
	t.Cleanup(s.srv.Close)
	s.provider(t, "Corp", s.idp)
	for _, name := range []string{"SAMLAdmin", "SAMLReader"} {
		must(t, db.CreateIAMRole(s.ctx, iamRole(name, samlTrust)))
	}
	return s
}

// provider creates a SAML provider in the member account for idp.
func (s *samlServer) provider(t *testing.T, name string, idp *samltest.IdP) {
	t.Helper()
	must(t, s.db.CreateIAMSAMLProvider(s.ctx, iam.SAMLProvider{AccountID: member, Name: name, Metadata: idp.Metadata(),
		EntityID: idp.EntityID, Certificates: []string{base64.StdEncoding.EncodeToString(idp.DER)},
		CreatedAt: time.Now(), ValidUntil: time.Now().AddDate(1, 0, 0)}))
}

// attrs are the attributes of alice's assertion offering both roles.
func attrs() map[string][]string {
	return map[string][]string{
		sts.AttrRole:            {adminARN + "," + providerARN, providerARN + "," + readerARN},
		sts.AttrRoleSessionName: {"alice@example.com"},
	}
}

// spec is a Response for alice, valid now.
func (s *samlServer) spec() samltest.Spec {
	return s.idp.Spec(time.Now().UTC(), "alice", attrs())
}

// anonymous is an STS client with no credentials: the SDK sends
// AssumeRoleWithSAML unsigned.
func (s *samlServer) anonymous() *sdk.Client {
	return sdk.New(sdk.Options{Region: "us-east-1", BaseEndpoint: aws.String(s.srv.URL), HTTPClient: s.srv.Client(),
		Retryer: sdktest.Retryer()})
}

func (s *samlServer) assume(role, assertion string) (*sdk.AssumeRoleWithSAMLOutput, error) {
	return s.anonymous().AssumeRoleWithSAML(s.ctx, assumeInput(role, providerARN, assertion))
}

func assumeInput(role, provider, assertion string) *sdk.AssumeRoleWithSAMLInput {
	return &sdk.AssumeRoleWithSAMLInput{RoleArn: aws.String(role), PrincipalArn: aws.String(provider), SAMLAssertion: aws.String(assertion)}
}

// iamRole is a member account role trusting as trust says, for up to two hours.
func iamRole(name, trust string) iam.Role {
	return iam.Role{AccountID: member, ID: iam.NewRoleID(clock.Random), Name: name, Path: "/",
		TrustPolicy: trust, MaxSessionDuration: 7200, CreatedAt: time.Now()}
}
