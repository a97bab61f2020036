package scimclient

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

// fakeApps is just the app lookups store.Apps offers (its SQL
// implementation is written elsewhere); everything else is the real
// SQLite store.
type fakeApps struct {
	mu       sync.Mutex
	apps     map[string]directory.App
	assigned map[string]map[string]bool // app → user ids
	pushes   map[string][]string        // app → group ids
}

func newFakeApps() *fakeApps {
	return &fakeApps{apps: map[string]directory.App{}, assigned: map[string]map[string]bool{}, pushes: map[string][]string{}}
}

func (a *fakeApps) App(_ context.Context, id string) (directory.App, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	app, ok := a.apps[id]
	if !ok {
		return app, errs.E(errs.NotFound, "no app %s", id).WithResource(store.ResourceApp, id)
	}
	return app, nil
}

func (a *fakeApps) ListApps(context.Context, store.Page) ([]directory.App, string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []directory.App
	for _, app := range a.apps {
		out = append(out, app)
	}
	slices.SortFunc(out, func(x, y directory.App) int { return cmp.Compare(x.ID, y.ID) })
	return out, "", nil
}

func (a *fakeApps) AppUser(_ context.Context, appID, userID string) (directory.AppUser, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.assigned[appID][userID] {
		return directory.AppUser{}, errs.E(errs.NotFound, "not assigned").WithResource(store.ResourceAppUser, userID)
	}
	return directory.AppUser{AppID: appID, UserID: userID, Scope: directory.ScopeUser}, nil
}

func (a *fakeApps) ListAppUsers(_ context.Context, appID string, _ store.Page) ([]directory.AppUser, string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []directory.AppUser
	for u := range a.assigned[appID] {
		out = append(out, directory.AppUser{AppID: appID, UserID: u, Scope: directory.ScopeUser})
	}
	slices.SortFunc(out, func(x, y directory.AppUser) int { return cmp.Compare(x.UserID, y.UserID) })
	return out, "", nil
}

func (a *fakeApps) ListGroupPushes(_ context.Context, appID string) ([]directory.GroupPush, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []directory.GroupPush
	for _, g := range a.pushes[appID] {
		out = append(out, directory.GroupPush{AppID: appID, GroupID: g})
	}
	return out, nil
}

func (a *fakeApps) ListAppGroups(context.Context, string, store.Page) ([]directory.AppGroup, string, error) {
	return nil, "", nil // assignments here are direct (storeApp has the store's own)
}

func (a *fakeApps) assign(appID string, userIDs ...string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.assigned[appID] == nil {
		a.assigned[appID] = map[string]bool{}
	}
	for _, u := range userIDs {
		a.assigned[appID][u] = true
	}
}

func (a *fakeApps) unassign(appID, userID string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.assigned[appID], userID)
}

func (a *fakeApps) push(appID string, groupIDs ...string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pushes[appID] = append(a.pushes[appID], groupIDs...)
}

// sleeps records the client's waits instead of waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.d)
}

const (
	testToken = "scim-token-1"
	testApp   = "0oaAWS"
)

// world is an engine on a real SQLite store pushing to a fake target.
type world struct {
	dir    string
	ctx    context.Context
	clk    *clock.Fake
	db     *sqlite.DB
	st     store.IdP
	apps   *fakeApps
	scim   *fakeSCIM
	srv    *httptest.Server
	sleeps *sleeps
	eng    *Engine
}

func newWorld(t *testing.T) *world { return newBenchWorld(t) }

func newBenchWorld(t testing.TB) *world {
	t.Helper()
	w := &world{dir: t.TempDir(), ctx: t.Context(), clk: clock.NewFake(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)),
		apps: newFakeApps(), scim: newFakeSCIM(testToken), sleeps: &sleeps{}}
	w.srv = httptest.NewServer(w.scim)
	t.Cleanup(w.srv.Close)
	sqlitetest.WriteEmpty(t, filepath.Join(w.dir, "keyward.db"))
	w.open(t)
	w.apps.apps[testApp] = directory.App{ID: testApp, Name: directory.AWSIdentityCenterApp, Label: "AWS IAM Identity Center",
		Status: directory.AppActive, Provisioning: directory.Provisioning{Enabled: true, BaseURL: w.srv.URL + "/scim/v2",
			SealedToken: []byte("sealed:" + testToken)}}
	return w
}

// open (re)opens the store file and starts a fresh engine on it, as a
// restarted process would.
func (w *world) open(t testing.TB) {
	t.Helper()
	db, err := sqlite.Open(w.ctx, filepath.Join(w.dir, "keyward.db"), w.clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w.db, w.st = db, db.IdP()
	w.eng = w.newEngine("replica-a")
}

func (w *world) newEngine(owner string) *Engine {
	return NewEngine(Config{Apps: w.apps, Directory: w.st, State: w.st, Clock: w.clk, Random: clock.Random,
		Owner: owner, Workers: 16,
		Token: func(a directory.App) (string, error) {
			return string(a.Provisioning.SealedToken[len("sealed:"):]), nil
		},
		Client: Options{HTTP: &http.Client{Timeout: 150 * time.Millisecond}, Sleeper: w.sleeps, MaxAttempts: 4}})
}

// settle runs engine steps, moving the clock past every backoff, until
// the outbox is empty.
func (w *world) settle(t *testing.T) {
	t.Helper()
	for range 200 {
		if err := w.eng.Step(w.ctx); err != nil {
			t.Logf("step: %v", err)
		}
		st, err := w.st.ProvisionStatus(w.ctx, testApp)
		if err == nil && st.Pending == 0 {
			return
		}
		w.clk.Advance(11 * time.Minute)
	}
	st, _ := w.st.ProvisionStatus(w.ctx, testApp)
	t.Fatalf("the outbox did not drain: %+v", st)
}

func (w *world) user(t *testing.T, login string, groupIDs ...string) directory.User {
	t.Helper()
	u, err := w.st.CreateUser(w.ctx, directory.User{Status: directory.Active, Profile: directory.Profile{
		"login": login, "email": login, "firstName": "First", "lastName": "Last " + login, "department": "Engineering",
	}}, groupIDs)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (w *world) group(t *testing.T, name string) directory.Group { return w.groupB(t, name) }

func (w *world) groupB(t testing.TB, name string) directory.Group {
	t.Helper()
	g, err := w.st.CreateGroup(w.ctx, directory.Group{Type: directory.OktaGroup, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// noDrift fails t when the drift report is not empty.
func (w *world) noDrift(t *testing.T) {
	t.Helper()
	d, err := w.eng.Drift(w.ctx, testApp)
	if err != nil {
		t.Fatal(err)
	}
	if len(d) != 0 {
		t.Errorf("drift after convergence: %+v", d)
	}
}

// eachOnce fails t unless the target holds exactly logins, each once.
func (w *world) eachOnce(t *testing.T, logins ...string) {
	t.Helper()
	want := map[string]int{}
	for _, l := range logins {
		want[l]++
	}
	if diff := gocmp.Diff(want, w.scim.userNames(), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("users at the target (-want +got):\n%s", diff)
	}
}

func benchUser(i int) directory.User {
	login := fmt.Sprintf("user%05d@example.com", i)
	return directory.User{Status: directory.Active, Profile: directory.Profile{"login": login, "email": login,
		"firstName": "First", "lastName": "Last", "department": "Engineering"}}
}

func logins(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%03d@example.com", prefix, i)
	}
	return out
}
