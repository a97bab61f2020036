package orgpages

import (
	"crypto/rand"
	"encoding/base32"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/authn/orgsignin"
	"github.com/keyward/keyward/internal/authn/password"
	"github.com/keyward/keyward/internal/authn/totp"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

// org is the pages over the real sign-in service and a real store, with
// Alice, an active person with a password.
type org struct {
	t     *testing.T
	st    store.IdP
	svc   *orgsignin.Service
	h     http.Handler
	alice directory.User
}

const alicePassword = "tea party at four"

func newOrg(t *testing.T) *org {
	t.Helper()
	st := sqlitetest.Open(t, clock.Real{}).IdP()
	hasher := password.NewHasher(password.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1}, 2, rand.Reader)
	svc, err := orgsignin.New(orgsignin.Config{Store: st, Hasher: hasher, Clock: clock.Real{}, Random: rand.Reader,
		Master: clock.Bytes(rand.Reader, 32), Issuer: "keyward test"})
	if err != nil {
		t.Fatal(err)
	}
	hash, err := hasher.Hash(t.Context(), alicePassword)
	if err != nil {
		t.Fatal(err)
	}
	alice, err := st.CreateUser(t.Context(), directory.User{Status: directory.Active, Password: directory.Password{Hash: hash},
		Profile: directory.Profile{"login": "alice@example.com", "email": "alice@example.com", "firstName": "Alice", "lastName": "Liddell"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := (&Pages{SignIn: svc, Directory: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler()
	return &org{t: t, st: st, svc: svc, h: h, alice: alice}
}

// addTOTP gives Alice an active authenticator app and returns its id and
// secret.
func (o *org) addTOTP() (string, []byte) {
	o.t.Helper()
	e, err := o.svc.BeginTOTP(o.t.Context(), o.alice)
	if err != nil {
		o.t.Fatal(err)
	}
	secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ReplaceAll(e.Secret, " ", ""))
	if err != nil {
		o.t.Fatal(err)
	}
	if err := o.svc.ConfirmTOTP(o.t.Context(), o.alice.ID, e.FactorID, totp.Code(secret, time.Now())); err != nil {
		o.t.Fatal(err)
	}
	return e.FactorID, secret
}

// browser is one browser's cookie jar at the org.
type browser struct {
	o       *org
	cookies map[string]*http.Cookie
}

func (o *org) browser() *browser { return &browser{o: o, cookies: map[string]*http.Cookie{}} }

func (b *browser) do(method, path string, form url.Values) *httptest.ResponseRecorder {
	b.o.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, path, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range b.cookies {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	b.o.h.ServeHTTP(w, r)
	for _, c := range w.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return w
}

// signIn signs Alice in with her password, and with her authenticator
// app's code at now when one is asked for.
func (b *browser) signIn(secret []byte) {
	b.o.t.Helper()
	b.do("POST", "/login", url.Values{"username": {"alice@example.com"}})
	w := b.do("POST", "/login/step", url.Values{"password": {alicePassword}})
	if w.Header().Get("Location") == "/login/step" && secret != nil {
		w = b.do("POST", "/login/step", url.Values{"code": {totp.Code(secret, time.Now())}})
	}
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != homePath {
		b.o.t.Fatalf("sign-in: %d to %q: %s", w.Code, w.Header().Get("Location"), w.Body)
	}
}
