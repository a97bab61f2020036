package oktaapi

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/authn/password"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

// fuzzAPI is the API on a real SQLite store in a temporary directory,
// with a declared string and boolean custom attribute.
func fuzzAPI(tb testing.TB) *API {
	tb.Helper()
	dir := tb.TempDir()
	sqlitetest.WriteEmpty(tb, filepath.Join(dir, "keyward.db"))
	return apiIn(tb, dir)
}

// apiIn is fuzzAPI with its database in dir.
func apiIn(tb testing.TB, dir string) *API {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "keyward.db"), clock.Real{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	st := db.IdP()
	for _, a := range []directory.Attribute{
		{Name: "costCenterCode", Title: "Cost center code", Type: directory.TypeString, MaxLength: 20},
		{Name: "contractor", Title: "Contractor", Type: directory.TypeBoolean},
		{Name: "badges", Title: "Badges", Type: directory.TypeArray},
		{Name: "level", Title: "Level", Type: directory.TypeInteger},
	} {
		if err := st.PutAttribute(ctx, a); err != nil {
			tb.Fatal(err)
		}
	}
	cheap := password.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1}
	return New(Config{Store: st, Clock: clock.Real{}, Random: clock.Random,
		Hasher: password.NewHasher(cheap, 1, clock.Random), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		OrgURL: "https://keyward.example"})
}

// wantInvalid fails unless err is nil or an *errs.Error of kind Invalid,
// which the renderer words as a 400.
func wantInvalid(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	e, ok := errs.As(err)
	if !ok || e.Kind != errs.Invalid {
		t.Fatalf("%s: %T %v, want an *errs.Error of kind Invalid", what, err, err)
	}
	if p := resolve(err); p.status != 400 {
		t.Fatalf("%s: rendered as %d %s", what, p.status, p.code)
	}
}

var userSeeds = []string{
	`{"profile":{"login":"alice@example.com","email":"alice@example.com","firstName":"Alice","lastName":"Liddell"}}`,
	`{"profile":{"login":"bob@example.com","email":"bob@example.com","firstName":"Bob","lastName":"Builder","department":"Sales",` +
		`"costCenterCode":"CC-12","contractor":true,"badges":["a","b"],"level":3},"groupIds":["00g0000000000000000a"]}`,
	`{"profile":{"login":"c@example.com","email":"c@example.com","firstName":"C","lastName":"D"},` +
		`"credentials":{"password":{"value":"correct horse battery"}},"type":{"id":"default"}}`,
	`{"profile":{"login":"c@example.com","email":"c@example.com","firstName":"C","lastName":"D"},"credentials":{"password":{"hash":{"algorithm":"BCRYPT"}}}}`,
	`{"profile":{"login":"c@example.com","contractor":"yes","level":1.5,"badges":[1]}}`,
	`{"profile":{"firstName":null,"nickName":"\u0000"}}`,
	`{"credentials":{"recovery_question":{"question":"q","answer":"a"}}}`,
	`{"profile":[]}`, `[]`, `"x"`, `{}{}`, ``, `{"profile":{"login":"` + string(bytes.Repeat([]byte("a"), 120)) + `@example.com"}}`,
}

// FuzzDecodeUserBody runs CreateUserRequest and UpdateUserRequest bodies
// through decodeBody and the checks create and update apply after it.
func FuzzDecodeUserBody(f *testing.F) {
	for _, s := range userSeeds {
		f.Add([]byte(s))
	}
	a := fuzzAPI(f)
	existing := directory.User{ID: "00u0000000000000000a", Status: directory.Active, Created: time.Now(),
		Profile: directory.Profile{"login": "old@example.com", "email": "old@example.com", "firstName": "Old", "lastName": "Timer"}}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/api/v1/users", bytes.NewReader(body))
		var b userBody
		err := decodeBody(r, &b, true)
		wantInvalid(t, "decode", err)
		if err != nil {
			return
		}
		_, err = a.newUser(r.Context(), b, true, false)
		wantInvalid(t, "create", err)
		if err := b.checkType(); err != nil {
			wantInvalid(t, "type", err)
			return
		}
		pw, has, err := b.password()
		wantInvalid(t, "password", err)
		if err != nil {
			return
		}
		for _, replace := range []bool{false, true} {
			_, err = a.applyUpdate(r, existing, b, replace, pw, has)
			wantInvalid(t, "update", err)
		}
	})
}

