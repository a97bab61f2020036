package vault

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The helper process for TestRefreshAcrossProcesses: one keyward process
// that finds the token stale and refreshes it.
func TestRefreshHelperProcess(t *testing.T) {
	if os.Getenv(helperEnv) != "refresh" {
		t.Skip("helper process for TestRefreshAcrossProcesses")
	}
	dir := os.Getenv("KEYWARD_VAULT_TEST_DIR")
	s, err := NewFile(dir, cheapKDF, nil, nil) // passphrase from the environment
	if err != nil {
		t.Fatal(err)
	}
	// Start together: wait for the parent's go-ahead.
	for {
		if _, err := os.Stat(filepath.Join(dir, "go")); err == nil {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	v, err := Refresh(ctx, s, dir, "sso/token", func(v []byte) bool { return string(v) == "fresh" },
		func(context.Context) ([]byte, error) {
			f, err := os.OpenFile(filepath.Join(dir, "fetches"), os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
			if err != nil {
				return nil, err
			}
			fmt.Fprintln(f, os.Getpid())
			f.Close()
			time.Sleep(300 * time.Millisecond) // a slow token endpoint
			return []byte("fresh"), nil
		})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("value=%s\n", v)
}

func TestRefreshAcrossProcesses(t *testing.T) {
	const n = 20
	ctx := context.Background()
	dir := t.TempDir()
	s := newTestFile(t, dir, testPass)
	if err := s.Set(ctx, "sso/token", []byte("stale")); err != nil {
		t.Fatal(err)
	}
	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	for range n {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRefreshHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), helperEnv+"=refresh", "KEYWARD_VAULT_TEST_DIR="+dir, PassphraseEnv+"="+testPass)
		out := new(bytes.Buffer)
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, out)
	}
	if err := os.WriteFile(filepath.Join(dir, "go"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("process %d: %v\n%s", i, err, outs[i])
		} else if !strings.Contains(outs[i].String(), "value=fresh\n") {
			t.Errorf("process %d did not get the fresh value:\n%s", i, outs[i])
		}
	}
	fetches, err := os.ReadFile(filepath.Join(dir, "fetches"))
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(string(fetches), "\n"); lines != 1 {
		t.Fatalf("%d processes refreshing a stale token fetched %d times, want 1:\n%s", n, lines, fetches)
	}
	if v, err := s.Get(ctx, "sso/token"); err != nil || string(v) != "fresh" {
		t.Fatalf("stored token = %q, %v", v, err)
	}
}

func TestRefreshInProcess(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := newTestFile(t, dir, testPass)
	fresh := func(v []byte) bool { return strings.HasPrefix(string(v), "fresh") }
	var fetches atomic.Int32
	fetch := func(context.Context) ([]byte, error) {
		n := fetches.Add(1)
		time.Sleep(50 * time.Millisecond)
		return fmt.Appendf(nil, "fresh-%d", n), nil
	}

	// Absent: fetched once, however many goroutines ask.
	var wg sync.WaitGroup
	got := make([]string, 16)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := Refresh(ctx, s, dir, "k", fresh, fetch)
			if err != nil {
				t.Error(err)
			}
			got[i] = string(v)
		}()
	}
	wg.Wait()
	if fetches.Load() != 1 {
		t.Fatalf("16 goroutines fetched %d times, want 1", fetches.Load())
	}
	for i, v := range got {
		if v != "fresh-1" {
			t.Fatalf("goroutine %d got %q", i, v)
		}
	}

	// Fresh: no fetch.
	if v, err := Refresh(ctx, s, dir, "k", fresh, fetch); err != nil || string(v) != "fresh-1" || fetches.Load() != 1 {
		t.Fatalf("Refresh of a fresh value = %q, %v after %d fetches", v, err, fetches.Load())
	}

	// A failing fetch stores nothing and says why.
	boom := errors.New("token endpoint said invalid_grant")
	if err := s.Set(ctx, "k", []byte("stale")); err != nil {
		t.Fatal(err)
	}
	_, err := Refresh(ctx, s, dir, "k", fresh, func(context.Context) ([]byte, error) { return nil, boom })
	if !errors.Is(err, boom) {
		t.Fatalf("Refresh with a failing fetch: %v", err)
	}
	if v, _ := s.Get(ctx, "k"); string(v) != "stale" {
		t.Fatalf("after a failed fetch the store holds %q", v)
	}
}

func TestLockWaitsAndHonoursContext(t *testing.T) {
	dir := t.TempDir()
	unlock, err := Lock(context.Background(), dir, "k")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := Lock(ctx, dir, "k"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Lock on a held key: %v, want the context's deadline", err)
	}
	// Another key is independent.
	u2, err := Lock(ctx, dir, "other")
	if err != nil {
		t.Fatalf("Lock on another key: %v", err)
	}
	u2()

	got := make(chan error, 1)
	go func() {
		u, err := Lock(context.Background(), dir, "k")
		if err == nil {
			u()
		}
		got <- err
	}()
	time.Sleep(20 * time.Millisecond)
	unlock()
	unlock() // twice is harmless
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Lock did not get the key after it was released")
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "locks"))
	for _, e := range entries {
		if !regexp.MustCompile(`^[0-9a-f]{32}\.lock$`).MatchString(e.Name()) {
			t.Errorf("lock file %q is not named by a hash of its key", e.Name())
		}
		if fi, _ := e.Info(); fi.Mode().Perm() != 0o600 {
			t.Errorf("lock file %s mode %v, want 0600", e.Name(), fi.Mode().Perm())
		}
	}
}
