package identitystore_test

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
	sdk "github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/smithy-go"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/aws/identitystore"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/aws/sdktest"
	"github.com/keyward/keyward/internal/aws/sigv4"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

// server is the Identity Store API on a fresh SQLite store in t.TempDir(),
// mounted as internal/app/build.go mounts it: the gateway verifying SigV4
// with an awsauth.Authority's Lookup, on POST / behind
// protocol.WithRequestID. Its authorizer allows every call, as policy
// evaluation does for a principal with AdministratorAccess in its own
// account, so what a test sees is the service's own rule. The store holds
// what a first start bootstraps, plus one member account, one user and
// one group.
type server struct {
	ctx     context.Context
	db      *sqlite.DB
	auth    *awsauth.Authority
	boot    store.Bootstrap
	srv     *httptest.Server
	admin   *sdk.Client // signed with the management account's root key
	storeID *string
	account string // a member account
	user    string
	group   string
}

func allowAll(context.Context, awsauth.Principal, gateway.Request) error { return nil }

func newServer(t *testing.T) *server {
	t.Helper()
	ctx, clk := t.Context(), clock.Real{}
	db := sqlitetest.Open(t, clk)
	auth, err := awsauth.New(clock.Bytes(clock.Random, 32), db, clk, clock.Random)
	must(t, err)
	s := &server{ctx: ctx, db: db, auth: auth}
	secret := s.bootstrap(t)

	gw := gateway.New(&sigv4.Verifier{Lookup: auth.Lookup, Clock: clk}, db)
	gw.AddJSON(identitystore.New(db, clk, clock.Random).JSONService(allowAll))
	mux := http.NewServeMux()
	mux.Handle("POST /{$}", gw)
	s.srv = httptest.NewServer(protocol.WithRequestID(mux))
	t.Cleanup(s.srv.Close)

	s.admin = s.client(aws.Credentials{AccessKeyID: s.boot.RootKey.ID, SecretAccessKey: secret})
	s.storeID = aws.String(s.boot.Instance.IdentityStoreID)
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
	d := sqlitetest.Seed(t, s.db, s.boot.Instance.IdentityStoreID, "Admins")
	s.account, s.user, s.group = d.Account, d.User, d.Group
}

// client is the real Identity Store client signing with creds. It
// retries nothing the server answered (sdktest.Retryer), so a refusal is
// the server's first answer.
func (s *server) client(creds aws.Credentials) *sdk.Client {
	return sdk.New(sdk.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(s.srv.URL), HTTPClient: s.srv.Client(),
		Credentials: credentials.StaticCredentialsProvider{Value: creds}, Retryer: sdktest.Retryer(),
	})
}

// sessionClient signs with a fresh role session in account, as STS would
// issue one.
func (s *server) sessionClient(t *testing.T, account string) *sdk.Client {
	t.Helper()
	c, err := s.auth.IssueSession(iam.Session{Kind: iam.KindAssumedRole, AccountID: account, RoleID: iam.NewRoleID(clock.Random),
		RoleName: "AWSReservedSSO_Admin_0123456789abcdef", RolePath: ic.RolePath, SessionName: "mallory",
		Expires: time.Now().Add(time.Hour)})
	must(t, err)
	return s.client(aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken})
}

// refused fails t unless err is the modeled Identity Store exception code
// (HTTP 400) with a message containing msg.
func refused(t *testing.T, err error, code, msg string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want %s saying %q", err, code, msg)
	}
	var status interface{ HTTPStatusCode() int }
	if !errors.As(err, &status) || status.HTTPStatusCode() != http.StatusBadRequest {
		t.Errorf("HTTP status of %v is not 400", err)
	}
	if apiErr.ErrorCode() != code || !strings.Contains(apiErr.ErrorMessage(), msg) {
		t.Errorf("error %s: %q, want %s saying %q", apiErr.ErrorCode(), apiErr.ErrorMessage(), code, msg)
	}
	var generic *smithy.GenericAPIError
	if errors.As(err, &generic) {
		t.Errorf("the SDK does not know %s as an Identity Store exception", apiErr.ErrorCode())
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
