package sigv4

import (
	"context"
	"sync"
	"testing"
)

// TestVerifiedHearsOfGoodSignaturesOnly: the hook is told of a request
// whose signature checks out, and not of one signed with the wrong secret.
func TestVerifiedHearsOfGoodSignaturesOnly(t *testing.T) {
	var mu sync.Mutex
	var heard []Result
	v := newVerifier(signTime)
	v.Verified = func(_ context.Context, res Result) {
		mu.Lock()
		defer mu.Unlock()
		heard = append(heard, res)
	}
	srv := serve(t, v)
	good := stsForm(srv.URL)
	bad := stsForm(srv.URL)
	bad.secret = "not-the-secret"
	if out := send(t, good.sign(t)); !out.OK {
		t.Fatalf("a good signature was refused: %+v", out)
	}
	if out := send(t, bad.sign(t)); out.OK {
		t.Fatalf("a bad signature was accepted: %+v", out)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(heard) != 1 || heard[0].AccessKeyID != userKey || heard[0].Service != "sts" || heard[0].Region != "us-east-1" {
		t.Errorf("Verified heard %+v, want the one good request", heard)
	}
}
