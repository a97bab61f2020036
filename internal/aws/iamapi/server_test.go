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
	"github.com/aws/smithy-go"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/aws/iamapi"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/aws/sdktest"
	"github.com/keyward/keyward/internal/aws/sigv4"
	"github.com/keyward/keyward/internal/aws/sts"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

// server is STS and IAM on a fresh SQLite store, mounted as
// internal/app/build.go mounts them (the gateway verifying SigV4 with an
// awsauth.Authority that also records key use and mints users' keys,
// ManagementRootOnly, POST / behind protocol.WithRequestID) and served over
// real HTTP by httptest. admin is the real IAM client signed with the
// management account's root key.
type server struct {
	ctx   context.Context
	clk   clock.Clock
	db    *sqlite.DB
	auth  *awsauth.Authority
	boot  store.Bootstrap
	srv   *httptest.Server
	admin *sdk.Client
}

func newServer(t *testing.T) *server { return newServerFor(t, true) }

// newServerFor is newServer; with rootOnly false IAM authorizes every
// verified caller, so an IAM user's own key reaches it.
func newServerFor(t *testing.T, rootOnly bool) *server {
	t.Helper()
	return newServerAt(t, rootOnly, clock.Real{})
}

// newServerAt is newServerFor with the store's and services' clock clk
// (near the real time: the SDK signs with it).
func newServerAt(t *testing.T, rootOnly bool, clk clock.Clock) *server {
	t.Helper()
	s := &server{ctx: t.Context(), clk: clk, db: sqlitetest.Open(t, clk)}
	auth, err := awsauth.New(clock.Bytes(clock.Random, 32), s.db, clk, clock.Random)
	must(t, err)
	s.auth = auth
	secret := s.bootstrap(t, auth)
	var authorize gateway.Authorizer
	if rootOnly {
		authorize = gateway.ManagementRootOnly(s.account())
	}
	gw := gateway.New(&sigv4.Verifier{Lookup: auth.Lookup, Verified: auth.Verified, Clock: clk}, s.db)
	gw.AddQuery(sts.New(s.db, auth, clk, clock.Random, "us-east-1").QueryService(nil)) // GetCallerIdentity needs no permission
	gw.AddQuery(iamapi.New(s.db, clk, clock.Random).WithCredentials(auth).QueryService(authorize))
	mux := http.NewServeMux()
	mux.Handle("POST /{$}", gw)
	s.srv = httptest.NewServer(protocol.WithRequestID(mux))
	t.Cleanup(s.srv.Close)
	s.admin = sdk.New(sdk.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(s.srv.URL), HTTPClient: s.srv.Client(), Retryer: sdktest.Retryer(),
		Credentials: credentials.StaticCredentialsProvider{Value: aws.Credentials{AccessKeyID: s.boot.RootKey.ID, SecretAccessKey: secret}},
	})
	return s
}

// bootstrap stores what a first start stores and returns the root key's
// secret.
func (s *server) bootstrap(t *testing.T, auth *awsauth.Authority) string {
	t.Helper()
	key, secret := auth.NewRootKey(ic.NewAccountID(clock.Random))
	s.boot = sqlitetest.Bootstrap(t, s.db, key)
	return secret
}

// account is the caller's account: the management account.
func (s *server) account() string { return s.boot.Organization.ManagementAccountID }

