package keys

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"
)

func TestMasterKeyIsCreatedOnceWithMode0600(t *testing.T) {
	path := filepath.Join(t.TempDir(), "master.key")
	k1, err := LoadOrCreate(path, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
	}
	k2, err := LoadOrCreate(path, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k1, k2) {
		t.Error("reloading the master key gave different bytes")
	}
}

func TestMasterKeyOfWrongSizeIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "master.key")
	if err := os.WriteFile(path, []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreate(path, rand.Reader); err == nil {
		t.Fatal("a 5-byte master key was accepted")
	}
}

func TestSealedValuesOpenOnlyWithSameKeyPurposeAndAAD(t *testing.T) {
	master := bytes.Repeat([]byte{7}, MasterKeySize)
	other := bytes.Repeat([]byte{8}, MasterKeySize)
	s, _ := NewSealer(master, "a", rand.Reader)
	sealed := s.Seal([]byte("secret"), []byte("aad"))

	got, err := s.Open(sealed, []byte("aad"))
	if err != nil || string(got) != "secret" {
		t.Fatalf("Open = %q, %v; want secret", got, err)
	}
	samePurpose, _ := NewSealer(master, "a", rand.Reader)
	otherPurpose, _ := NewSealer(master, "b", rand.Reader)
	otherMaster, _ := NewSealer(other, "a", rand.Reader)
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-1] ^= 1
	cases := []struct {
		name   string
		s      *Sealer
		sealed []byte
		aad    string
		ok     bool
	}{
		{"a sealer for the same purpose opens it", samePurpose, sealed, "aad", true},
		{"another purpose cannot open it", otherPurpose, sealed, "aad", false},
		{"another master key cannot open it", otherMaster, sealed, "aad", false},
		{"another aad cannot open it", s, sealed, "other", false},
		{"a flipped bit does not open", s, tampered, "aad", false},
		{"a truncated value does not open", s, sealed[:5], "aad", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.s.Open(c.sealed, []byte(c.aad))
			if (err == nil) != c.ok {
				t.Fatalf("Open error = %v, want ok=%v", err, c.ok)
			}
		})
	}
}
