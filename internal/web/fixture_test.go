package web

import (
	"bytes"
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/authn/password"
	"github.com/keyward/keyward/internal/authn/signin"
	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/portal"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/aws/ssooidc"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

// pageStore is everything the real services behind the pages need from
// storage; a test type wrapping *sqlite.DB to break one method is one too.
type pageStore interface {
	signin.Store
	ssooidc.Store
	portal.Store
}

// fixture is the pages on a fresh SQLite store, served by the real sign-in,
// device and portal services, with one user (alice) holding the DevOps role
// on one account.
type fixture struct {
	t       *testing.T
	db      *sqlite.DB
	handler http.Handler
	logs    *bytes.Buffer
	signIn  *signin.Service
	oidc    *ssooidc.Service
	user    ic.User
}

// newFixture builds the fixture. wrap, when not nil, puts a test type around
// the store that every service and page then uses.
func newFixture(t *testing.T, wrap func(*sqlite.DB) pageStore) *fixture {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	db := sqlitetest.Open(t, clk)
	var err error
	f := &fixture{t: t, db: db, logs: &bytes.Buffer{}}
	f.seed(clk.Now())
	var s pageStore = db
	if wrap != nil {
		s = wrap(db)
	}
	f.signIn, err = signin.New(s, password.NewHasher(password.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1}, 1, clock.Random),
		clk, clock.Random, signin.DefaultPolicy)
	must(t, err)
	auth, err := awsauth.New(bytes.Repeat([]byte{7}, 32), db, clk, clock.Random)
	must(t, err)
	oidc := ssooidc.New(s, ssooidc.Config{SessionLifetime: time.Hour}, clk, clock.Random)
	f.oidc = oidc
	p := &Pages{SignIn: f.signIn, Devices: oidc, Authorizations: oidc,
		Credentials: portal.New(s, auth, clk), Directory: s, StartURL: "http://keyward.test/start", Region: "eu-west-1",
		SessionLifetime: time.Hour, Log: slog.New(slog.NewTextHandler(f.logs, nil))}
	f.handler = protocol.WithRequestID(p.Handler())
	return f
}

// devAccount is the account on which alice holds DevOps.
const devAccount = "111122223333"

// seed stores alice and the Dev account, and gives her DevOps on it.
func (f *fixture) seed(now time.Time) {
	ctx := context.Background()
	f.user = ic.User{ID: ic.NewPrincipalID(clock.Random, "d-0123456789"), Status: ic.UserEnabled, CreatedAt: now, UpdatedAt: now,
		Profile: ic.Profile{UserName: "alice", DisplayName: "Alice", Name: ic.Name{GivenName: "Alice", FamilyName: "Doe"}}}
	must(f.t, f.db.CreateUser(ctx, f.user))
	dev := ic.Account{ID: devAccount, Name: "Dev", Email: "dev@example.com", Status: ic.AccountActive, JoinedMethod: ic.JoinedCreated, JoinedAt: now}
	must(f.t, f.db.CreateAccount(ctx, dev, ic.CreateAccountStatus{ID: "car-0123456789abcdef", AccountName: dev.Name,
		State: ic.StateSucceeded, AccountID: dev.ID, RequestedAt: now, CompletedAt: now}))
	f.grant(now, "DevOps")
}

// grant stores a permission set named name and assigns it to alice on
// devAccount, with its role.
func (f *fixture) grant(now time.Time, name string) {
	ctx := context.Background()
	ps := ic.PermissionSet{ID: ic.NewPermissionSetID(clock.Random), InstanceID: "ssoins-0123456789abcdef", Name: name,
		SessionDuration: "PT1H", Version: 1, CreatedAt: now}
	must(f.t, f.db.CreatePermissionSet(ctx, ps))
	a := ic.Assignment{AccountID: devAccount, PermissionSetID: ps.ID, PrincipalType: ic.PrincipalUser, PrincipalID: f.user.ID, CreatedAt: now}
	role := ic.Role{AccountID: devAccount, PermissionSetID: ps.ID, Name: ic.ReservedRoleName(name, ic.NewRoleSuffix(clock.Random)),
		ID: iam.NewRoleID(clock.Random), Path: ic.RolePath, Version: 1, CreatedAt: now}
	must(f.t, f.db.CreateAssignment(ctx, a, role, ic.Request{ID: ic.NewUUID(clock.Random), Kind: ic.RequestAssignmentCreate,
		Status: ic.StateSucceeded, AccountID: devAccount, PermissionSetID: ps.ID, PrincipalType: a.PrincipalType,
		PrincipalID: f.user.ID, CreatedAt: now}))
}

// session signs alice in and returns her session cookie.
func (f *fixture) session() *http.Cookie {
	f.t.Helper()
	value, _, err := f.signIn.StartSession(context.Background(), f.user.ID)
	must(f.t, err)
	return &http.Cookie{Name: sessionCookie, Value: value}
}

// response is what a page answered.
type response struct {
	status int
	header http.Header
	body   string
}

// serve sends method path (with a form body when form is not empty) with
// cookie, when not nil.
func (f *fixture) serve(method, path, form string, cookie *http.Cookie) response {
	f.t.Helper()
	var body io.Reader
	if form != "" {
		body = bytes.NewBufferString(form)
	}
	r := httptest.NewRequest(method, path, body)
	if form != "" {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cookie != nil {
		r.AddCookie(cookie)
	}
	return f.do(r)
}

// do sends r.
func (f *fixture) do(r *http.Request) response {
	w := httptest.NewRecorder()
	f.handler.ServeHTTP(w, r)
	return response{status: w.Code, header: w.Header(), body: w.Body.String()}
}

var shownErrorRe = regexp.MustCompile(`id="error">([^<]*)<`)

// shownError is the error the page shows a person, or "".
func (r response) shownError() string {
	m := shownErrorRe.FindStringSubmatch(r.body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
