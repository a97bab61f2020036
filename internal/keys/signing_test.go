package keys_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509"
	"sync"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/keys"
)

func TestSigningKeys(t *testing.T) {
	db, clk, master := openStore(t)
	replica := func(master []byte) *keys.SigningKeys {
		k, err := keys.NewSigningKeys(master, keys.SigningKeysConfig{Store: db.IdP(), Clock: clk, Random: rand.Reader,
			Use: directory.KeyUseSAML, Overlap: time.Hour, Subject: "https://org.example"})
		if err != nil {
			t.Fatal(err)
		}
		return k
	}

	t.Run("replicas asking for the active key at once create one key and all sign with it", func(t *testing.T) {
		ids := make([]string, 4)
		var wg sync.WaitGroup
		for i := range ids {
			r := replica(master)
			wg.Go(func() {
				s, err := r.Active(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				ids[i] = s.Key.ID
			})
		}
		wg.Wait()
		stored, err := db.IdP().SigningKeys(t.Context(), directory.KeyUseSAML)
		if err != nil {
			t.Fatal(err)
		}
		if len(stored) != 1 {
			t.Fatalf("%d keys stored, want 1", len(stored))
		}
		for _, id := range ids {
			if id != stored[0].ID {
				t.Errorf("a replica signs with %q, want %q", id, stored[0].ID)
			}
		}
	})

	t.Run("the private key is stored sealed, not as PKCS#8", func(t *testing.T) {
		stored, _ := db.IdP().SigningKeys(t.Context(), directory.KeyUseSAML)
		if _, err := x509.ParsePKCS8PrivateKey(stored[0].SealedPrivateKey); err == nil {
			t.Error("the stored private key parses as PKCS#8: it is not sealed")
		}
		s, err := replica(master).Active(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(s.Certificate.Raw, stored[0].Certificate) || !s.Private.PublicKey.Equal(s.Certificate.PublicKey) {
			t.Error("the opened private key does not match the certificate")
		}
	})

	t.Run("another master key cannot open it", func(t *testing.T) {
		if _, err := replica(clock.Bytes(rand.Reader, 32)).Active(t.Context()); err == nil {
			t.Error("a key sealed under one master key opened under another")
		}
	})
}
