package samlidp_test

import (
	"bytes"
	"compress/flate"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/authn/orgsignin"
	"github.com/keyward/keyward/internal/authn/password"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/idp/samlidp"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

const (
	orgURL   = "https://org.keyward.test"
	spEntity = "https://sp.example.com/saml"
	acsURL   = "https://sp.example.com/saml/acs"
)

// apps is the tiny in-test app and assignment lookup (store.Apps is
// another package's work); everything else is the real SQLite store.
type apps struct {
	mu       sync.Mutex
	byID     map[string]directory.App
	assigned map[[2]string]bool
}

func (a *apps) App(_ context.Context, id string) (directory.App, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	app, ok := a.byID[id]
	if !ok {
		return app, errs.E(errs.NotFound, "app %s not found", id).WithResource(store.ResourceApp, id)
	}
	return app, nil
}

func (a *apps) AppUser(_ context.Context, appID, userID string) (directory.AppUser, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.assigned[[2]string{appID, userID}] {
		return directory.AppUser{}, errs.E(errs.NotFound, "not assigned").WithResource(store.ResourceAppUser, userID)
	}
	return directory.AppUser{AppID: appID, UserID: userID, Scope: directory.ScopeUser}, nil
}

// fixture is the SSO endpoint on a temporary SQLite store with alice
// (ACTIVE, in Engineering and Everyone-Admins) assigned to one SAML app.
type fixture struct {
	h      *samlidp.Handler
	srv    http.Handler
	s      store.IdP
	clk    *clock.Fake
	signIn *orgsignin.Service
	keys   *keys.SigningKeys
	apps   *apps
	app    directory.App
	alice  directory.User
	eng    directory.Group
	spKey  *rsa.PrivateKey
	spCert []byte
}

var (
	spKeyOnce sync.Once
	spKey     *rsa.PrivateKey
	spCert    []byte
)

// testSPKey is the service provider's signing key, made once.
func testSPKey(t testing.TB) (*rsa.PrivateKey, []byte) {
	spKeyOnce.Do(func() { spKey, spCert = newCert(t, "sp.example.com") })
	return spKey, spCert
}

func newCert(t testing.TB, cn string) (*rsa.PrivateKey, []byte) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	must(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	must(t, err)
	return k, der
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	return newFixtureAt(t, time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
}

// newFixtureAt is newFixture with its clock at now.
func newFixtureAt(t testing.TB, now time.Time) *fixture {
	t.Helper()
	clk := clock.NewFake(now)
	db := sqlitetest.Open(t, clk)
	var err error
	f := &fixture{s: db.IdP(), clk: clk, apps: &apps{byID: map[string]directory.App{}, assigned: map[[2]string]bool{}}}
	f.spKey, f.spCert = testSPKey(t)
	master := clock.Bytes(rand.Reader, 32)
	hasher := password.NewHasher(password.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1}, 2, rand.Reader)
	f.signIn, err = orgsignin.New(orgsignin.Config{Store: f.s, Hasher: hasher, Clock: clk, Random: rand.Reader,
		Master: master, Issuer: "keyward test"})
	must(t, err)
	f.keys, err = keys.NewSigningKeys(master, keys.SigningKeysConfig{Store: f.s, Clock: clk, Random: rand.Reader,
		Use: directory.KeyUseSAML, Overlap: 24 * time.Hour, Subject: orgURL})
	must(t, err)
	f.h, err = samlidp.New(samlidp.Config{OrgURL: orgURL, Master: master, Apps: f.apps, Directory: f.s,
		SignIn: f.signIn, Keys: f.keys, Clock: clk, Random: rand.Reader, SecureCookies: true})
	must(t, err)
	mux := http.NewServeMux()
	f.h.Routes(mux)
	f.srv = mux
	ctx := context.Background()
	f.eng, err = f.s.CreateGroup(ctx, directory.Group{Type: directory.OktaGroup, Name: "Engineering"})
	must(t, err)
	admins, err := f.s.CreateGroup(ctx, directory.Group{Type: directory.OktaGroup, Name: "AWS-Admins"})
	must(t, err)
	f.alice, err = f.s.CreateUser(ctx, directory.User{Status: directory.Active, Profile: directory.Profile{
		"login": "alice@example.com", "email": "alice.liddell@example.com", "firstName": "Alice",
		"lastName": "Liddell", "department": "Research"}}, []string{f.eng.ID, admins.ID})
	must(t, err)
	f.app = f.addApp(func(*directory.App) {})
	f.assign(f.app, f.alice)
	return f
}

// addApp registers an active SAML app, changed by edit.
func (f *fixture) addApp(edit func(*directory.App)) directory.App {
	app := directory.App{ID: directory.NewAppID(rand.Reader), Name: "example_saml", Label: "Example",
		SignOnMode: directory.SAML2, Status: directory.AppActive,
		SAML: directory.SAMLSettings{ACSURL: acsURL, Audience: spEntity, NameIDFormat: directory.NameIDEmail,
			NameIDTemplate: "${user.email}", AssertionSigned: true, ResponseSigned: true,
			Attributes: []directory.AttributeStatement{
				{Type: directory.AttributeExpression, Name: "department", Values: []string{"user.department"}},
				{Type: directory.AttributeExpression, Name: "displayName", Values: []string{"${user.firstName} ${user.lastName}"}},
				{Type: directory.AttributeGroup, Name: "groups", FilterType: directory.FilterStartsWith, FilterValue: "AWS-"},
			}}}
	edit(&app)
	f.apps.mu.Lock()
	f.apps.byID[app.ID] = app
	f.apps.mu.Unlock()
	return app
}

func (f *fixture) assign(app directory.App, u directory.User) {
	f.apps.mu.Lock()
	f.apps.assigned[[2]string{app.ID, u.ID}] = true
	f.apps.mu.Unlock()
}

// session signs u in with amr and returns the session cookie.
func (f *fixture) session(t testing.TB, u directory.User, amr ...string) *http.Cookie {
	t.Helper()
	if len(amr) == 0 {
		amr = []string{"pwd"}
	}
	v, _, err := f.signIn.StartSession(context.Background(), orgsignin.State{UserID: u.ID, Login: u.Login(),
		Step: orgsignin.StepDone, AMR: amr}, "192.0.2.1", "test")
	must(t, err)
	return &http.Cookie{Name: "keyward_org_session", Value: v}
}

func ssoPath(app directory.App) string { return "/app/" + app.Name + "/" + app.ID + "/sso/saml" }

// do sends a request to the endpoint with cookies.
func (f *fixture) do(method, target string, body url.Values, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	var r *http.Request
	if body != nil {
		r = httptest.NewRequest(method, target, strings.NewReader(body.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		r = httptest.NewRequest(method, target, nil)
	}
	for _, c := range cookies {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, r)
	return w
}

// authnRequest is an AuthnRequest document; edit changes its attributes.
func authnRequest(app directory.App, id string, extra string) string {
	return fmt.Sprintf(`<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" `+
		`xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="%s" Version="2.0" IssueInstant="2026-12-02T09:00:00Z" `+
		`Destination="%s%s" AssertionConsumerServiceURL="%s" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"%s>`+
		`<saml:Issuer>%s</saml:Issuer></samlp:AuthnRequest>`, id, orgURL, ssoPath(app), app.SAML.ACSURL, extra, app.SAML.Audience)
}

func deflate(t testing.TB, doc []byte) []byte {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	must(t, err)
	_, err = w.Write(doc)
	must(t, err)
	must(t, w.Close())
	return buf.Bytes()
}

// redirectQuery is the HTTP-Redirect binding's query for doc, signed with
// key and sigAlg when key is not nil (bindings §3.4.4.1).
func redirectQuery(t testing.TB, doc, relay string, key *rsa.PrivateKey, sigAlg string, h crypto.Hash) string {
	q := "SAMLRequest=" + url.QueryEscape(base64.StdEncoding.EncodeToString(deflate(t, []byte(doc))))
	if relay != "" {
		q += "&RelayState=" + url.QueryEscape(relay)
	}
	if key == nil {
		return q
	}
	q += "&SigAlg=" + url.QueryEscape(sigAlg)
	hh := h.New()
	hh.Write([]byte(q))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, h, hh.Sum(nil))
	must(t, err)
	return q + "&Signature=" + url.QueryEscape(base64.StdEncoding.EncodeToString(sig))
}

const (
	rsaSHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	rsaSHA1   = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
)