// FuzzDecodeGroupBody runs Group bodies through decodeBody and the group
// checks.
func FuzzDecodeGroupBody(f *testing.F) {
	for _, s := range []string{
		`{"profile":{"name":"Engineering","description":"Builds things"}}`, `{"profile":{"name":""}}`,
		`{"profile":{"name":42}}`, `{"profile":null}`, `{"profile":{"name":"a\u0000b"}}`, `{}`, `[]`, `{"profile":{"name":"x","description":[]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/api/v1/groups", bytes.NewReader(body))
		var b groupBody
		err := decodeBody(r, &b, true)
		wantInvalid(t, "decode", err)
		if err == nil {
			_, err = b.group()
			wantInvalid(t, "group", err)
		}
	})
}

// FuzzDecodeRoleBody sends AssignRoleRequest bodies through the API
// handler, as the super administrator, to an active user on a real store:
// whatever the body, the answer is a role or a 400, never a 500.
func FuzzDecodeRoleBody(f *testing.F) {
	for _, s := range []string{`{"type":"READ_ONLY_ADMIN"}`, `{"type":"SUPER_ADMIN"}`, `{"type":"GOD"}`, `{"type":42}`, `{}`, `[]`, ``,
		`{"type":"USER_ADMIN","extra":[1,2,{}]}`, "{\"type\":\"HELP_DESK_ADMIN\xff\"}"} {
		f.Add([]byte(s))
	}
	a := fuzzAPI(f)
	a.cfg.RequestsPerMinute = 1 << 30
	token, userID := fuzzAdmin(f, a)
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/api/v1/users/"+userID+"/roles", bytes.NewReader(body))
		r.Header.Set("Authorization", "SSWS "+token)
		w := httptest.NewRecorder()
		a.ServeHTTP(w, r)
		if w.Code != 201 && w.Code != 400 {
			t.Fatalf("%q: %d %s", body, w.Code, w.Body)
		}
	})
}

// fuzzAdmin bootstraps a super administrator with an API token, and an
// active user to grant roles to.
func fuzzAdmin(tb testing.TB, a *API) (token, userID string) {
	tb.Helper()
	ctx := context.Background()
	now := time.Now()
	admin := directory.User{ID: directory.NewUserID(clock.Random), Status: directory.Active, Created: now, Activated: now,
		Profile: directory.Profile{"login": "admin@example.com", "email": "admin@example.com", "firstName": "A", "lastName": "B"}}
	token = "00" + clock.Token(clock.Random, 30)
	_, err := a.cfg.Store.(store.IdP).BootstrapIdP(ctx, store.IdPBootstrap{Admin: admin,
		Role:      directory.Role{UserID: admin.ID, Type: directory.SuperAdmin, Created: now, LastUpdated: now},
		Token:     directory.APIToken{Name: "fuzz", UserID: admin.ID, Created: now},
		TokenHash: keys.HashSecret(token)})
	if err != nil {
		tb.Fatal(err)
	}
	u, err := a.cfg.Store.CreateUser(ctx, directory.User{Status: directory.Active, Created: now, Activated: now,
		Profile: directory.Profile{"login": "bob@example.com", "email": "bob@example.com", "firstName": "Bob", "lastName": "B"}}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return token, u.ID
}

// FuzzDecodeSchemaBody runs UserSchema partial updates through
// decodeBody and the attribute checks.
func FuzzDecodeSchemaBody(f *testing.F) {
	for _, s := range []string{
		`{"definitions":{"custom":{"properties":{"costCenterCode":{"title":"Cost center","type":"string","maxLength":20}}}}}`,
		`{"definitions":{"custom":{"properties":{"contractor":{"title":"Contractor","type":"boolean","description":"Not staff"}}}}}`,
		`{"definitions":{"custom":{"properties":{"tags":{"title":"Tags","type":"array","items":{"type":"string"}}}}}}`,
		`{"definitions":{"custom":{"properties":{"x":null}}}}`, `{"definitions":{"base":{"properties":{}}}}`,
		`{"definitions":{"custom":{"properties":{"1x":{"title":"","type":"date","maxLength":-1}}}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/api/v1/meta/schemas/user/default", bytes.NewReader(body))
		var b schemaBody
		err := decodeBody(r, &b, true)
		wantInvalid(t, "decode", err)
		if err != nil {
			return
		}
		attrs, err := b.attributes()
		wantInvalid(t, "attributes", err)
		for _, a := range attrs {
			if directory.ValidateAttribute(a) != nil {
				t.Fatalf("accepted %+v", a)
			}
		}
	})
}
