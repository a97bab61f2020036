package ssoadmin_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	sdk "github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/smithy-go"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/aws/sdktest"
	"github.com/keyward/keyward/internal/aws/sigv4"
	"github.com/keyward/keyward/internal/aws/ssoadmin"
	"github.com/keyward/keyward/internal/clock"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

// server is the SSO Admin API on a fresh SQLite store in t.TempDir(),
// mounted as internal/app/build.go mounts it: the gateway verifying SigV4
// with an awsauth.Authority's Lookup, ManagementRootOnly for the management
// account, on POST / behind protocol.WithRequestID (build.go's framing,
// real-IP and metrics middleware are left out). httptest serves it over real
// HTTP. The store holds what a first start bootstraps, plus one member
// account, one user and one group.
type server struct {
	ctx     context.Context
	db      *sqlite.DB
	auth    *awsauth.Authority
	boot    store.Bootstrap
	srv     *httptest.Server
	admin   *sdk.Client // signed with the management account's root key
	inst    *string     // the instance ARN
	account string      // a member account
	user    string      // an identity store user
	group   string      // an identity store group
}

func newServer(t *testing.T) *server {
	t.Helper()
	return newServerWith(t, nil)
}

// allowAll is an authorizer whose policies allow every call: what policy
// evaluation does for a role with AdministratorAccess.
func allowAll(context.Context, awsauth.Principal, gateway.Request) error { return nil }

// newServerWith is newServer authorizing with authorize instead of
// ManagementRootOnly when it is not nil.
func newServerWith(t *testing.T, authorize gateway.Authorizer) *server {
	t.Helper()
	ctx, clk := t.Context(), clock.Real{}
	db := sqlitetest.Open(t, clk)
	auth, err := awsauth.New(clock.Bytes(clock.Random, 32), db, clk, clock.Random)
	must(t, err)
	s := &server{ctx: ctx, db: db, auth: auth}
	secret := s.bootstrap(t)

	gw := gateway.New(&sigv4.Verifier{Lookup: auth.Lookup, Clock: clk}, db)
	if authorize == nil {
		authorize = gateway.ManagementRootOnly(s.boot.Organization.ManagementAccountID)
	}
	gw.AddJSON(ssoadmin.New(db, clk, clock.Random).JSONService(authorize))
	mux := http.NewServeMux()
	mux.Handle("POST /{$}", gw)
	s.srv = httptest.NewServer(protocol.WithRequestID(mux))
	t.Cleanup(s.srv.Close)

	s.admin = s.client(aws.Credentials{AccessKeyID: s.boot.RootKey.ID, SecretAccessKey: secret})
	s.inst = aws.String(s.boot.Instance.ARN())
	s.seed(t)
	return s
}

// bootstrap stores what internal/app's first start stores and returns the
// root key's secret.
func (s *server) bootstrap(t *testing.T) string {
	t.Helper()
	key, secret := s.auth.NewRootKey(ic.NewAccountID(clock.Random))
	s.boot = sqlitetest.Bootstrap(t, s.db, key)
	return secret
}

// seed adds a member account, a user and a group, straight to the store.
func (s *server) seed(t *testing.T) {
	t.Helper()
	d := sqlitetest.Seed(t, s.db, s.boot.Instance.IdentityStoreID, "Developers")
	s.account, s.user, s.group = d.Account, d.User, d.Group
}

// client is the real SSO Admin client signing with creds. It retries
// nothing the server answered (sdktest.Retryer), so a refusal is the
// server's first answer.
func (s *server) client(creds aws.Credentials) *sdk.Client {
	return sdk.New(sdk.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(s.srv.URL), HTTPClient: s.srv.Client(),
		Credentials: credentials.StaticCredentialsProvider{Value: creds}, Retryer: sdktest.Retryer(),
	})
}

// createPS creates a permission set named name and returns its ARN.
func (s *server) createPS(t *testing.T, name string) *string {
	t.Helper()
	out, err := s.admin.CreatePermissionSet(s.ctx, &sdk.CreatePermissionSetInput{InstanceArn: s.inst, Name: aws.String(name)})
	must(t, err)
	return out.PermissionSet.PermissionSetArn
}

// psID is the permission set id at the end of an ARN.
func psID(arn *string) string { return (*arn)[strings.LastIndex(*arn, "/")+1:] }

// refusal is what a client sees of a refused call: the HTTP status, the
// error code and a fragment of the message.
type refusal struct {
	status int
	code   string
	msg    string
}

// refused fails t unless err is the refusal want, recognized by the SDK as
// one of SSO Admin's modeled exceptions (not a generic API error).
func refused(t *testing.T, err error, want refusal) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Errorf("err = %v, want %s (%d) saying %q", err, want.code, want.status, want.msg)
		return
	}
	var status interface{ HTTPStatusCode() int }
	if !errors.As(err, &status) || status.HTTPStatusCode() != want.status {
		t.Errorf("HTTP status of %v is not %d", err, want.status)
	}
	if apiErr.ErrorCode() != want.code || !strings.Contains(apiErr.ErrorMessage(), want.msg) {
		t.Errorf("error %s: %q, want %s saying %q", apiErr.ErrorCode(), apiErr.ErrorMessage(), want.code, want.msg)
	}
	var generic *smithy.GenericAPIError
	if errors.As(err, &generic) {
		t.Errorf("the SDK does not know %s as an SSO Admin exception", apiErr.ErrorCode())
	}
}

// SSO Admin sends every client error with status 400.
var (
	validation = clientError("ValidationException")
	notFound   = clientError("ResourceNotFoundException")
	conflict   = clientError("ConflictException")
)

func clientError(code string) func(msg string) refusal {
	return func(msg string) refusal { return refusal{http.StatusBadRequest, code, msg} }
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
