package e2e

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/keyward/keyward/internal/app"
	"github.com/keyward/keyward/internal/authn/password"
	"github.com/keyward/keyward/internal/cli"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/config"
	"github.com/keyward/keyward/internal/store/postgres/pgtest"
)

// server is a keyward started for one test.
type server struct {
	t       *testing.T
	main    *app.Main
	url     string // AWS endpoint URL
	dataDir string
	// client, when the AWS endpoint serves TLS from keyward's CA, is a
	// client that trusts it (startTLS); adminConfig uses it.
	client *http.Client
}

// cheap keeps argon2id fast in tests; production parameters are tested in
// authn/password.
var cheap = password.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1}

// start runs keyward on 127.0.0.1:0 in a fresh data directory until the
// test ends.
func start(t *testing.T) *server {
	t.Helper()
	dir := t.TempDir()
	return startIn(t, dir)
}

func startIn(t *testing.T, dir string) *server {
	t.Helper()
	m := launch(t, dir, nil)
	return &server{t: t, main: m, url: m.AWSURL, dataDir: dir}
}

// launch runs app.Main in dir on 127.0.0.1:0 until tb ends, on clk (nil
// means the real clock), after applying tweaks to the configuration.
func launch(tb testing.TB, dir string, clk clock.Clock, tweaks ...func(*config.Config)) *app.Main {
	tb.Helper()
	cfg := config.Default()
	cfg.DataDir = dir
	cfg.Store.URL = storeURL(tb, dir)
	cfg.AWS.Addr, cfg.IdP.Addr = "127.0.0.1:0", "127.0.0.1:0"
	cfg.Log.Level = "warn"
	for _, tweak := range tweaks {
		tweak(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	opts := app.Options{Clock: clk, PasswordParams: &cheap, Log: testWriter{tb}}
	if d, ok := webIdentityDials.Load(dir); ok {
		opts.WebIdentityDial = d.(func(context.Context, string, string) (net.Conn, error))
	}
	m, err := app.New(ctx, cfg, opts)
	if err != nil {
		cancel()
		tb.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("Run: %v", err)
		}
		m.Close()
	})
	return m
}

// e2eStore is the store every test server runs on: SQLite in its data
// directory, or with KEYWARD_E2E_STORE=postgres a fresh PostgreSQL schema per
// data directory. scripts/test runs the package both ways.
var e2eStore = os.Getenv("KEYWARD_E2E_STORE")

// pgURLs maps a data directory to its schema's URL, so a server restarted
// in the same directory finds its database again.
var pgURLs sync.Map

// storeURL is the store URL of a server in dir: empty for SQLite.
func storeURL(tb testing.TB, dir string) string {
	if e2eStore != "postgres" {
		return ""
	}
	if u, ok := pgURLs.Load(dir); ok {
		return u.(string)
	}
	u := pgtest.URL(tb)
	pgURLs.Store(dir, u)
	return u
}

// testWriter sends server logs to the test log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

// adminCredentials reads the bootstrap root key the server wrote.
func (s *server) adminCredentials() aws.Credentials {
	s.t.Helper()
	return readAdminCredentials(s.t, s.dataDir)
}

// readAdminCredentials reads the bootstrap root key in dataDir.
func readAdminCredentials(tb testing.TB, dataDir string) aws.Credentials {
	tb.Helper()
	f, err := os.Open(filepath.Join(dataDir, app.BootstrapCredentialsFile))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	vals := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), " = "); ok {
			vals[k] = v
		}
	}
	return aws.Credentials{AccessKeyID: vals["aws_access_key_id"], SecretAccessKey: vals["aws_secret_access_key"]}
}

// adminConfig is an aws.Config signed with the bootstrap root key.
func (s *server) adminConfig() aws.Config {
	c := s.adminCredentials()
	cfg := aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, ""),
		BaseEndpoint: aws.String(s.url),
	}
	if s.client != nil {
		cfg.HTTPClient = s.client
	}
	return cfg
}

// setPassword runs `keyward admin set-password` as an operator would, with
// the password on standard input.
func (s *server) setPassword(user, pw string) {
	s.t.Helper()
	var out, errOut strings.Builder
	args := []string{"admin", "set-password", "--data-dir", s.dataDir, "--user", user}
	if u := s.main.Config.Store.URL; u != "" {
		args = append(args, "--store-url", u)
	}
	code := cli.Execute(context.Background(), args, cli.IO{In: strings.NewReader(pw + "\n"), Out: &out, Err: &errOut})
	if code != 0 {
		s.t.Fatalf("set-password exited %d: %s", code, errOut.String())
	}
}

// browser is a person with a cookie jar, submitting the pages' forms.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func (s *server) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: s.t, base: s.url, c: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
}

// page GETs path and returns status and body.
func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	return b.do(b.c.Get(b.abs(path)))
}

// post submits a form to path and returns the final status and body.
func (b *browser) post(path string, form url.Values) (int, string) {
	b.t.Helper()
	return b.do(b.c.PostForm(b.abs(path), form))
}

func (b *browser) abs(path string) string {
	if strings.HasPrefix(path, "http") {
		return path
	}
	return b.base + path
}

func (b *browser) do(resp *http.Response, err error) (int, string) {
	b.t.Helper()
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, sb.String()
}

// signIn submits the sign-in form and fails the test unless it worked.
func (b *browser) signIn(user, pw string) {
	b.t.Helper()
	status, body := b.post("/start/signin", url.Values{"username": {user}, "password": {pw}, "next": {"/start"}})
	if status != http.StatusOK || !strings.Contains(body, `id="signed-in-user">`+user) {
		b.t.Fatalf("sign-in as %s: status %d\n%s", user, status, body)
	}
}

var clientNameRe = regexp.MustCompile(`id="client-name">([^<]*)<`)

// approve opens the verification link, checks the page names the client,
// and clicks Allow (or Deny).
func (b *browser) approve(verificationURIComplete string, allow bool) (clientName string) {
	b.t.Helper()
	status, body := b.get(verificationURIComplete)
	m := clientNameRe.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		b.t.Fatalf("verification page: status %d\n%s", status, body)
	}
	u, _ := url.Parse(verificationURIComplete)
	action := "deny"
	if allow {
		action = "allow"
	}
	status, body = b.post("/device", url.Values{"user_code": {u.Query().Get("user_code")}, "action": {action}})
	want := "Request denied"
	if allow {
		want = "Request approved"
	}
	if status != http.StatusOK || !strings.Contains(body, want) {
		b.t.Fatalf("%s: status %d\n%s", action, status, body)
	}
	return m[1]
}

// steps runs a story's steps as subtests of t, in order: the first that
// fails ends the story, since every later step builds on the ones before.
func steps(t *testing.T) func(name string, f func(t *testing.T)) {
	return func(name string, f func(t *testing.T)) {
		t.Helper()
		if !t.Run(name, f) {
			t.FailNow()
		}
	}
}

// requireTool finds an external program. In CI a missing tool fails the
// test; elsewhere it skips, saying what to install.
func requireTool(t *testing.T, path, install string) string {
	t.Helper()
	if _, err := exec.LookPath(path); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required in CI (%s): %v", path, install, err)
		}
		t.Skipf("%s not found; %s", path, install)
	}
	return path
}
