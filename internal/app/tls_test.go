package app

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/authn/password"
	"github.com/keyward/keyward/internal/config"
)

func TestLeafNames(t *testing.T) {
	tests := []struct {
		name, url, addr string
		want            []string
	}{
		{"a loopback listener adds localhost's names", "https://127.0.0.1:8080", "127.0.0.1:8080",
			[]string{"127.0.0.1", "localhost", "::1"}},
		{"a public host on all interfaces is named alone", "https://org.keyward.example", "0.0.0.0:443",
			[]string{"org.keyward.example"}},
		{"a public host on one address names that address too", "https://org.keyward.example:8443", "10.0.0.5:8443",
			[]string{"org.keyward.example", "10.0.0.5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, err := net.ResolveTCPAddr("tcp", tt.addr)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, leafNames(tt.url, addr)); diff != "" {
				t.Errorf("leafNames (-want +got):\n%s", diff)
			}
		})
	}
}

// writeKeyPair writes a self-signed certificate for 127.0.0.1 and its key
// as PEM files, as an operator's would be.
func writeKeyPair(t *testing.T) (certFile, keyFile string, roots *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "operator"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	p8, _ := x509.MarshalPKCS8PrivateKey(key)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "org.pem"), filepath.Join(dir, "org.key")
	must(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	must(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8}), 0o600))
	cert, _ := x509.ParseCertificate(der)
	roots = x509.NewCertPool()
	roots.AddCert(cert)
	return certFile, keyFile, roots
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// orgOnly is a configuration serving only the identity provider on
// loopback with the given TLS.
func orgOnly(t *testing.T, tlsCfg config.TLS) config.Config {
	cfg := config.Default()
	cfg.DataDir, cfg.AWS.Addr, cfg.IdP.Addr, cfg.IdP.TLS = t.TempDir(), "", "127.0.0.1:0", tlsCfg
	return cfg
}

func TestTheOrgURLServesTheOperatorsCertificate(t *testing.T) {
	certFile, keyFile, roots := writeKeyPair(t)
	ctx, cancel := context.WithCancel(context.Background())
	m, err := New(ctx, orgOnly(t, config.TLS{Mode: config.TLSFiles, CertFile: certFile, KeyFile: keyFile}),
		Options{Log: io.Discard, PasswordParams: &password.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; m.Close() })
	if !strings.HasPrefix(m.OrgURL, "https://") || m.CAPEM() != nil {
		t.Errorf("org URL %s with the local CA %q, want https and no CA", m.OrgURL, m.CAPEM())
	}
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	resp, err := c.Get(m.OrgURL + "/healthz")
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz over the operator's TLS: %d", resp.StatusCode)
	}
}

func TestAnUnreadableCertificateFileStopsTheStartNamingTheSettings(t *testing.T) {
	cfg := orgOnly(t, config.TLS{Mode: config.TLSFiles, CertFile: "/nonexistent/org.pem", KeyFile: "/nonexistent/org.key"})
	m, err := New(context.Background(), cfg, Options{Log: io.Discard})
	if err == nil {
		m.Close()
		t.Fatal("keyward started with certificate files that do not exist")
	}
	if !strings.Contains(err.Error(), "idp-tls-cert and idp-tls-key") {
		t.Errorf("error %q does not name the settings", err)
	}
}
