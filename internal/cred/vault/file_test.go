package vault

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const testPass = "correct horse battery staple"

func newTestFile(t *testing.T, dir, pass string) Store {
	t.Helper()
	s, err := NewFile(dir, cheapKDF, envWith(map[string]string{PassphraseEnv: pass}), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestFileRoundTripIsEncryptedAnd0600(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "keyward")
	s := newTestFile(t, dir, testPass)
	if s.Name() != "file" {
		t.Fatalf("Name() = %q", s.Name())
	}
	if _, err := s.Get(ctx, "sso/token"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get on an empty vault: %v, want ErrNotFound", err)
	}
	secrets := map[string]string{
		"sso/token":  `{"accessToken":"aoa-SECRET-ACCESS-TOKEN-123","refreshToken":"aor-SECRET-REFRESH-456"}`,
		"sso/client": `{"clientSecret":"CLIENT-SECRET-789"}`,
		"role/dev":   "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	}
	for k, v := range secrets {
		if err := s.Set(ctx, k, []byte(v)); err != nil {
			t.Fatalf("Set %s: %v", k, err)
		}
	}
	// A second store (a second process) reads what the first wrote.
	other := newTestFile(t, dir, testPass)
	for k, v := range secrets {
		got, err := other.Get(ctx, k)
		if err != nil || string(got) != v {
			t.Fatalf("Get %s = %q, %v; want %q", k, got, err, v)
		}
	}
	if err := other.Delete(ctx, "role/dev"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "role/dev"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctx, "role/dev"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second Delete: %v, want ErrNotFound", err)
	}

	path := filepath.Join(dir, "vault")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("vault mode = %v, want 0600", fi.Mode().Perm())
	}
	if di, _ := os.Stat(dir); di.Mode().Perm() != 0o700 {
		t.Errorf("vault directory mode = %v, want 0700", di.Mode().Perm())
	}
	if li, _ := os.Stat(filepath.Join(dir, "locks")); li.Mode().Perm() != 0o700 {
		t.Errorf("locks directory mode = %v, want 0700", li.Mode().Perm())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, needle := range []string{"SECRET-ACCESS-TOKEN", "SECRET-REFRESH", "CLIENT-SECRET", "sso/token", "accessToken", testPass} {
		if bytes.Contains(data, []byte(needle)) {
			t.Errorf("the vault file contains %q in the clear", needle)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestFileWrongPassphrase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := newTestFile(t, dir, testPass).Set(ctx, "k", []byte("v")); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "vault"))
	wrong := newTestFile(t, dir, "not the passphrase")
	_, err := wrong.Get(ctx, "k")
	want := "the vault at " + filepath.Join(dir, "vault") + " could not be opened: wrong passphrase (or the file is damaged)"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Get with a wrong passphrase: %v\nwant it to say %q", err, want)
	}
	if err := wrong.Set(ctx, "k2", []byte("v2")); err == nil || !strings.Contains(err.Error(), "wrong passphrase") {
		t.Fatalf("Set with a wrong passphrase: %v", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "vault"))
	if !bytes.Equal(before, after) {
		t.Fatal("a refused Set changed the file")
	}
}

func TestFileDamaged(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "vault")
	if err := newTestFile(t, dir, testPass).Set(ctx, "k", []byte("v")); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(path)
	flipped := bytes.Clone(good)
	flipped[len(flipped)-3] ^= 1
	costly := bytes.Clone(good)
	copy(costly[len(fileMagic)+1+4:], []byte{0xff, 0xff, 0xff, 0xff}) // 4 TiB of memory
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "does not start like a keyward vault"},
		{"garbage", []byte("this is not a vault at all, just some text\n"), "does not start like a keyward vault"},
		{"truncated header", good[:20], "cut short"},
		{"truncated body", good[:headerLen+5], "cut short"},
		{"cut mid-ciphertext", good[:len(good)-4], "wrong passphrase (or the file is damaged)"},
		{"flipped bit", flipped, "wrong passphrase (or the file is damaged)"},
		{"future version", append([]byte(fileMagic+"\x09"), good[len(fileMagic)+1:]...), "format version 9"},
		{"absurd costs", costly, "argon2id costs out of range"},
		{"too large", append([]byte(fileMagic), make([]byte, maxFileSize)...), "larger than 8 MiB"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := os.WriteFile(path, c.data, 0o600); err != nil {
				t.Fatal(err)
			}
			s := newTestFile(t, dir, testPass)
			_, err := s.Get(ctx, "k")
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("Get: %v\nwant an error naming %s and saying %q", err, path, c.want)
			}
			if !strings.Contains(err.Error(), "wrong passphrase") && !strings.Contains(err.Error(), "delete it (rm "+path+")") {
				t.Errorf("the error does not say what to do: %v", err)
			}
			if err := s.Set(ctx, "k", []byte("new")); err == nil {
				t.Fatal("Set over a damaged vault succeeded")
			}
			if now, _ := os.ReadFile(path); !bytes.Equal(now, c.data) {
				t.Fatal("a refused Set changed the damaged file")
			}
		})
	}
}

