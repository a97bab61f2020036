package organizations_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	orgs "github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/aws/organizations"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/aws/sdktest"
	"github.com/keyward/keyward/internal/aws/sigv4"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

const (
	testKey    = "AKIAKEYWARDORGS00001"
	testSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	orgID      = "o-abcd123456"
	mgmtID     = "111111111111"
)

// fixture is a served Organizations with a fresh store and an SDK client.
type fixture struct {
	c      *orgs.Client
	s      store.AWS
	rootID string
	ctx    context.Context
	url    string
}

// newFixture bootstraps an organization in a fresh store and serves the
// service over real HTTP to aws-sdk-go-v2's client.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	return serve(t, nil)
}

// serve is newFixture with the policy authorizer authorizer(db) returns
// (none when authorizer is nil).
func serve(t *testing.T, authorizer func(db store.AWS, clk clock.Clock) gateway.Authorizer) *fixture {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	db := sqlitetest.Open(t, clk)
	mgmt := ic.Account{ID: mgmtID, Name: "Management", Email: "root@example.com", Status: ic.AccountActive,
		JoinedMethod: ic.JoinedCreated, JoinedAt: clk.Now()}
	_, _, err := db.Bootstrap(t.Context(), store.Bootstrap{
		Organization:      ic.Organization{ID: orgID, ManagementAccountID: mgmtID, ManagementEmail: mgmt.Email, CreatedAt: clk.Now()},
		ManagementAccount: mgmt,
		Instance:          ic.Instance{ID: "ssoins-0123456789abcdef", IdentityStoreID: "d-0123456789", OwnerAccountID: mgmtID, Name: "keyward"},
	})
	if err != nil {
		t.Fatal(err)
	}
	v := &sigv4.Verifier{Clock: clock.Real{}, MaxSkew: 15 * time.Minute, Lookup: lookup}
	g := gateway.New(v, db)
	var authorize gateway.Authorizer
	if authorizer != nil {
		authorize = authorizer(db, clk)
	}
	g.AddJSON(organizations.New(db, clk, clock.Random).JSONService(authorize))
	srv := httptest.NewServer(protocol.WithRequestID(g))
	t.Cleanup(srv.Close)
	f := &fixture{s: db, rootID: ic.RootIDFor(orgID), ctx: t.Context(), url: srv.URL}
	f.c = f.client(testKey)
	return f
}

// lookup resolves testKey to the management account's root user, a
// memberKey to the root user of the member account it names and a roleKey
// to a session of the management account's IAM role it names. Unless a
// test serves a policy authorizer, what it sees is Organizations' own rule
// on who may call what.
func lookup(_ context.Context, key, _ string) (sigv4.Key, error) {
	if role, ok := strings.CutPrefix(key, "ASIAROLE"); ok {
		s := iam.Session{Kind: iam.KindAssumedRole, AccountID: mgmtID, RoleID: "AROA" + strings.ToUpper(role), RoleName: role,
			RolePath: "/", SessionName: "test", Expires: time.Now().Add(time.Hour)}
		return sigv4.Key{Secret: testSecret, Principal: awsauth.Principal{Type: awsauth.AssumedRole, AccountID: mgmtID,
			ARN: s.ARN(), UserID: s.UserID(), AccessKeyID: key, Session: s}}, nil
	}
	acct := mgmtID
	if strings.HasPrefix(key, "AKIA") && strings.HasSuffix(key, "MBR0") && len(key) == 20 {
		acct = key[4:16]
	} else if key != testKey {
		return sigv4.Key{}, sigv4.UnrecognizedClient()
	}
	return sigv4.Key{Secret: testSecret, Principal: awsauth.Principal{Type: awsauth.Root, AccountID: acct,
		ARN: "arn:aws:iam::" + acct + ":root", UserID: acct, AccessKeyID: key}}, nil
}

// roleKey is an access key of a session of the management account's role.
func roleKey(role string) string { return "ASIAROLE" + role }

// memberKey is an access key of a member account's root user.
func memberKey(accountID string) string { return "AKIA" + accountID + "MBR0" }

// client is an SDK client signing with key.
func (f *fixture) client(key string) *orgs.Client {
	return orgs.NewFromConfig(aws.Config{Region: "us-east-1", Retryer: sdktest.Retryer,
		Credentials: credentials.NewStaticCredentialsProvider(key, testSecret, "")},
		func(o *orgs.Options) { o.BaseEndpoint = aws.String(f.url) })
}

// account creates a member account and returns its id.
func (f *fixture) account(t *testing.T, name string) string {
	t.Helper()
	out, err := f.c.CreateAccount(f.ctx, &orgs.CreateAccountInput{AccountName: aws.String(name), Email: aws.String(name + "@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.CreateAccountStatus.AccountId)
}

// ou creates an OU under parent and returns its id.
func (f *fixture) ou(t *testing.T, parent, name string) string {
	t.Helper()
	out, err := f.c.CreateOrganizationalUnit(f.ctx, &orgs.CreateOrganizationalUnitInput{ParentId: aws.String(parent), Name: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.OrganizationalUnit.Id)
}

// wantErr fails t unless err is the SDK's modeled exception T; it returns it.
func wantErr[T error](t *testing.T, err error) T {
	t.Helper()
	var target T
	if !errors.As(err, &target) {
		t.Fatalf("error = %v, want %T", err, target)
	}
	return target
}

// ignoreUnexported skips the SDK types' unexported bookkeeping fields.
var ignoreUnexported = cmp.FilterPath(func(p cmp.Path) bool {
	sf, ok := p.Last().(cmp.StructField)
	return ok && !unicode.IsUpper([]rune(sf.Name())[0])
}, cmp.Ignore())

func equal[T any](t *testing.T, what string, want, got T) {
	t.Helper()
	if diff := cmp.Diff(want, got, ignoreUnexported); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, diff)
	}
}
