package webidentity_test

import (
	"context"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/aws/webidentity"
	"github.com/keyward/keyward/internal/aws/webidentity/webidentitytest"
	"github.com/keyward/keyward/internal/clock"
)

// fetcherOf fetches iss's keys, trusting its certificate, on clk.
func fetcherOf(iss *webidentitytest.Issuer, clk clock.Clock) *webidentity.Fetcher {
	return &webidentity.Fetcher{Clock: clk, Roots: iss.Roots(), DialContext: iss.DialContext}
}

// TestAFetchLeavesNoConnectionOpen: AssumeRoleWithWebIdentity is
// unauthenticated, so every fetch it causes must give its connection back.
func TestAFetchLeavesNoConnectionOpen(t *testing.T) {
	iss := webidentitytest.New(t)
	clk := clock.NewFake(time.Now())
	f := fetcherOf(iss, clk)
	for range 5 {
		if _, err := f.Keys(context.Background(), iss.URL, nil, ""); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Hour) // past the cache: fetch again
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		requests, open := iss.Requests()
		if open == 0 && requests > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %d requests the issuer still has %d connections from keyward open", requests, open)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestAFailingIssuerIsNotAskedAgainAtOnce: tokens naming an issuer that
// cannot serve its keys do not each cost a fetch; its failure is kept for
// a few seconds.
func TestAFailingIssuerIsNotAskedAgainAtOnce(t *testing.T) {
	iss := webidentitytest.New(t)
	iss.Down(true)
	clk := clock.NewFake(time.Now())
	f := fetcherOf(iss, clk)
	keys := func() {
		t.Helper()
		if _, err := f.Keys(context.Background(), iss.URL, nil, "rsa-1"); err == nil {
			t.Fatal("a discovery document answering 500 gave keys")
		}
	}
	for range 5 {
		keys()
	}
	if n, _ := iss.Requests(); n != 1 {
		t.Errorf("5 tokens in a row cost %d requests, want 1", n)
	}
	clk.Advance(webidentity.FailureBackoff)
	keys()
	if n, _ := iss.Requests(); n != 2 {
		t.Errorf("after the backoff the issuer was asked %d times in all, want 2", n)
	}
}

// TestTokensArrivingDuringAFetchShareIt: while an issuer's keys are being
// fetched, more tokens naming it wait for that fetch instead of each
// asking the issuer again.
func TestTokensArrivingDuringAFetchShareIt(t *testing.T) {
	iss := webidentitytest.New(t)
	release := iss.Hold()
	f := fetcherOf(iss, clock.NewFake(time.Now()))
	const tokens = 10
	errs := make(chan error, tokens)
	for range tokens {
		go func() {
			_, err := f.Keys(context.Background(), iss.URL, nil, "rsa-1")
			errs <- err
		}()
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if n, _ := iss.Requests(); n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no fetch started")
		}
	}
	time.Sleep(50 * time.Millisecond) // the other tokens arrive meanwhile
	release()
	for range tokens {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := iss.Requests(); n != 2 {
		t.Errorf("%d tokens arriving during one fetch cost %d requests, want 2 (discovery and keys, once)", tokens, n)
	}
}
