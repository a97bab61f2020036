package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/authn/password"
	"github.com/keyward/keyward/internal/config"
)

// startWithKeyMode starts keyward on a master key file of the given mode
// and returns what it logged.
func startWithKeyMode(t *testing.T, mode os.FileMode) string {
	t.Helper()
	cfg := orgOnly(t, config.TLS{})
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	must(t, os.WriteFile(filepath.Join(cfg.DataDir, "master.key"), key, 0o600))
	must(t, os.Chmod(filepath.Join(cfg.DataDir, "master.key"), mode))
	var logs bytes.Buffer
	m, err := New(context.Background(), cfg, Options{Log: &logs, PasswordParams: &password.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1}})
	must(t, err)
	m.Close()
	return logs.String()
}

func TestAMasterKeyOthersCanReadIsWarnedAbout(t *testing.T) {
	if out := startWithKeyMode(t, 0o644); !strings.Contains(out, "level=WARN") || !strings.Contains(out, "chmod 0600") {
		t.Errorf("a 0644 master key started without a warning:\n%s", out)
	}
	if out := startWithKeyMode(t, 0o600); strings.Contains(out, "chmod 0600") {
		t.Errorf("a 0600 master key was warned about:\n%s", out)
	}
}
