package oidc_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/keyward/keyward/internal/authn/orgsignin"
	"github.com/keyward/keyward/internal/authn/password"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/idp/oidc"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

// fixture is the provider on a temporary SQLite store, served over real
// HTTP, with alice (active, assigned to every app) and three apps: cli (a
// public native client as okta-aws-cli registers it), ci (a service app
// with private_key_jwt) and aws (an AWS Account Federation app whose
// allowed web-SSO client is cli). The default custom server grants
// okta-m2m-access to client credentials.
type fixture struct {
	s      store.IdP
	clk    *clock.Fake
	p      *oidc.Provider
	srv    *httptest.Server
	url    string
	signIn *orgsignin.Service
	keys   *failingKeys // the provider's signing keys, made to fail on demand
	alice  directory.User
	cli    directory.App
	ci     directory.App
	aws    directory.App
}

var (
	clientKeysOnce sync.Once
	clientRSA      *rsa.PrivateKey
	clientEC       *ecdsa.PrivateKey
)

// clientKeys are the service app's key pairs, made once.
func clientKeys(t testing.TB) (*rsa.PrivateKey, *ecdsa.PrivateKey) {
	clientKeysOnce.Do(func() {
		var err error
		clientRSA, err = rsa.GenerateKey(rand.Reader, 2048)
		must(t, err)
		clientEC, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		must(t, err)
	})
	return clientRSA, clientEC
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	db := sqlitetest.Open(t, clk)
	var err error
	f := &fixture{s: db.IdP(), clk: clk}
	mux := http.NewServeMux()
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	f.url = f.srv.URL
	master := sharedMaster(t)
	hasher := password.NewHasher(password.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1}, 2, rand.Reader)
	f.signIn, err = orgsignin.New(orgsignin.Config{Store: f.s, Hasher: hasher, Clock: clk, Random: rand.Reader,
		Master: master, Issuer: "keyward test"})
	must(t, err)
	signing, err := keys.NewSigningKeys(master, keys.SigningKeysConfig{Store: f.s, Clock: clk, Random: rand.Reader,
		Use: directory.KeyUseOIDC, Overlap: 24 * time.Hour, Subject: f.url})
	must(t, err)
	f.keys = &failingKeys{SigningKeys: signing}
	f.p, err = oidc.New(oidc.Config{OrgURL: f.url, Master: master, Apps: f.s, Directory: f.s, Store: f.s,
		SignIn: f.signIn, Keys: f.keys, Clock: clk, Random: rand.Reader,
		Limits: oidc.Limits{DeviceStartsPerClient: 30, PendingPerClient: 100, CodeLookupsPerAddress: 300, CodeLookupsPerUser: 10}})
	must(t, err)
	f.p.Routes(mux)
	reuseSigningKey(t, f.s, signing)
	f.setUp(t)
	return f
}

var (
	sharedOnce sync.Once
	master     []byte
	signingMu  sync.Mutex
	signingKey *directory.SigningKey
)

// sharedMaster is one master key for every fixture, so that they can
// share one OIDC signing key: making an RSA key per test is most of a
// test's time under the race detector.
func sharedMaster(testing.TB) []byte {
	sharedOnce.Do(func() { master = clock.Bytes(rand.Reader, 32) })
	return master
}

// reuseSigningKey stores the first fixture's signing key in s, or makes
// it (through k) for the first fixture.
func reuseSigningKey(t testing.TB, s store.IdP, k *keys.SigningKeys) {
	signingMu.Lock()
	defer signingMu.Unlock()
	ctx := context.Background()
	if signingKey != nil {
		_, err := s.CreateFirstSigningKey(ctx, *signingKey)
		must(t, err)
		return
	}
	_, err := k.Active(ctx)
	must(t, err)
	all, err := s.SigningKeys(ctx, directory.KeyUseOIDC)
	must(t, err)
	signingKey = &all[0]
}

