package keys_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
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

// The private keys are sealed so that the database alone cannot sign; what
// is published must be held to the same: a key row written by someone who
// can write to the database but has no master key (its certificate theirs,
// its sealed key anything) must not reach the JWKS or the metadata, where
// relying parties would trust whatever it signs.
func TestAKeyTheMasterKeyDidNotSealIsNotPublished(t *testing.T) {
	db, clk, master := openStore(t)
	k, err := keys.NewSigningKeys(master, keys.SigningKeysConfig{Store: db.IdP(), Clock: clk, Random: rand.Reader,
		Use: directory.KeyUseOIDC, Overlap: time.Hour, Subject: "https://org.example"})
	if err != nil {
		t.Fatal(err)
	}
	genuine, err := k.Active(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "https://org.example"},
		NotBefore: clk.Now().Add(-time.Hour), NotAfter: clk.Now().AddDate(1, 0, 0)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	now := clk.Now()
	for _, forged := range []directory.SigningKey{
		{ID: "kwkforgedgarbage", SealedPrivateKey: []byte("not sealed by keyward at all")},
		// The genuine key's sealed private key, under another id and the forger's certificate.
		{ID: "kwkforgedcopied", SealedPrivateKey: genuine.Key.SealedPrivateKey},
	} {
		forged.Use, forged.Algorithm, forged.Certificate = directory.KeyUseOIDC, directory.KeyAlgRS256, der
		forged.Created, forged.ActivatesAt = now, now.Add(24*time.Hour)
		if err := db.IdP().RotateSigningKey(t.Context(), forged); err != nil {
			t.Fatal(err)
		}
		clk.Advance(2 * keys.DefaultKeyCacheFor)
		published, err := k.Published(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range published {
			if p.ID == forged.ID {
				t.Errorf("%s, which the master key did not seal, is published", forged.ID)
			}
		}
		if _, ok, err := k.PublishedCertificate(t.Context(), forged.ID); ok || err != nil {
			t.Errorf("PublishedCertificate(%s) = %v, %v; want not found", forged.ID, ok, err)
		}
	}
	if _, ok, err := k.PublishedCertificate(t.Context(), genuine.Key.ID); !ok || err != nil {
		t.Errorf("the genuine key is no longer published: %v, %v", ok, err)
	}
}
