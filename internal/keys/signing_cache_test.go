package keys_test

import (
	"context"
	"crypto/rand"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/keys"
)

// countingStore counts the key list reads that reach the store.
type countingStore struct {
	keys.SigningKeyStore
	reads atomic.Int32
}

func (c *countingStore) SigningKeys(ctx context.Context, use string) ([]directory.SigningKey, error) {
	c.reads.Add(1)
	return c.SigningKeyStore.SigningKeys(ctx, use)
}

// cachedReplicas returns n replicas' OIDC keys over one store, whose
// reads the returned store counts.
func cachedReplicas(t *testing.T, n int) ([]*keys.SigningKeys, *countingStore, *clock.Fake) {
	t.Helper()
	db, clk, master := openStore(t)
	store := &countingStore{SigningKeyStore: db.IdP()}
	var out []*keys.SigningKeys
	for range n {
		k, err := keys.NewSigningKeys(master, keys.SigningKeysConfig{Store: store, Clock: clk, Random: rand.Reader,
			Use: directory.KeyUseOIDC, Overlap: 24 * time.Hour, Subject: "https://org.example"})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, k)
	}
	return out, store, clk
}

func activeID(t *testing.T, k *keys.SigningKeys) string {
	t.Helper()
	s, err := k.Active(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return s.Key.ID
}

func publishedIDs(t *testing.T, k *keys.SigningKeys) []string {
	t.Helper()
	all, err := k.Published(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, key := range all {
		ids = append(ids, key.ID)
	}
	return ids
}

func TestSigningKeysCacheTheKeyList(t *testing.T) {
	t.Run("a second Active within the cache time does not read the store, one after it does", func(t *testing.T) {
		r, store, clk := cachedReplicas(t, 1)
		first := activeID(t, r[0])
		reads := store.reads.Load()
		clk.Advance(keys.DefaultKeyCacheFor - time.Second)
		if activeID(t, r[0]) != first || publishedIDs(t, r[0])[0] != first {
			t.Fatal("the cached list names another key")
		}
		if got := store.reads.Load() - reads; got != 0 {
			t.Errorf("%d store reads within the cache time, want 0", got)
		}
		clk.Advance(time.Second)
		activeID(t, r[0])
		if got := store.reads.Load() - reads; got != 1 {
			t.Errorf("%d store reads after the cache time, want 1", got)
		}
	})
	t.Run("Rotate makes this replica publish its new key at once", func(t *testing.T) {
		r, _, _ := cachedReplicas(t, 1)
		activeID(t, r[0])
		next, err := r[0].Rotate(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if got := publishedIDs(t, r[0]); !slices.Contains(got, next.ID) {
			t.Errorf("published right after Rotate: %v, want %s among them", got, next.ID)
		}
	})
	t.Run("a key another replica rotates in is published within the cache time and signs after the overlap", func(t *testing.T) {
		r, _, clk := cachedReplicas(t, 2)
		first := activeID(t, r[0])
		next, err := r[1].Rotate(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(keys.DefaultKeyCacheFor)
		if got := publishedIDs(t, r[0]); !slices.Contains(got, next.ID) || !slices.Contains(got, first) {
			t.Errorf("published a cache time after another replica's rotation: %v, want %s and %s", got, first, next.ID)
		}
		if activeID(t, r[0]) != first {
			t.Error("the next key signs before the overlap")
		}
		clk.Advance(24 * time.Hour)
		if got := activeID(t, r[0]); got != next.ID {
			t.Errorf("after the overlap %s signs, want %s", got, next.ID)
		}
	})
}

func TestPublishedCertificate(t *testing.T) {
	r, _, clk := cachedReplicas(t, 1)
	s, err := r[0].Active(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the active key's certificate is parsed once and matches its private key", func(t *testing.T) {
		cert, ok, err := r[0].PublishedCertificate(t.Context(), s.Key.ID)
		if err != nil || !ok || !s.Private.PublicKey.Equal(cert.PublicKey) {
			t.Fatalf("PublishedCertificate = %v, %v; want the active key's certificate", ok, err)
		}
		again, _, _ := r[0].PublishedCertificate(t.Context(), s.Key.ID)
		if again != cert || s.Certificate != cert {
			t.Error("the certificate was parsed again")
		}
	})
	t.Run("an unknown key id is not found", func(t *testing.T) {
		if _, ok, err := r[0].PublishedCertificate(t.Context(), "kwkUnknown"); ok || err != nil {
			t.Errorf("an unknown key id: ok %v, err %v", ok, err)
		}
	})
	t.Run("a key retired longer than the overlap is not found", func(t *testing.T) {
		if _, err := r[0].Rotate(t.Context()); err != nil {
			t.Fatal(err)
		}
		clk.Advance(49 * time.Hour)
		if _, ok, err := r[0].PublishedCertificate(t.Context(), s.Key.ID); ok || err != nil {
			t.Errorf("the retired key: ok %v, err %v", ok, err)
		}
	})
}

func TestRotateNow(t *testing.T) {
	t.Run("the new key signs at once on this replica and the old one stays published, not signing", func(t *testing.T) {
		r, _, clk := cachedReplicas(t, 1)
		old := activeID(t, r[0])
		clk.Advance(time.Minute)
		next, err := r[0].RotateNow(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if got := activeID(t, r[0]); got != next.ID || got == old {
			t.Errorf("signing right after RotateNow: %s, want the new %s", got, next.ID)
		}
		if got := publishedIDs(t, r[0]); !slices.Equal(got, []string{old, next.ID}) {
			t.Errorf("published %v, want the old and the new key", got)
		}
		clk.Advance(24*time.Hour - time.Second)
		if got := publishedIDs(t, r[0]); !slices.Contains(got, old) {
			t.Error("the old key left the JWKS before the overlap ended")
		}
		clk.Advance(time.Second)
		if got := publishedIDs(t, r[0]); !slices.Equal(got, []string{next.ID}) {
			t.Errorf("published after the overlap: %v, want only %s", got, next.ID)
		}
	})
	t.Run("another replica verifies the new key at once and keeps signing with the old until its list expires", func(t *testing.T) {
		r, store, clk := cachedReplicas(t, 2)
		old := activeID(t, r[1])
		clk.Advance(2 * keys.MissReread)
		next, err := r[0].RotateNow(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if activeID(t, r[1]) != old {
			t.Error("the other replica read the store within its cache time")
		}
		reads := store.reads.Load()
		if _, ok, err := r[1].PublishedCertificate(t.Context(), next.ID); !ok || err != nil {
			t.Fatalf("the other replica does not verify the new key: ok %v, err %v", ok, err)
		}
		if _, ok, _ := r[1].PublishedCertificate(t.Context(), "kwkMadeUp"); ok {
			t.Error("a made-up key id was found")
		}
		if got := store.reads.Load() - reads; got != 1 {
			t.Errorf("%d store reads for the new key and a made-up one a moment later, want 1", got)
		}
		clk.Advance(keys.DefaultKeyCacheFor)
		if got := activeID(t, r[1]); got != next.ID {
			t.Errorf("after its cache time the other replica signs with %s, want %s", got, next.ID)
		}
	})
	t.Run("a scheduled rotation is overtaken: its key never signs", func(t *testing.T) {
		r, _, clk := cachedReplicas(t, 1)
		activeID(t, r[0])
		scheduled, err := r[0].Rotate(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		now, err := r[0].RotateNow(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(25 * time.Hour)
		if got := activeID(t, r[0]); got != now.ID {
			t.Errorf("after the overlap %s signs, want %s (not the overtaken %s)", got, now.ID, scheduled.ID)
		}
	})
}
