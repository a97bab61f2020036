package webidentity_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/keyward/keyward/internal/aws/webidentity"
	"github.com/keyward/keyward/internal/clock"
)

// countingIssuer is an HTTPS issuer at https://example.com/tenant serving
// a discovery document and one RSA key, or answering 500 when failing,
// counting its requests and its open connections.
type countingIssuer struct {
	srv            *httptest.Server
	mu             sync.Mutex
	requests, open int
	hold           chan struct{} // when set, every answer waits until it is closed
}

func newCountingIssuer(t *testing.T, failing bool) *countingIssuer {
	t.Helper()
	i := &countingIssuer{}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	i.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i.mu.Lock()
		i.requests++
		hold := i.hold
		i.mu.Unlock()
		if hold != nil {
			<-hold
		}
		switch {
		case failing:
			http.Error(w, "down", http.StatusInternalServerError)
		case r.URL.Path == "/tenant/.well-known/openid-configuration":
			_ = json.NewEncoder(w).Encode(map[string]string{"issuer": "https://example.com/tenant", "jwks_uri": "https://example.com/tenant/keys"})
		default:
			_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k", Use: "sig"}}})
		}
	}))
	i.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	i.srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		i.mu.Lock()
		defer i.mu.Unlock()
		switch s {
		case http.StateNew:
			i.open++
		case http.StateClosed, http.StateHijacked:
			i.open--
		}
	}
	i.srv.StartTLS()
	t.Cleanup(i.srv.Close)
	return i
}

func (i *countingIssuer) counts() (requests, open int) {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.requests, i.open
}

func (i *countingIssuer) fetcher(clk clock.Clock) *webidentity.Fetcher {
	roots := x509.NewCertPool()
	roots.AddCert(i.srv.Certificate())
	return &webidentity.Fetcher{Clock: clk, Roots: roots, DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, i.srv.Listener.Addr().String())
	}}
}

// TestAFetchLeavesNoConnectionOpen: AssumeRoleWithWebIdentity is
// unauthenticated, so every fetch it causes must give its connection back.
func TestAFetchLeavesNoConnectionOpen(t *testing.T) {
	iss := newCountingIssuer(t, false)
	clk := clock.NewFake(time.Now())
	f := iss.fetcher(clk)
	for range 5 {
		if _, err := f.Keys(context.Background(), "https://example.com/tenant", nil, ""); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Hour) // past the cache: fetch again
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		requests, open := iss.counts()
		if open == 0 && requests > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %d fetches the issuer still has %d connections from keyward open", requests, open)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestAFailingIssuerIsNotAskedAgainAtOnce: tokens naming an issuer that
// cannot serve its keys do not each cost a fetch; its failure is kept for
// a few seconds.
func TestAFailingIssuerIsNotAskedAgainAtOnce(t *testing.T) {
	iss := newCountingIssuer(t, true)
	clk := clock.NewFake(time.Now())
	f := iss.fetcher(clk)
	keys := func() {
		t.Helper()
		if _, err := f.Keys(context.Background(), "https://example.com/tenant", nil, "k"); err == nil {
			t.Fatal("a discovery document answering 500 gave keys")
		}
	}
	for range 5 {
		keys()
	}
	if n, _ := iss.counts(); n != 1 {
		t.Errorf("5 tokens in a row cost %d fetches, want 1", n)
	}
	clk.Advance(webidentity.FailureBackoff)
	keys()
	if n, _ := iss.counts(); n != 2 {
		t.Errorf("after the backoff the issuer was asked %d times in all, want 2", n)
	}
}

// TestTokensArrivingDuringAFetchShareIt: while an issuer's keys are being
// fetched, more tokens naming it wait for that fetch instead of each
// asking the issuer again.
func TestTokensArrivingDuringAFetchShareIt(t *testing.T) {
	iss := newCountingIssuer(t, false)
	hold := make(chan struct{})
	iss.mu.Lock()
	iss.hold = hold
	iss.mu.Unlock()
	f := iss.fetcher(clock.NewFake(time.Now()))
	const tokens = 10
	errs := make(chan error, tokens)
	for range tokens {
		go func() {
			_, err := f.Keys(context.Background(), "https://example.com/tenant", nil, "k")
			errs <- err
		}()
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if n, _ := iss.counts(); n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no fetch started")
		}
	}
	time.Sleep(50 * time.Millisecond) // the other tokens arrive meanwhile
	close(hold)
	for range tokens {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := iss.counts(); n != 2 {
		t.Errorf("%d tokens arriving during one fetch cost %d requests, want 2 (discovery and keys, once)", tokens, n)
	}
}