func (f *fixture) setUp(t testing.TB) {
	ctx := context.Background()
	var err error
	f.alice, err = f.s.CreateUser(ctx, directory.User{Status: directory.Active, Profile: directory.Profile{
		"login": "alice@example.com", "email": "alice@example.com", "firstName": "Alice", "lastName": "Liddell"}}, nil)
	must(t, err)
	f.cli = f.addApp(t, directory.App{Name: directory.OIDCClientApp, Label: "okta-aws-cli", SignOnMode: directory.OIDC,
		OAuth: directory.OAuthClient{ApplicationType: directory.AppTypeNative, TokenEndpointAuthMethod: directory.AuthNone,
			GrantTypes: []string{directory.GrantAuthorizationCode, directory.GrantRefreshToken, directory.GrantDeviceCode,
				directory.GrantTokenExchange},
			ResponseTypes: []string{"code"}, RedirectURIs: []string{"http://127.0.0.1/callback", "com.example.cli:/callback"},
			PostLogoutRedirectURIs: []string{"http://127.0.0.1/signed-out"}}})
	rsaKey, ecKey := clientKeys(t)
	set, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &rsaKey.PublicKey, KeyID: "rsa-1", Algorithm: "RS256", Use: "sig"},
		{Key: &ecKey.PublicKey, KeyID: "ec-1", Algorithm: "ES256", Use: "sig"}}})
	must(t, err)
	f.ci = f.addApp(t, directory.App{Name: directory.OIDCClientApp, Label: "CI job", SignOnMode: directory.OIDC,
		OAuth: directory.OAuthClient{ApplicationType: directory.AppTypeService, TokenEndpointAuthMethod: directory.AuthPrivateKeyJWT,
			GrantTypes: []string{directory.GrantClientCredentials}, JWKS: set}})
	f.aws = f.addApp(t, directory.App{Name: directory.AWSAccountFederationApp, Label: "AWS Account Federation",
		SignOnMode: directory.SAML2, Settings: map[string]string{directory.AWSFedWebSSOClient: f.cli.ID}})
	_, err = f.s.CreateAuthServer(ctx, directory.AuthServer{ID: directory.DefaultAuthServer, Name: "default",
		Audiences: []string{"api://default"}, Status: directory.AppActive,
		Scopes: []directory.AuthScope{{ID: "scp1", Name: "okta-m2m-access", Consent: "IMPLICIT"}},
		Policies: []directory.AuthPolicy{{ID: "00p1", Name: "Default Policy", Status: directory.AppActive, Priority: 1,
			Clients: []string{directory.AllClients}, Rules: []directory.AuthRule{{ID: "0pr1", Name: "Default Policy Rule",
				Status: directory.AppActive, Priority: 1, Everyone: true, Scopes: []string{"*"},
				GrantTypes: []string{directory.GrantClientCredentials, directory.GrantAuthorizationCode,
					directory.GrantRefreshToken, directory.GrantDeviceCode}}}}}})
	must(t, err)
}

// addApp stores an active app and assigns alice to it.
func (f *fixture) addApp(t testing.TB, app directory.App) directory.App {
	t.Helper()
	ctx := context.Background()
	app.Status = directory.AppActive
	created, err := f.s.CreateApp(ctx, app)
	must(t, err)
	_, err = f.s.AssignUser(ctx, created.ID, f.alice.ID)
	must(t, err)
	return created
}

// session signs alice in with amr and returns the session cookie.
func (f *fixture) session(t testing.TB, amr ...string) *http.Cookie {
	t.Helper()
	if len(amr) == 0 {
		amr = []string{"pwd"}
	}
	v, _, err := f.signIn.StartSession(context.Background(), orgsignin.State{UserID: f.alice.ID, Login: f.alice.Login(),
		Step: orgsignin.StepDone, AMR: amr}, "192.0.2.1", "test")
	must(t, err)
	return &http.Cookie{Name: "keyward_org_session", Value: v}
}

// post sends a form to path and decodes the JSON answer.
func (f *fixture) post(t testing.TB, path string, form url.Values) (int, map[string]any) {
	t.Helper()
	res, err := http.PostForm(f.url+path, form)
	must(t, err)
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// str reads a string field of a JSON answer.
func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

// wantError checks an OAuth error answer.
func wantError(t testing.TB, status int, body map[string]any, wantStatus int, code, descPart string) {
	t.Helper()
	if status != wantStatus || str(body, "error") != code || !strings.Contains(str(body, "error_description"), descPart) {
		t.Errorf("got %d %v, want %d %s containing %q", status, body, wantStatus, code, descPart)
	}
}

// person adds another active person, assigned to cli and signed in with
// a password, and returns their session cookie.
func (f *fixture) person(t testing.TB, login string) *http.Cookie {
	t.Helper()
	ctx := context.Background()
	u, err := f.s.CreateUser(ctx, directory.User{Status: directory.Active, Profile: directory.Profile{"login": login, "email": login}}, nil)
	must(t, err)
	_, err = f.s.AssignUser(ctx, f.cli.ID, u.ID)
	must(t, err)
	v, _, err := f.signIn.StartSession(ctx, orgsignin.State{UserID: u.ID, Login: login, Step: orgsignin.StepDone,
		AMR: []string{"pwd"}}, "192.0.2.2", "test")
	must(t, err)
	return &http.Cookie{Name: "keyward_org_session", Value: v}
}