// provisionSSORole makes Identity Center provision a permission set named
// psName with inline and AWS managed policies in the caller's account, as
// an assignment does, and returns the role it provisioned.
func (s *server) provisionSSORole(t *testing.T, psName, inline string, managed ...string) ic.Role {
	t.Helper()
	now := time.Now().UTC()
	ps := ic.PermissionSet{ID: ic.NewPermissionSetID(clock.Random), InstanceID: s.boot.Instance.ID, Name: psName,
		SessionDuration: "PT4H", ManagedPolicies: managed, InlinePolicy: inline, Version: 1, CreatedAt: now}
	must(t, s.db.CreatePermissionSet(s.ctx, ps))
	u := ic.User{ID: ic.NewPrincipalID(clock.Random, s.boot.Instance.IdentityStoreID), Status: ic.UserEnabled,
		CreatedAt: now, UpdatedAt: now, Profile: ic.Profile{UserName: "user-" + psName, DisplayName: "U"}}
	must(t, s.db.CreateUser(s.ctx, u))
	role := ic.Role{AccountID: s.account(), PermissionSetID: ps.ID, Name: ic.ReservedRoleName(psName, ic.NewRoleSuffix(clock.Random)),
		ID: iam.NewRoleID(clock.Random), Path: ic.RolePath, Version: 1, CreatedAt: now}
	a := ic.Assignment{AccountID: s.account(), PermissionSetID: ps.ID, PrincipalType: ic.PrincipalUser, PrincipalID: u.ID, CreatedAt: now}
	req := ic.Request{ID: ic.NewUUID(clock.Random), Kind: ic.RequestAssignmentCreate, Status: ic.StateSucceeded,
		AccountID: s.account(), PermissionSetID: ps.ID, PrincipalType: ic.PrincipalUser, PrincipalID: u.ID, CreatedAt: now}
	must(t, s.db.CreateAssignment(s.ctx, a, role, req))
	return role
}

// refusal is what a client sees of a refused call: the HTTP status, the
// error code and a fragment of the message.
type refusal struct {
	status int
	code   string
	msg    string
	// unmodeled: the operation's model does not list the code (IAM still
	// sends it, as UnmodifiableEntity from TagRole), so the SDK reports a
	// generic API error.
	unmodeled bool
}

// refused fails t unless err is the refusal want. Every code but
// ValidationError (which IAM's model leaves out) and those marked
// unmodeled must reach the caller as one of the SDK's modeled exceptions,
// not a generic API error.
func refused(t *testing.T, err error, want refusal) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want %s (%d) saying %q", err, want.code, want.status, want.msg)
	}
	var status interface{ HTTPStatusCode() int }
	if !errors.As(err, &status) || status.HTTPStatusCode() != want.status {
		t.Errorf("HTTP status of %v is not %d", err, want.status)
	}
	if apiErr.ErrorCode() != want.code || !strings.Contains(apiErr.ErrorMessage(), want.msg) {
		t.Errorf("error %s: %q, want %s saying %q", apiErr.ErrorCode(), apiErr.ErrorMessage(), want.code, want.msg)
	}
	var generic *smithy.GenericAPIError
	if errors.As(err, &generic) && want.code != "ValidationError" && !want.unmodeled {
		t.Errorf("the SDK does not know %s as an IAM exception", apiErr.ErrorCode())
	}
}

// IAM's refusals, by code and status.
func noSuchEntity(msg string) refusal {
	return refusal{status: http.StatusNotFound, code: "NoSuchEntity", msg: msg}
}
func alreadyExists(msg string) refusal {
	return refusal{status: http.StatusConflict, code: "EntityAlreadyExists", msg: msg}
}
func deleteConflict(msg string) refusal {
	return refusal{status: http.StatusConflict, code: "DeleteConflict", msg: msg}
}
func limitExceeded(msg string) refusal {
	return refusal{status: http.StatusConflict, code: "LimitExceeded", msg: msg}
}
func validation(msg string) refusal {
	return refusal{status: http.StatusBadRequest, code: "ValidationError", msg: msg}
}
func malformed(msg string) refusal {
	return refusal{status: http.StatusBadRequest, code: "MalformedPolicyDocument", msg: msg}
}
func unmodifiable(msg string) refusal {
	return refusal{status: http.StatusBadRequest, code: "UnmodifiableEntity", msg: msg}
}
func invalidInput(msg string) refusal {
	return refusal{status: http.StatusBadRequest, code: "InvalidInput", msg: msg}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
