package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
)

// oktaRaw sends raw requests to the management API with plain net/http,
// so a test controls every byte of the path, the headers and the body.
type oktaRaw struct {
	t      testing.TB
	base   string   // http://<IdP address>
	tokens []string // SSWS secrets of the bootstrap administrator
	next   int
}

// oktaRaw returns a raw client with the bootstrap token and n more tokens
// of the same administrator, used in turn so a long table stays under
// the per-token rate limit. Each token is used once here, so its one
// recorded use happens before any snapshot.
func (s *server) oktaRaw(n int) *oktaRaw {
	s.t.Helper()
	_, token := bootstrapToken(s.t, s.dataDir)
	o := &oktaRaw{t: s.t, base: "http://" + s.main.IdPAddr(), tokens: []string{token}}
	ctx := context.Background()
	admin, err := s.main.IdP.UserByLogin(ctx, s.main.Config.IdP.AdminLogin)
	if err != nil {
		s.t.Fatal(err)
	}
	now := time.Now()
	for i := 0; i < n; i++ {
		secret := "00" + clock.Token(clock.Random, 30)
		t := directory.APIToken{ID: directory.NewTokenID(clock.Random), Name: "badinput", UserID: admin.ID,
			ClientName: "e2e", Created: now, ExpiresAt: now.Add(directory.TokenWindow)}
		if err := s.main.IdP.CreateAPIToken(ctx, t, keys.HashSecret(secret)); err != nil {
			s.t.Fatal(err)
		}
		o.tokens = append(o.tokens, secret)
	}
	for _, tok := range o.tokens {
		if w := o.send(http.MethodGet, "/api/v1/users/me", "SSWS "+tok, ""); w.Status != http.StatusOK {
			s.t.Fatalf("token warm-up: %d %s", w.Status, w.Body)
		}
	}
	return o
}

// token is the next token in turn.
func (o *oktaRaw) token() string {
	o.next++
	return "SSWS " + o.tokens[o.next%len(o.tokens)]
}

// send makes one request; auth is the whole Authorization header ("" for
// none), path is sent as is (percent escapes and all).
func (o *oktaRaw) send(method, path, auth, body string) wire {
	o.t.Helper()
	var rd *bytes.Reader
	if body != "" {
		rd = bytes.NewReader([]byte(body))
	} else {
		rd = bytes.NewReader(nil)
	}
	req, err := http.NewRequest(method, o.base+path, rd)
	if err != nil {
		o.t.Fatalf("%s %s: %v", method, path, err)
	}
	if auth != "" {
		req.Header["Authorization"] = []string{auth}
	}
	req.Header.Set("Accept", "application/json")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	w, err := fetch(req)
	if err != nil {
		o.t.Fatalf("%s %s: %v", method, path, err)
	}
	return w
}

// mustJSON sends an authenticated request that must succeed and decodes
// its body into v (when v is not nil).
func (o *oktaRaw) mustJSON(method, path, body string, v any) {
	o.t.Helper()
	w := o.send(method, path, o.token(), body)
	if w.Status/100 != 2 {
		o.t.Fatalf("%s %s: %d %s", method, path, w.Status, w.Body)
	}
	if v != nil {
		if err := json.Unmarshal(w.Body, v); err != nil {
			o.t.Fatalf("%s %s: %v: %s", method, path, err, w.Body)
		}
	}
}

// oktaWireError checks that w is Okta's error object with status and
// code: JSON, errorId and errorLink present, and (when cause is set) an
// errorCauses entry starting with cause.
func oktaWireError(t testing.TB, w wire, status int, code, cause string) oktaErr {
	t.Helper()
	if w.Status != status {
		t.Errorf("status = %d, want %d: %s", w.Status, status, w.Body)
	}
	if got := w.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", got)
	}
	var e struct {
		oktaErr
		ErrorLink string `json:"errorLink"`
		ErrorID   string `json:"errorId"`
	}
	if err := json.Unmarshal(w.Body, &e); err != nil {
		t.Fatalf("the error body is not JSON: %v: %q", err, w.Body)
	}
	if e.ErrorCode != code {
		t.Errorf("errorCode = %q (%s), want %q", e.ErrorCode, e.ErrorSummary, code)
	}
	if e.ErrorID == "" || e.ErrorLink == "" || e.ErrorSummary == "" {
		t.Errorf("errorId %q, errorLink %q, errorSummary %q: want all three", e.ErrorID, e.ErrorLink, e.ErrorSummary)
	}
	if cause != "" && !hasCause(e.oktaErr, cause) {
		t.Errorf("errorCauses = %+v, want one starting %q", e.ErrorCauses, cause)
	}
	return e.oktaErr
}

