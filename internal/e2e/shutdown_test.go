package e2e

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/app"
	"github.com/keyward/keyward/internal/config"
)

// TestShutdownFinishesRequestsInFlight stops the server while a request is
// half sent, as SIGTERM would during a deploy: the request still gets its
// answer, and Run returns cleanly once it has.
func TestShutdownFinishesRequestsInFlight(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir, cfg.AWS.Addr, cfg.IdP.Addr, cfg.Log.Level = t.TempDir(), "127.0.0.1:0", "127.0.0.1:0", "warn"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m, err := app.New(ctx, cfg, app.Options{PasswordParams: &cheap, Log: testWriter{t}})
	must(t, err)
	defer m.Close()
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()

	conn, err := net.Dial("tcp", m.Addr())
	must(t, err)
	defer conn.Close()
	body := `{"clientName":"in-flight","clientType":"public"}`
	fmt.Fprintf(conn, "POST /client/register HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		m.Addr(), len(body), body[:10])
	time.Sleep(100 * time.Millisecond) // let the server start reading the body

	cancel() // SIGTERM
	select {
	case err := <-done:
		t.Fatalf("Run returned (%v) while a request was in flight", err)
	case <-time.After(200 * time.Millisecond):
	}
	fmt.Fprint(conn, body[10:])
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("the in-flight request got %d, want 200", resp.StatusCode)
	}
	select {
	case err := <-done:
		must(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after the last request finished")
	}
	if _, err := net.DialTimeout("tcp", m.Addr(), time.Second); err == nil {
		t.Error("the server still accepts connections after shutdown")
	}
}
