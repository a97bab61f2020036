package e2e

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/keyward/keyward/internal/app"
	"github.com/keyward/keyward/internal/config"
)

func TestHealthReadinessAndMetricsAnswer(t *testing.T) {
	s := start(t)
	s.setUpStory()
	b := s.browser()
	for _, path := range []string{"/healthz", "/readyz"} {
		if status, body := b.get(path); status != http.StatusOK || body != "ok\n" {
			t.Errorf("GET %s = %d %q", path, status, body)
		}
	}
	status, body := b.get("/metrics")
	if status != http.StatusOK {
		t.Fatalf("GET /metrics = %d", status)
	}
	for _, want := range []string{
		`keyward_http_requests_total{code="200",method="POST",route="POST /{$}"}`,
		`keyward_http_request_duration_seconds_bucket{route="POST /{$}"`,
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestReadinessFailsWhenTheStoreIsGone(t *testing.T) {
	s := start(t)
	s.main.Store.Close()
	if status, _ := s.browser().get("/readyz"); status != http.StatusServiceUnavailable {
		t.Errorf("GET /readyz with a closed store = %d, want 503", status)
	}
}

// lockedBuffer is a log sink safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestNoSecretReachesTheLogsEvenAtDebugLevel(t *testing.T) {
	dir := t.TempDir()
	cfg := config.Default()
	cfg.DataDir, cfg.AWS.Addr, cfg.IdP.Addr, cfg.Log.Level = dir, "127.0.0.1:0", "127.0.0.1:0", "debug"
	logs := &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	m, err := app.New(ctx, cfg, app.Options{PasswordParams: &cheap, Log: logs})
	must(t, err)
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	defer func() { cancel(); <-done; m.Close() }()

	s := &server{t: t, main: m, url: m.AWSURL, dataDir: dir}
	st := s.setUpStory()
	b := s.browser()
	b.signIn(aliceName, alicePassword)
	_, body := b.get("/start/credentials?account_id=" + st.AccountID + "&role_name=DevOps")
	secrets := []string{s.adminCredentials().SecretAccessKey, alicePassword}
	if i := strings.Index(body, `AWS_SECRET_ACCESS_KEY="`); i >= 0 {
		secrets = append(secrets, strings.SplitN(body[i+len(`AWS_SECRET_ACCESS_KEY="`):], `"`, 2)[0])
	} else {
		t.Fatal("the credentials page shows no secret key")
	}
	out := logs.String()
	if !strings.Contains(out, "level=DEBUG") {
		t.Fatal("no debug logs were written; the test would prove nothing")
	}
	for _, secret := range secrets {
		if strings.Contains(out, secret) {
			t.Errorf("a secret (%.6s...) appears in the logs", secret)
		}
	}
}

func TestStaticFilesAreServedButNotListed(t *testing.T) {
	b := start(t).browser()
	if status, body := b.get("/static/portal.css"); status != http.StatusOK || !strings.Contains(body, "--accent") {
		t.Errorf("GET /static/portal.css = %d", status)
	}
	for _, path := range []string{"/static/", "/static"} {
		// A listing links to its files by name; the 404 page links only the
		// style sheet, by its full path.
		if status, body := b.get(path); status != http.StatusNotFound || strings.Contains(body, `href="portal.css"`) {
			t.Errorf("GET %s = %d and lists files: %v", path, status, strings.Contains(body, `href="portal.css"`))
		}
	}
}

func TestMetricsMoveToTheirOwnAddress(t *testing.T) {
	m := launch(t, t.TempDir(), nil, func(c *config.Config) { c.Metrics.Addr = "127.0.0.1:0" })
	onAWS := (&browser{t: t, base: m.AWSURL, c: http.DefaultClient})
	if status, _ := onAWS.get("/metrics"); status == http.StatusOK {
		t.Error("the AWS endpoint still serves /metrics with --metrics-addr set")
	}
	own := &browser{t: t, base: "http://" + m.MetricsAddr(), c: http.DefaultClient}
	status, body := own.get("/metrics")
	if status != http.StatusOK || !strings.Contains(body, "keyward_http_requests_total") {
		t.Fatalf("GET /metrics on the metrics address = %d\n%s", status, body)
	}
}

func TestUnknownHTTPMethodsShareOneMetricLabel(t *testing.T) {
	s := start(t)
	for _, method := range []string{"BREW", "WHEN", "PROPFIND"} {
		req, _ := http.NewRequest(method, s.url+"/start", nil)
		resp, err := http.DefaultClient.Do(req)
		must(t, err)
		resp.Body.Close()
	}
	_, body := s.browser().get("/metrics")
	if strings.Contains(body, `method="BREW"`) || !strings.Contains(body, `method="other"`) {
		t.Errorf("client-chosen methods became metric labels:\n%s", grepLines(body, "keyward_http_requests_total"))
	}
}

// grepLines returns the lines of s that contain sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