func hasCause(e oktaErr, prefix string) bool {
	for _, c := range e.ErrorCauses {
		if strings.HasPrefix(c.ErrorSummary, prefix) {
			return true
		}
	}
	return false
}

// idpState is everything the management API can change, read straight
// from the store.
type idpState struct {
	Users   []directory.User
	Groups  []directory.Group
	Members map[string][]string
	Roles   map[string][]directory.Role
	Factors map[string][]directory.Factor
	Tokens  []directory.APIToken
	Schema  directory.Schema
	Apps    []directory.App
	// Assigned lists each app's assignments: users with their scope, then
	// groups; then its client secrets.
	Assigned map[string][]string
	Events   int // events other than denials
}

// idpSnapshot reads the identity provider's whole state.
func idpSnapshot(tb testing.TB, st store.IdP) idpState {
	tb.Helper()
	ctx := context.Background()
	s := idpState{Members: map[string][]string{}, Roles: map[string][]directory.Role{}, Factors: map[string][]directory.Factor{}}
	var err error
	check := func(e error) {
		if e != nil {
			tb.Helper()
			tb.Fatalf("snapshot: %v", e)
		}
	}
	s.Users = pageAll(tb, func(p store.Page) ([]directory.User, string, error) { return st.ListUsers(ctx, store.UserQuery{}, p) })
	s.Groups = pageAll(tb, func(p store.Page) ([]directory.Group, string, error) {
		return st.ListGroups(ctx, store.GroupQuery{}, p)
	})
	s.Tokens = pageAll(tb, func(p store.Page) ([]directory.APIToken, string, error) { return st.ListAPITokens(ctx, p) })
	for _, g := range s.Groups {
		members := pageAll(tb, func(p store.Page) ([]directory.User, string, error) {
			return st.ListMembers(ctx, g.ID, store.UserQuery{}, p)
		})
		for _, m := range members {
			s.Members[g.ID] = append(s.Members[g.ID], m.ID)
		}
	}
	for _, u := range s.Users {
		s.Roles[u.ID], err = st.Roles(ctx, u.ID)
		check(err)
		s.Factors[u.ID], err = st.Factors(ctx, u.ID)
		check(err)
	}
	s.Schema, err = st.Schema(ctx)
	check(err)
	s.Apps, s.Assigned = pageAll(tb, func(p store.Page) ([]directory.App, string, error) { return st.ListApps(ctx, p) }), map[string][]string{}
	for _, a := range s.Apps {
		for _, au := range pageAll(tb, func(p store.Page) ([]directory.AppUser, string, error) { return st.ListAppUsers(ctx, a.ID, p) }) {
			s.Assigned[a.ID] = append(s.Assigned[a.ID], au.UserID+" "+au.Scope)
		}
		for _, g := range pageAll(tb, func(p store.Page) ([]directory.AppGroup, string, error) { return st.ListAppGroups(ctx, a.ID, p) }) {
			s.Assigned[a.ID] = append(s.Assigned[a.ID], "group "+g.GroupID)
		}
		secrets, err := st.ClientSecrets(ctx, a.ID)
		check(err)
		for _, c := range secrets {
			s.Assigned[a.ID] = append(s.Assigned[a.ID], "secret "+c.ID+" "+string(c.Status))
		}
	}
	events, err := st.EventsAfter(ctx, 0, 1<<20)
	check(err)
	for _, e := range events {
		if e.Outcome != audit.Deny {
			s.Events++
		}
	}
	return s
}

func pageAll[T any](tb testing.TB, list func(store.Page) ([]T, string, error)) []T {
	tb.Helper()
	var out []T
	for p := (store.Page{Limit: 200}); ; {
		items, next, err := list(p)
		if err != nil {
			tb.Fatalf("snapshot: %v", err)
		}
		out = append(out, items...)
		if next == "" {
			return out
		}
		p.Token = next
	}
}

// idpUnchanged fails the test when the state differs from before.
func idpUnchanged(tb testing.TB, st store.IdP, before idpState) {
	tb.Helper()
	if d := cmp.Diff(before, idpSnapshot(tb, st), cmpopts.EquateEmpty()); d != "" {
		tb.Errorf("the refused request changed the directory (-before +after):\n%s", d)
	}
}
