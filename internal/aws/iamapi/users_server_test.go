package iamapi_test

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
	sdk "github.com/aws/aws-sdk-go-v2/service/iam"
	stssdk "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/aws/iamapi"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/aws/sigv4"
	"github.com/keyward/keyward/internal/aws/sts"
	"github.com/keyward/keyward/internal/clock"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

// userAPI is STS and IAM on a fresh SQLite store, mounted as
// internal/app/build.go mounts them (the verifier records key use, IAM
// mints keys with the authority) but with no Authorizer: who may call IAM
// is not this package's business, and an IAM user's own key must reach it.
type userAPI struct {
	ctx     context.Context
	db      *sqlite.DB
	auth    *awsauth.Authority
	srv     *httptest.Server
	acct    string      // the management account
	rootKey string      // its root access key id
	admin   *sdk.Client // signed with its root key
}

func newUserAPI(t *testing.T) *userAPI {
	t.Helper()
	clk := clock.Real{}
	db := sqlitetest.Open(t, clk)
	auth, err := awsauth.New(clock.Bytes(clock.Random, 32), db, clk, clock.Random)
	uaMust(t, err)
	a := &userAPI{ctx: t.Context(), db: db, auth: auth}
	secret := a.bootstrap(t, auth)
	gw := gateway.New(&sigv4.Verifier{Lookup: auth.Lookup, Verified: auth.Verified, Clock: clk}, db)
	gw.AddQuery(sts.QueryService())
	gw.AddQuery(iamapi.New(db, clk, clock.Random).WithCredentials(auth).QueryService(nil))
	mux := http.NewServeMux()
	mux.Handle("POST /{$}", gw)
	a.srv = httptest.NewServer(protocol.WithRequestID(mux))
	t.Cleanup(a.srv.Close)
	a.admin = a.client(aws.Credentials{AccessKeyID: a.rootKey, SecretAccessKey: secret})
	return a
}

// bootstrap stores what a first start stores and returns the root key's secret.
func (a *userAPI) bootstrap(t *testing.T, auth *awsauth.Authority) string {
	t.Helper()
	now := time.Now().UTC()
	a.acct = ic.NewAccountID(clock.Random)
	key, secret := auth.NewRootKey(a.acct)
	_, _, err := a.db.Bootstrap(a.ctx, store.Bootstrap{
		Organization: ic.Organization{ID: ic.NewOrgID(clock.Random), ManagementAccountID: a.acct,
			ManagementEmail: "root@example.com", CreatedAt: now},
		ManagementAccount: ic.Account{ID: a.acct, Name: "Management", Email: "root@example.com",
			Status: ic.AccountActive, JoinedMethod: ic.JoinedCreated, JoinedAt: now},
		Instance: ic.Instance{ID: ic.NewInstanceID(clock.Random), IdentityStoreID: ic.NewIdentityStoreID(clock.Random),
			OwnerAccountID: a.acct, Name: "keyward", CreatedAt: now},
		RootKey: key,
	})
	uaMust(t, err)
	a.rootKey = key.ID
	return secret
}

// client is the real IAM client signing with creds; it does not retry.
func (a *userAPI) client(creds aws.Credentials) *sdk.Client {
	return sdk.New(sdk.Options{Region: "us-east-1", BaseEndpoint: aws.String(a.srv.URL), HTTPClient: a.srv.Client(),
		Credentials: credentials.StaticCredentialsProvider{Value: creds}, Retryer: aws.NopRetryer{}})
}

// stsClient is the real STS client signing with creds.
func (a *userAPI) stsClient(creds aws.Credentials) *stssdk.Client {
	return stssdk.New(stssdk.Options{Region: "us-east-1", BaseEndpoint: aws.String(a.srv.URL), HTTPClient: a.srv.Client(),
		Credentials: credentials.StaticCredentialsProvider{Value: creds}, Retryer: aws.NopRetryer{}})
}

// createUser creates a user at / and returns its name.
func (a *userAPI) createUser(t *testing.T, name string) {
	t.Helper()
	_, err := a.admin.CreateUser(a.ctx, &sdk.CreateUserInput{UserName: aws.String(name)})
	uaMust(t, err)
}

// newKey creates an access key for user and returns it as credentials.
func (a *userAPI) newKey(t *testing.T, user string) aws.Credentials {
	t.Helper()
	out, err := a.admin.CreateAccessKey(a.ctx, &sdk.CreateAccessKeyInput{UserName: aws.String(user)})
	uaMust(t, err)
	return aws.Credentials{AccessKeyID: *out.AccessKey.AccessKeyId, SecretAccessKey: *out.AccessKey.SecretAccessKey}
}

func uaMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// refusedAs fails t unless err is the modeled error *T with a message
// containing msg.
func refusedAs[T smithy.APIError](t *testing.T, err error, msg string) {
	t.Helper()
	var want T
	if !errors.As(err, &want) {
		t.Fatalf("error = %v (%T), want %T", err, err, want)
	}
	if !strings.Contains(want.ErrorMessage(), msg) {
		t.Errorf("message = %q, want it to contain %q", want.ErrorMessage(), msg)
	}
}

// refusedCode fails t unless err is an API error with code and a message
// containing msg (for codes the SDK does not model, ValidationError).
func refusedCode(t *testing.T, err error, code, msg string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
	if !strings.Contains(apiErr.ErrorMessage(), msg) {
		t.Errorf("message = %q, want it to contain %q", apiErr.ErrorMessage(), msg)
	}
}

// apiCase is one call and what its answer must be.
type apiCase struct {
	name  string
	call  func() error
	check func(t *testing.T, err error)
}

// runCases runs each case as a subtest.
func runCases(t *testing.T, cases []apiCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, tc.call()) })
	}
}

// enableDevice enables the device for user with two fresh codes.
func (a *userAPI) enableDevice(t *testing.T, user, serial string, seed []byte) {
	t.Helper()
	c1, c2 := twoCodes(seed)
	_, err := a.admin.EnableMFADevice(a.ctx, &sdk.EnableMFADeviceInput{UserName: aws.String(user), SerialNumber: &serial,
		AuthenticationCode1: c1, AuthenticationCode2: c2})
	uaMust(t, err)
}
