package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/app"
	"github.com/keyward/keyward/internal/cli"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/config"
	"github.com/keyward/keyward/internal/store"
)

// crashServeEnv, set in a child process, holds the `keyward serve`
// arguments (separated by \x1f) TestProvisioningCrashChildProcess runs.
const crashServeEnv = "KEYWARD_E2E_CRASH_SERVE"

// TestProvisioningCrashChildProcess is not a test:
// TestProvisioningResumesAfterKill9 runs the test binary again with only
// this case and crashServeEnv set, and the child serves until killed.
func TestProvisioningCrashChildProcess(t *testing.T) {
	args := os.Getenv(crashServeEnv)
	if args == "" {
		t.Skip("the child process of TestProvisioningResumesAfterKill9")
	}
	os.Exit(cli.Execute(context.Background(), strings.Split(args, "\x1f"), cli.IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
}

// crashUsers is how many people the push carries: the 10,000
// (about 30 s on two cores), or 1,000 under -race, which is several times
// slower; KEYWARD_E2E_CRASH_USERS changes it.
func crashUsers(tb testing.TB) int {
	n := 10000
	if raceDetector {
		n = 1000
	}
	if v := os.Getenv("KEYWARD_E2E_CRASH_USERS"); v != "" {
		if _, err := fmt.Sscan(v, &n); err != nil || n < 100 {
			tb.Fatalf("KEYWARD_E2E_CRASH_USERS=%q: want a number of at least 100", v)
		}
	}
	return n
}

// TestProvisioningResumesAfterKill9 kills keyward with SIGKILL in the
// middle of pushing people into its own Identity Center over SCIM, starts
// it again on the same data, and checks that the push resumes and
// finishes with each person at the target exactly once and no drift.
func TestProvisioningResumesAfterKill9(t *testing.T) {
	n := crashUsers(t)
	dir := t.TempDir()
	su := storeURL(t, dir)
	awsAddr, idpAddr := freeAddr(t), freeAddr(t)
	serve := []string{"serve", "--data-dir", dir, "--aws-addr", awsAddr, "--idp-addr", idpAddr, "--log-level", "warn"}
	if su != "" {
		serve = append(serve, "--store-url", su)
	}
	first := startChild(t, serve, awsAddr, idpAddr)
	_, ssws := bootstrapToken(t, dir)
	org := newRestAPI("http://"+idpAddr, "SSWS "+ssws)

	began := time.Now()
	mustAdminCLI(t, dir, su, "import", peopleCSV(t, n, 0))
	t.Logf("imported %d people in %v", n, time.Since(began).Round(time.Millisecond))
	var aws struct {
		ID string `json:"id"`
	}
	org.must(t, "POST", "/api/v1/apps", json.RawMessage(awsAppBody), &aws)
	eng := groupID(t, org, "Engineering")
	org.must(t, "PUT", "/api/v1/apps/"+aws.ID+"/groups/"+eng, json.RawMessage(`{}`), nil)
	mustAdminCLI(t, dir, su, "apps", "push-group", aws.ID, "Engineering")
	base, token := scimTarget(t, dir, su, "http://"+awsAddr)
	began = time.Now()
	provisionTo(t, dir, su, aws.ID, base, token)

	// Kill once a sixth of the people are through: the outbox then holds
	// finished, leased-and-pushed-but-unfinished and untouched items.
	waitFor(t, 60*time.Second, "a sixth of the push", func() bool {
		st := provisioningStatus(t, org, aws.ID)
		return st.Started && st.Pending <= n+1-n/6
	})
	first.kill9()
	atKill := awsUserCount(t, dir, su)
	t.Logf("killed after %v with %d of %d people at the target", time.Since(began).Round(time.Millisecond), atKill, n)
	if atKill == 0 || atKill >= n {
		t.Fatalf("the identity store held %d of %d people at the kill: want some but not all", atKill, n)
	}

	startChild(t, serve, awsAddr, idpAddr)
	waitFor(t, 120*time.Second, "the push to finish", func() bool { return pushed(provisioningStatus(t, org, aws.ID)) })
	t.Logf("pushed %d people in %v, a kill -9 and a restart included", n, time.Since(began).Round(time.Millisecond))
	if st := provisioningStatus(t, org, aws.ID); len(st.Failures) != 0 {
		t.Errorf("failures after the push: %+v", st.Failures)
	}

	target := newRestAPI(base, "Bearer "+token)
	seen := map[string]int{}
	for _, u := range scimUsers(t, target) {
		seen[u.UserName]++
	}
	for i := range n {
		login := fmt.Sprintf("user%05d@example.com", i)
		if seen[login] != 1 {
			t.Errorf("%s is at the target %d times, want once", login, seen[login])
		}
		delete(seen, login)
	}
	if len(seen) != 0 {
		t.Errorf("people at the target nobody pushed: %v", seen)
	}
	var groups struct {
		Resources []struct {
			ID string `json:"id"`
		} `json:"Resources"`
	}
	target.must(t, "GET", "/Groups?filter="+url.QueryEscape(`displayName eq "Engineering"`), nil, &groups)
	if len(groups.Resources) != 1 {
		t.Errorf("Engineering is at the target %d times, want once", len(groups.Resources))
	}

	began = time.Now()
	code, out, errOut := adminCLI(dir, su, "", "apps", "drift", aws.ID)
	t.Logf("drift took %v", time.Since(began).Round(time.Millisecond))
	if code != 0 || !strings.Contains(out, "No drift") {
		t.Errorf("drift exited %d:\n%s%s", code, out, errOut)
	}
}

// child is keyward serving in another process.
type child struct {
	t      *testing.T
	cmd    *exec.Cmd
	log    string
	exited chan struct{}
}

// startChild runs `keyward serve` (this test binary, re-executed) and
// waits until both sides answer; it is killed when the test ends.
func startChild(t *testing.T, serve []string, addrs ...string) *child {
	t.Helper()
	c := &child{t: t, log: filepath.Join(t.TempDir(), "serve.log"), exited: make(chan struct{})}
	logFile, err := os.Create(c.log)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	c.cmd = exec.Command(os.Args[0], "-test.run=^TestProvisioningCrashChildProcess$", "-test.count=1")
	c.cmd.Env = append(os.Environ(), crashServeEnv+"="+strings.Join(serve, "\x1f"))
	c.cmd.Stdout, c.cmd.Stderr = logFile, logFile
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := c.exited
	go func() { c.cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		c.cmd.Process.Kill()
		<-exited
		if t.Failed() {
			b, _ := os.ReadFile(c.log)
			t.Logf("keyward serve (pid %d) logged:\n%s", c.cmd.Process.Pid, b)
		}
	})
	waitFor(t, 30*time.Second, "keyward serve to answer", func() bool {
		select {
		case <-exited:
			b, _ := os.ReadFile(c.log)
			t.Fatalf("keyward serve exited: %s", b)
		default:
		}
		for _, a := range addrs {
			resp, err := http.Get("http://" + a + "/healthz")
			if err != nil {
				return false
			}
			resp.Body.Close()
		}
		return true
	})
	return c
}

// kill9 sends SIGKILL and waits until the process is gone.
func (c *child) kill9() {
	c.t.Helper()
	if err := c.cmd.Process.Kill(); err != nil {
		c.t.Fatal(err)
	}
	<-c.exited
}

// freeAddr is a loopback address nothing listens on (for the children,
// which must listen on the same address after a restart).
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// waitFor polls cond every 200 ms (under the management API's rate limit
// of 600 calls a minute per token) until it holds, failing after limit.
func waitFor(t testing.TB, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s after %v", what, limit)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// awsUserCount counts the identity store's users straight from the store
// (the server is down).
func awsUserCount(t *testing.T, dir, storeURL string) int {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir, cfg.Store.URL = dir, storeURL
	db, err := app.OpenExistingStore(t.Context(), cfg, clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	for p := (store.Page{Limit: 1000}); ; {
		us, next, err := db.ListUsers(t.Context(), store.UserFilter{}, p)
		if err != nil {
			t.Fatal(err)
		}
		n += len(us)
		if next == "" {
			return n
		}
		p.Token = next
	}
}