func TestFilePassphraseSources(t *testing.T) {
	ctx := context.Background()

	t.Run("none", func(t *testing.T) {
		s, err := NewFile(t.TempDir(), cheapKDF, envWith(nil), nil)
		if err != nil {
			t.Fatal(err)
		}
		err = s.Set(ctx, "k", []byte("v"))
		if err == nil || !strings.Contains(err.Error(), "set KEYWARD_VAULT_PASSPHRASE or run keyward in a terminal") {
			t.Fatalf("Set with no passphrase source: %v", err)
		}
		// Reading an absent vault needs no passphrase.
		if _, err := s.Get(ctx, "k"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Get on an absent vault: %v", err)
		}
	})

	t.Run("prompt", func(t *testing.T) {
		dir := t.TempDir()
		var asked []string
		answers := []string{"pw1", "pw1"}
		prompt := func(q string) (string, error) {
			asked = append(asked, q)
			a := answers[0]
			answers = answers[1:]
			return a, nil
		}
		s, err := NewFile(dir, cheapKDF, envWith(nil), prompt)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if err := s.Set(ctx, fmt.Sprint("k", i), []byte("v")); err != nil {
				t.Fatal(err)
			}
		}
		if len(asked) != 2 || !strings.Contains(asked[0], filepath.Join(dir, "vault")) || !strings.Contains(asked[1], "Repeat") {
			t.Fatalf("a new vault should ask for its passphrase twice, once: asked %q", asked)
		}
		// The environment opens what the prompt created.
		if v, err := newTestFile(t, dir, "pw1").Get(ctx, "k2"); err != nil || string(v) != "v" {
			t.Fatalf("Get with the passphrase from the environment: %q, %v", v, err)
		}
	})

	t.Run("mismatch", func(t *testing.T) {
		dir := t.TempDir()
		answers := []string{"one", "two"}
		prompt := func(string) (string, error) { a := answers[0]; answers = answers[1:]; return a, nil }
		s, _ := NewFile(dir, cheapKDF, envWith(nil), prompt)
		if err := s.Set(ctx, "k", []byte("v")); err == nil || !strings.Contains(err.Error(), "differ") {
			t.Fatalf("Set with two different passphrases: %v", err)
		}
		if _, err := os.Stat(filepath.Join(dir, "vault")); !errors.Is(err, os.ErrNotExist) {
			t.Fatal("a vault was written after a passphrase mismatch")
		}
	})

	t.Run("prompt fails", func(t *testing.T) {
		dir := t.TempDir()
		if err := newTestFile(t, dir, testPass).Set(ctx, "k", []byte("v")); err != nil {
			t.Fatal(err)
		}
		s, _ := NewFile(dir, cheapKDF, envWith(nil), func(string) (string, error) { return "", errors.New("not a terminal") })
		_, err := s.Get(ctx, "k")
		if err == nil || !strings.Contains(err.Error(), "not a terminal") || !strings.Contains(err.Error(), PassphraseEnv) {
			t.Fatalf("Get when the prompt fails: %v", err)
		}
	})
}

// Writers with their own stores (as separate processes have) never lose
// each other's keys.
func TestFileConcurrentWritersKeepEveryKey(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	const writers, each = 8, 5
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := newTestFile(t, dir, testPass)
			for i := range each {
				if err := s.Set(ctx, fmt.Sprintf("w%d/k%d", w, i), []byte(fmt.Sprint(w*100+i))); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	s := newTestFile(t, dir, testPass)
	for w := range writers {
		for i := range each {
			v, err := s.Get(ctx, fmt.Sprintf("w%d/k%d", w, i))
			if err != nil || string(v) != fmt.Sprint(w*100+i) {
				t.Errorf("w%d/k%d = %q, %v", w, i, v, err)
			}
		}
	}
}

func TestNewFileRejectsBadCosts(t *testing.T) {
	if _, err := NewFile(t.TempDir(), KDFParams{Time: 1, MemoryKiB: 2 << 20, Threads: 1}, nil, nil); err == nil {
		t.Fatal("NewFile accepted 2 GiB of argon2id memory")
	}
	if _, err := NewFile("", cheapKDF, nil, nil); err == nil {
		t.Fatal("NewFile accepted an empty directory")
	}
}

// A caller's key named like the file's own lock does not deadlock Refresh.
func TestRefreshOfKeyNamedLikeTheFileLock(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	dir := t.TempDir()
	s := newTestFile(t, dir, testPass)
	v, err := Refresh(ctx, s, dir, "vault-file", func([]byte) bool { return false },
		func(context.Context) ([]byte, error) { return []byte("x"), nil })
	if err != nil || string(v) != "x" {
		t.Fatalf("Refresh = %q, %v", v, err)
	}
}

// Secrets never reach a process list: the package runs no programs (on
// macOS go-keyring's /usr/bin/security gets them on stdin).
func TestRunsNoSubprocesses(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if imp.Path.Value == `"os/exec"` {
				t.Errorf("%s imports os/exec", name)
			}
		}
	}
}
