package keys_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"database/sql"
	"encoding/pem"
	"math/big"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

// openStore opens a fresh SQLite store on a fake clock and makes a master
// key: what the key users of one keyward share.
func openStore(t *testing.T) (*sqlite.DB, *clock.Fake, []byte) {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	db := sqlitetest.Open(t, clk)
	return db, clk, clock.Bytes(rand.Reader, 32)
}

func TestLocalCA(t *testing.T) {
	db, clk, master := openStore(t)
	cfg := keys.CAConfig{Store: db.IdP(), Clock: clk, Random: rand.Reader}
	open := func(master []byte) (*keys.CA, error) { return keys.OpenCA(t.Context(), master, cfg) }

	t.Run("replicas opening the CA at once create one root and all use it", func(t *testing.T) {
		cas := make([]*keys.CA, 4)
		var wg sync.WaitGroup
		for i := range cas {
			wg.Go(func() {
				ca, err := open(master)
				if err != nil {
					t.Error(err)
				}
				cas[i] = ca
			})
		}
		wg.Wait()
		stored, err := db.IdP().SigningKeys(t.Context(), directory.KeyUseTLSCA)
		if err != nil || len(stored) != 1 {
			t.Fatalf("%d CA keys stored (%v), want 1", len(stored), err)
		}
		for _, ca := range cas {
			if ca == nil || !bytes.Equal(ca.Certificate().Raw, stored[0].Certificate) {
				t.Fatal("a replica uses a CA other than the stored one")
			}
		}
		if stored[0].Algorithm != directory.KeyAlgES256 {
			t.Errorf("the CA key's algorithm is %q, want ES256", stored[0].Algorithm)
		}
	})

	t.Run("the root is a ten-year CA that signs only leaves, and exports as PEM", func(t *testing.T) {
		ca, err := open(master)
		if err != nil {
			t.Fatal(err)
		}
		root := ca.Certificate()
		if !root.IsCA || !root.MaxPathLenZero || root.KeyUsage&x509.KeyUsageCertSign == 0 {
			t.Errorf("root: IsCA %v, MaxPathLenZero %v, usage %b", root.IsCA, root.MaxPathLenZero, root.KeyUsage)
		}
		if got := root.NotAfter.Sub(clk.Now()); got < 3649*24*time.Hour {
			t.Errorf("the root is valid for %s more, want ten years", got)
		}
		block, rest := pem.Decode(ca.PEM())
		if block == nil || block.Type != "CERTIFICATE" || len(rest) != 0 || !bytes.Equal(block.Bytes, root.Raw) {
			t.Errorf("PEM() is not the root certificate alone:\n%s", ca.PEM())
		}
	})

	t.Run("a CA sealed under another master key does not open", func(t *testing.T) {
		if _, err := open(clock.Bytes(rand.Reader, 32)); err == nil {
			t.Fatal("opened the CA with the wrong master key")
		}
	})

	t.Run("a leaf carries its DNS names and IP addresses and verifies against the root", func(t *testing.T) {
		ca, err := open(master)
		if err != nil {
			t.Fatal(err)
		}
		l, err := ca.Leaf("sts.amazonaws.com", "IAM.amazonaws.com", "127.0.0.1", "::1")
		if err != nil {
			t.Fatal(err)
		}
		got := struct {
			DNS []string
			IPs []string
		}{DNS: l.Leaf.DNSNames}
		for _, ip := range l.Leaf.IPAddresses {
			got.IPs = append(got.IPs, ip.String())
		}
		want := struct {
			DNS []string
			IPs []string
		}{DNS: []string{"sts.amazonaws.com", "iam.amazonaws.com"}, IPs: []string{"127.0.0.1", "::1"}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("leaf SANs (-want +got):\n%s", diff)
		}
		roots := x509.NewCertPool()
		roots.AddCert(ca.Certificate())
		for _, name := range []string{"iam.amazonaws.com", "127.0.0.1"} {
			if _, err := l.Leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: roots, CurrentTime: clk.Now()}); err != nil {
				t.Errorf("the leaf does not verify for %s: %v", name, err)
			}
		}
		if _, err := l.Leaf.Verify(x509.VerifyOptions{DNSName: "example.com", Roots: roots, CurrentTime: clk.Now()}); err == nil {
			t.Error("the leaf verifies for example.com, which it does not name")
		}
		if l.Leaf.NotAfter.Sub(clk.Now()) > keys.LeafLifetime {
			t.Errorf("the leaf lives until %s, longer than a week", l.Leaf.NotAfter)
		}
	})

	t.Run("a leaf is reused for the same names and re-issued a day before it expires", func(t *testing.T) {
		ca, err := open(master)
		if err != nil {
			t.Fatal(err)
		}
		first, _ := ca.Leaf("sts.amazonaws.com", "iam.amazonaws.com")
		again, _ := ca.Leaf("IAM.amazonaws.com", "sts.amazonaws.com")
		if first != again {
			t.Error("the same names in another order got a new leaf")
		}
		clk.Advance(keys.LeafLifetime - 23*time.Hour)
		later, _ := ca.Leaf("sts.amazonaws.com", "iam.amazonaws.com")
		if later == first || !later.Leaf.NotAfter.After(first.Leaf.NotAfter) {
			t.Error("a leaf with less than a day left was served again")
		}
	})
}

// The root's certificate is what `keyward admin ca export` hands people to
// trust. Someone who can write to the database but lacks the master key
// must not be able to put a CA certificate of theirs there: keyward would
// still sign with its own key, and export theirs.
func TestACACertificateThatIsNotTheSealedKeysIsRefused(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	path := filepath.Join(t.TempDir(), "keyward.db")
	sqlitetest.WriteEmpty(t, path)
	db, err := sqlite.Open(t.Context(), path, clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	master := clock.Bytes(rand.Reader, 32)
	cfg := keys.CAConfig{Store: db.IdP(), Clock: clk, Random: rand.Reader}
	if _, err := keys.OpenCA(t.Context(), master, cfg); err != nil {
		t.Fatal(err)
	}
	forgerKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "keyward local CA"},
		NotBefore: clk.Now().Add(-time.Hour), NotAfter: clk.Now().AddDate(10, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	forged, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &forgerKey.PublicKey, forgerKey)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", path) // driver registered by store/sqlite
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE idp_signing_keys SET certificate = $1 WHERE use = $2`, forged, directory.KeyUseTLSCA); err != nil {
		t.Fatal(err)
	}
	ca, err := keys.OpenCA(t.Context(), master, cfg)
	if err == nil && bytes.Equal(ca.Certificate().Raw, forged) {
		t.Fatal("the CA opened with a certificate that is not its key's, and would export it")
	}
	if err == nil {
		t.Fatal("the CA opened though its stored certificate was replaced")
	}
}
