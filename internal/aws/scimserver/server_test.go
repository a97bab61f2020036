package scimserver_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/aws/scimserver"
	"github.com/keyward/keyward/internal/clock"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

const awsURL = "https://aws.example.com"

// env is the SCIM endpoint on a fresh SQLite store, mounted with Register
// behind protocol.WithRequestID as the AWS endpoint's mux is, over real
// HTTP. It holds one live token.
type env struct {
	t      *testing.T
	db     *sqlite.DB
	clk    *clock.Fake
	srv    *httptest.Server
	tenant string
	token  string
	issuer string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	db := sqlitetest.Open(t, clk)
	e := &env{t: t, db: db, clk: clk}
	e.bootstrap()
	e.issuer = scimserver.IssuerFor(awsURL, e.tenant)
	s := &scimserver.Server{Store: db, Clock: clk, Random: clock.Random, Tenant: e.tenant, Issuer: e.issuer}
	mux := http.NewServeMux()
	s.Register(mux)
	mux.Handle("/", s.Handler()) // so a wrong tenant reaches the endpoint too
	e.srv = httptest.NewServer(protocol.WithRequestID(mux))
	t.Cleanup(e.srv.Close)
	e.token = e.newToken()
	return e
}

func (e *env) bootstrap() {
	now := e.clk.Now()
	mgmt := ic.NewAccountID(clock.Random)
	b := store.NewBootstrap(clock.Random, now, "root@example.com", ic.AccessKey{ID: "AKIA" + strings.ToUpper(clock.Hex(clock.Random, 8)),
		AccountID: mgmt, SealedSecret: []byte("sealed"), CreatedAt: now})
	got, _, err := e.db.Bootstrap(e.t.Context(), b)
	must(e.t, err)
	e.tenant = got.Instance.IdentityStoreID
}

// newToken stores a token as the CLI does and returns its secret.
func (e *env) newToken() string {
	secret := clock.Token(clock.Random, 32)
	now := e.clk.Now()
	must(e.t, e.db.CreateSCIMToken(e.t.Context(), ic.SCIMToken{ID: ic.NewUUID(clock.Random),
		Hash: keys.HashSecret(secret), CreatedAt: now, ExpiresAt: now.Add(ic.SCIMTokenLifetime)}))
	return secret
}

// response is what a client sees.
type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

// do sends a SCIM request with the env's token to path under the tenant.
func (e *env) do(method, path, body string) response {
	return e.doAs(e.token, e.tenant, method, path, body)
}

func (e *env) doAs(token, tenant, method, path, body string) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+"/"+tenant+"/scim/v2"+path, strings.NewReader(body))
	must(e.t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	res, err := e.srv.Client().Do(req)
	must(e.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	must(e.t, err)
	out := response{status: res.StatusCode, header: res.Header, raw: string(b)}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &out.body); err != nil {
			e.t.Fatalf("%s %s: body is not a JSON object: %s", method, path, b)
		}
	}
	return out
}

// want fails unless the status is status.
func (r response) want(t *testing.T, status int) response {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body: %s", r.status, status, r.raw)
	}
	return r
}

// str returns the string at a dotted path of the body.
func (r response) str(path string) string {
	var v any = r.body
	for _, k := range strings.Split(path, ".") {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	s, _ := v.(string)
	return s
}

func (r response) resources() []map[string]any {
	list, _ := r.body["Resources"].([]any)
	out := make([]map[string]any, len(list))
	for i, x := range list {
		out[i], _ = x.(map[string]any)
	}
	return out
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}

// bjensen is §9's user resource as a client sends it.
const bjensen = `{"externalId":"701984",
 "schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
 "userName":"bjensen","name":{"familyName":"Jensen","givenName":"Barbara"},"displayName":"Babs Jensen",
 "active":true,"emails":[{"value":"bjensen@example.com","type":"work","primary":true}],
 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984","department":"Tour Operations","manager":{"value":"9067729b3d-ee533c18-538a-4cd3-a572-63fb863ed734"}}}`

// userBody is a minimal valid user.
func userBody(name string) string {
	return `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"` + name +
		`","name":{"familyName":"F","givenName":"G"},"displayName":"` + name + `",
		"emails":[{"value":"` + name + `@example.com","type":"work","primary":true}]}`
}

func (e *env) createUser(name string) string {
	e.t.Helper()
	return e.do("POST", "/Users", userBody(name)).want(e.t, 201).str("id")
}

func (e *env) createGroup(name string) string {
	e.t.Helper()
	return e.do("POST", "/Groups", `{"displayName":"`+name+`"}`).want(e.t, 201).str("id")
}

func patchBody(ops string) string {
	return `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[` + ops + `]}`
}

func queryEscape(s string) string { return url.QueryEscape(s) }

func sortStrings(s []string) { slices.Sort(s) }

func TestRegisterCoexistsWithTheAWSEndpointsRoutes(t *testing.T) {
	mux := http.NewServeMux()
	h := http.NotFoundHandler()
	for _, p := range []string{"POST /{$}", "/start", "/start/", "/device", "/static/", "/{$}",
		"GET /federation/credentials", "/federation/credentials", "POST /token", "/token"} {
		mux.Handle(p, h)
	}
	(&scimserver.Server{Tenant: "d-0123456789"}).Register(mux) // panics on a conflicting pattern
	if _, pattern := mux.Handler(httptest.NewRequest("GET", "/d-0123456789/scim/v2/Users", nil)); pattern != "/d-0123456789/scim/v2/" {
		t.Errorf("a SCIM path goes to %q", pattern)
	}
}
