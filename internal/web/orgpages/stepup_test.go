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
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

// A session that began before the person's group came to require a
// second factor has only the password. Adding or removing a factor from
// it must first ask for the second factor the person already has:
// otherwise whoever holds the session enrols their own authenticator app
// and passes every later step-up with it, or removes the person's.
func TestChangingFactorsFromASessionWithoutTheRequiredFactorStepsUp(t *testing.T) {
	ctx := t.Context()
	st := sqlitetest.Open(t, clock.Real{}).IdP()
	hasher := password.NewHasher(password.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1}, 2, rand.Reader)
	svc, err := orgsignin.New(orgsignin.Config{Store: st, Hasher: hasher, Clock: clock.Real{}, Random: rand.Reader,
		Master: clock.Bytes(rand.Reader, 32), Issuer: "keyward test"})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := st.CreateGroup(ctx, directory.Group{Type: directory.OktaGroup, Name: "Engineering"})
	if err != nil {
		t.Fatal(err)
	}
	const pw = "tea party at four"
	hash, err := hasher.Hash(ctx, pw)
	if err != nil {
		t.Fatal(err)
	}
	alice, err := st.CreateUser(ctx, directory.User{Status: directory.Active, Password: directory.Password{Hash: hash},
		Profile: directory.Profile{"login": "alice@example.com", "email": "alice@example.com", "firstName": "Alice", "lastName": "Liddell"}},
		[]string{eng.ID})
	if err != nil {
		t.Fatal(err)
	}
	// Her authenticator app.
	e, err := svc.BeginTOTP(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ReplaceAll(e.Secret, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.ConfirmTOTP(ctx, alice.ID, e.FactorID, totp.Code(secret, time.Now())); err != nil {
		t.Fatal(err)
	}

	h := (&Pages{SignIn: svc, Directory: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler()
	var cookies []*http.Cookie
	post := func(path string, form url.Values) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range cookies {
			r.AddCookie(c)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		for _, c := range w.Result().Cookies() {
			if c.MaxAge >= 0 {
				cookies = append(cookies, c)
			}
		}
		return w
	}
	// She signs in with her password alone: no policy asks for more yet.
	post("/login", url.Values{"username": {"alice@example.com"}})
	if w := post("/login/step", url.Values{"password": {pw}}); w.Header().Get("Location") != homePath {
		t.Fatalf("sign-in: %d to %q", w.Code, w.Header().Get("Location"))
	}
	if err := st.PutSignOnPolicy(ctx, directory.SignOnPolicy{GroupID: eng.ID, RequireMFA: true,
		IdleLifetime: time.Hour, MaxLifetime: 2 * time.Hour}); err != nil {
		t.Fatal(err)
	}

	for _, path := range []string{"/app/totp", "/app/factors/" + e.FactorID + "/delete"} {
		w := post(path, nil)
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/login/step" {
			t.Errorf("POST %s: %d to %q, want 303 to /login/step (the second factor first)", path, w.Code, w.Header().Get("Location"))
		}
	}
	factors, err := st.Factors(ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(factors) != 1 || factors[0].ID != e.FactorID || factors[0].Status != directory.FactorActive {
		t.Errorf("her factors are now %+v, want her authenticator app alone", factors)
	}
}
