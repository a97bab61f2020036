package e2e

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/app"
	"github.com/keyward/keyward/internal/config"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// envInt is a benchmark size from the environment, or def.
func envInt(tb testing.TB, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		tb.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}

// provWorld is keyward (both sides, in this process) with an AWS IAM
// Identity Center app whose SCIM target is keyward's own AWS side.
type provWorld struct {
	m             *app.Main
	dir           string
	appID         string
	scimBase, tok string
	stop          func()
}

// newProvWorld starts keyward with users people in groups groups (user i
// in group i mod groups), every group assigned to the app and pushed; the
// provisioning target is not set yet (enable does it).
func newProvWorld(tb testing.TB, users, groups int) *provWorld {
	tb.Helper()
	w := &provWorld{dir: tb.TempDir()}
	cfg := config.Default()
	cfg.DataDir, cfg.Store.URL = w.dir, storeURL(tb, w.dir)
	cfg.AWS.Addr, cfg.IdP.Addr, cfg.Log.Level = "127.0.0.1:0", "127.0.0.1:0", "error"
	ctx, cancel := context.WithCancel(context.Background())
	m, err := app.New(ctx, cfg, app.Options{PasswordParams: &cheap, Log: testWriter{tb}})
	if err != nil {
		cancel()
		tb.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	w.m, w.stop = m, func() { cancel(); <-done; m.Close() }

	s := m.IdP
	a, err := s.CreateApp(ctx, directory.App{Name: directory.AWSIdentityCenterApp, Label: "AWS", SignOnMode: directory.SAML2,
		Status: directory.AppActive, SAML: directory.AWSIdentityCenterSAML("https://sp.example/acs", "https://sp.example/")})
	if err != nil {
		tb.Fatal(err)
	}
	w.appID = a.ID
	gids := make([]string, groups)
	for i := range gids {
		g, err := s.CreateGroup(ctx, directory.Group{Type: directory.OktaGroup, Name: fmt.Sprintf("G%05d", i)})
		if err != nil {
			tb.Fatal(err)
		}
		gids[i] = g.ID
		if _, err := s.AssignGroup(ctx, directory.AppGroup{AppID: a.ID, GroupID: g.ID}); err != nil {
			tb.Fatal(err)
		}
		if _, err := s.PushGroup(ctx, a.ID, g.ID); err != nil {
			tb.Fatal(err)
		}
	}
	for from := 0; from < users; from += 1000 {
		var batch []store.NewUser
		for i := from; i < min(from+1000, users); i++ {
			login := fmt.Sprintf("user%05d@example.com", i)
			batch = append(batch, store.NewUser{GroupIDs: []string{gids[i%groups]}, User: directory.User{Status: directory.Active,
				Profile: directory.Profile{"login": login, "email": login, "firstName": "User", "lastName": "N", "department": "D0"}}})
		}
		if _, err := s.CreateUsers(ctx, batch); err != nil {
			tb.Fatal(err)
		}
	}
	w.scimBase, w.tok = scimTarget(tb, w.dir, cfg.Store.URL, m.AWSURL)
	return w
}

// enable sets the app's SCIM target and wakes the engine.
func (w *provWorld) enable(tb testing.TB) {
	provisionTo(tb, w.dir, w.m.Config.Store.URL, w.appID, w.scimBase, w.tok)
	w.m.Provisioning.Poke()
}

// waitPushed polls the store until everything queued is pushed.
func (w *provWorld) waitPushed(tb testing.TB, limit time.Duration) {
	tb.Helper()
	deadline := time.Now().Add(limit)
	for {
		st, err := w.m.IdP.ProvisionStatus(context.Background(), w.appID)
		if err == nil && st.Pending == 0 && !st.LastPush.IsZero() {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("the push did not finish within %v (%+v, %v)", limit, st, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// BenchmarkProvisioningFullPush pushes KEYWARD_BENCH_PUSH_USERS people
// (100) in KEYWARD_BENCH_PUSH_GROUPS pushed groups (20) over HTTP into
// keyward's own SCIM server, from enabling provisioning until the outbox
// is empty, and projects linearly the time of the goal: 50,000
// people and 10,000 groups in under 120 s.
func BenchmarkProvisioningFullPush(b *testing.B) {
	users, groups := envInt(b, "KEYWARD_BENCH_PUSH_USERS", 100), envInt(b, "KEYWARD_BENCH_PUSH_GROUPS", 20)
	var total time.Duration
	for b.Loop() {
		b.StopTimer()
		w := newProvWorld(b, users, groups)
		b.StartTimer()
		began := time.Now()
		w.enable(b)
		w.waitPushed(b, 30*time.Minute)
		total += time.Since(began)
		b.StopTimer()
		if got := len(scimUsers(b, newRestAPI(w.scimBase, "Bearer "+w.tok))); got != users {
			b.Fatalf("%d people at the target, want %d", got, users)
		}
		w.stop()
		b.StartTimer()
	}
	per := total.Seconds() / float64(b.N)
	b.ReportMetric(float64(users)/per, "users/s")
	b.ReportMetric(float64(users+groups)/per, "objects/s")
	b.ReportMetric(per*float64(50000+10000)/float64(users+groups), "s/50k-users+10k-groups")
}

// BenchmarkProvisioningChangeLatency changes one person's department
// through the management API and measures until keyward's Identity Store
// shows it over SCIM (goal: under 2 s).
func BenchmarkProvisioningChangeLatency(b *testing.B) {
	p := watchOne(b, "user00007@example.com")
	var total time.Duration
	i := 0
	for b.Loop() {
		i++
		dept := "D" + strconv.Itoa(i)
		began := time.Now()
		p.org.must(b, "POST", "/api/v1/users/"+p.userID, map[string]any{"profile": map[string]string{"department": dept}}, nil)
		p.waitFor(b, "the department change", began, func(u scimUser) bool { return u.Enterprise.Department == dept })
		total += time.Since(began)
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/change")
}

// BenchmarkOffboardingLatency suspends a person through the management API
// and measures until Identity Center holds them disabled (goal: within 5 s,
// typically well under 1 s). From then their next GetRoleCredentials, token
// refresh and portal page are refused: each checks the user at use, as
// TestFederationStory shows. Unsuspending between rounds is not timed.
func BenchmarkOffboardingLatency(b *testing.B) {
	p := watchOne(b, "user00003@example.com")
	var total time.Duration
	for b.Loop() {
		began := time.Now()
		p.org.must(b, "POST", "/api/v1/users/"+p.userID+"/lifecycle/suspend", nil, nil)
		p.waitFor(b, "the suspension", began, func(u scimUser) bool { return !u.Active })
		total += time.Since(began)
		p.org.must(b, "POST", "/api/v1/users/"+p.userID+"/lifecycle/unsuspend", nil, nil)
		p.waitFor(b, "the unsuspension", time.Now(), func(u scimUser) bool { return u.Active })
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/offboarding")
}

// watched is one pushed person whose changes a latency benchmark follows
// from the management API to the SCIM target.
type watched struct {
	org, target    *restAPI
	userID, filter string
}

// watchOne pushes a small directory and picks login to watch.
func watchOne(b *testing.B, login string) watched {
	w := newProvWorld(b, 20, 2)
	b.Cleanup(w.stop)
	w.enable(b)
	w.waitPushed(b, time.Minute)
	_, ssws := bootstrapToken(b, w.dir)
	u, err := w.m.IdP.UserByLogin(context.Background(), login)
	if err != nil {
		b.Fatal(err)
	}
	return watched{org: newRestAPI(w.m.OrgURL, "SSWS "+ssws), target: newRestAPI(w.scimBase, "Bearer "+w.tok),
		userID: u.ID, filter: "/Users?filter=" + url.QueryEscape(`userName eq "`+login+`"`)}
}

// waitFor polls the target until the person passes ok.
func (p watched) waitFor(b *testing.B, what string, began time.Time, ok func(scimUser) bool) {
	for {
		var got struct {
			Resources []scimUser `json:"Resources"`
		}
		p.target.must(b, "GET", p.filter, nil, &got)
		if len(got.Resources) == 1 && ok(got.Resources[0]) {
			return
		}
		if time.Since(began) > 30*time.Second {
			b.Fatalf("%s did not reach the target in 30 s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
