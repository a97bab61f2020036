package cli

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"io"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/app"
	"github.com/keyward/keyward/internal/config"
)

func TestCAExportPrintsTheCAServeUses(t *testing.T) {
	dir := served(t)
	env := map[string]string{"KEYWARD_DATA_DIR": dir}
	code, out, errOut := run(t, "", env, "admin", "ca", "export")
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	block, rest := pem.Decode([]byte(out))
	if block == nil || len(rest) != 0 {
		t.Fatalf("export printed %q, want one PEM certificate", out)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil || !cert.IsCA {
		t.Fatalf("export printed a certificate that is not a CA (%v)", err)
	}
	_, again, _ := run(t, "", env, "admin", "ca", "export")
	if again != out {
		t.Error("a second export printed another CA")
	}

	cfg := config.Default()
	cfg.DataDir, cfg.AWS.Addr, cfg.IdP.Addr, cfg.AWS.TLS.Mode = dir, "127.0.0.1:0", "", config.TLSLocalCA
	m, err := app.New(context.Background(), cfg, app.Options{Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if string(m.CAPEM()) != out {
		t.Error("serve uses another CA than the one export printed")
	}
}

func TestCAExportRefusesADataDirectoryWithNoKeyward(t *testing.T) {
	code, _, errOut := run(t, "", map[string]string{"KEYWARD_DATA_DIR": t.TempDir()}, "admin", "ca", "export")
	if code == 0 {
		t.Fatal("export succeeded on an empty data directory")
	}
	if want := "no keyward database"; !strings.Contains(errOut, want) {
		t.Errorf("error %q does not say %q", errOut, want)
	}
}
