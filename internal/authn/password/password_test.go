package password

import (
	"context"
	"crypto/rand"
	"strings"
	"sync"
	"testing"
	"time"
)

// fast keeps tests quick; production uses DefaultParams.
var fast = Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1}

func TestAHashVerifiesOnlyTheRightPassword(t *testing.T) {
	h := NewHasher(fast, 2, rand.Reader)
	ctx := context.Background()
	enc, err := h.Hash(ctx, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash %q is not a PHC argon2id string", enc)
	}
	if ok, err := h.Verify(ctx, enc, "correct horse"); !ok || err != nil {
		t.Errorf("right password: ok=%v err=%v", ok, err)
	}
	if ok, _ := h.Verify(ctx, enc, "correct horsE"); ok {
		t.Error("wrong password verified")
	}
	enc2, _ := h.Hash(ctx, "correct horse")
	if enc == enc2 {
		t.Error("two hashes of one password are equal: salt is not random")
	}
}

func TestVerifyUsesTheParametersInTheHash(t *testing.T) {
	old := NewHasher(fast, 1, rand.Reader)
	enc, _ := old.Hash(context.Background(), "pw")
	stronger := NewHasher(Params{MemoryKiB: 128, Iterations: 2, Parallelism: 1}, 1, rand.Reader)
	if ok, err := stronger.Verify(context.Background(), enc, "pw"); !ok || err != nil {
		t.Fatalf("a hash made with older parameters no longer verifies: ok=%v err=%v", ok, err)
	}
}

func TestMalformedHashesAreErrorsNotPanics(t *testing.T) {
	h := NewHasher(fast, 1, rand.Reader)
	for _, enc := range []string{
		"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHRzYWx0$" + strings.Repeat("A", 43),
		"$argon2id$v=19$m=64,t=1,p=1$!!$!!",
	} {
		if ok, err := h.Verify(context.Background(), enc, "pw"); ok || err == nil {
			t.Errorf("Verify(%q) = %v, %v; want false and an error", enc, ok, err)
		}
	}
}

func TestOverlongPasswordsAreRefused(t *testing.T) {
	h := NewHasher(fast, 1, rand.Reader)
	if _, err := h.Hash(context.Background(), strings.Repeat("x", MaxLength+1)); err != ErrTooLong {
		t.Errorf("Hash of an overlong password: err = %v, want ErrTooLong", err)
	}
}

func TestConcurrencyIsBounded(t *testing.T) {
	h := NewHasher(fast, 1, rand.Reader)
	h.slots <- struct{}{} // occupy the only slot
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := h.Hash(ctx, "pw"); err == nil {
		t.Fatal("a hash ran although the only slot was taken")
	}
	<-h.slots
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := h.Hash(context.Background(), "pw"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}
