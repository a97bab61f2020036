package awsproxy_test

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/awsproxy"
)

// startProxy runs a proxy on loopback whose tunnels are answered by a
// handler that echoes the request's host; it returns the proxy's address
// and the certificate pool that trusts its certificates.
func startProxy(t *testing.T) (string, *x509.CertPool) {
	t.Helper()
	cert, pool := selfSigned(t, "sts.amazonaws.com", "iam.amazonaws.com")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := awsproxy.New(awsproxy.Config{Allow: awsproxy.Allowed, Log: slog.New(slog.DiscardHandler),
		Certificate: func(string) (*tls.Certificate, error) { return cert, nil }}, l.Addr())
	front := p.Server()
	back := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s %s tls=%v", r.Method, r.Host, r.TLS != nil)
	})}
	go front.Serve(l)
	go back.Serve(p.Tunnels())
	t.Cleanup(func() { front.Close(); back.Close() })
	return l.Addr().String(), pool
}

func selfSigned(t *testing.T, names ...string) (*tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: names[0]}, DNSNames: names,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

func TestAGoClientBehindTheProxyReachesTheTunnelsHandlerOverTLS(t *testing.T) {
	addr, pool := startProxy(t)
	proxy, _ := url.Parse("http://" + addr)
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{Proxy: http.ProxyURL(proxy),
		TLSClientConfig: &tls.Config{RootCAs: pool}}}
	for _, u := range []string{"https://sts.amazonaws.com/", "https://iam.amazonaws.com/"} {
		resp, err := c.Post(u, "application/x-www-form-urlencoded", strings.NewReader("Action=GetCallerIdentity"))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		want := "POST " + strings.TrimSuffix(strings.TrimPrefix(u, "https://"), "/") + " tls=true"
		if string(body) != want {
			t.Errorf("%s answered %q, want %q", u, body, want)
		}
	}
}

// rawRequest sends head to the proxy and returns the status line.
func rawRequest(t *testing.T, addr, head string) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, head); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		t.Fatalf("no answer to %q: %v", head, err)
	}
	return strings.TrimSpace(line)
}

func TestTheProxyRefusesEverythingButConnectToAnAWSHostAndDialsNothing(t *testing.T) {
	addr, _ := startProxy(t)
	// A service on loopback that the proxy must never reach.
	victim, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dialled := make(chan struct{}, 1)
	go func() {
		if c, err := victim.Accept(); err == nil {
			dialled <- struct{}{}
			c.Close()
		}
	}()
	t.Cleanup(func() { victim.Close() })
	connect := func(target string) string {
		return "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n"
	}
	// connectTo sends a well-formed Host header beside target.
	connectTo := func(target string) string {
		return "CONNECT " + target + " HTTP/1.1\r\nHost: sts.amazonaws.com:443\r\n\r\n"
	}
	tests := []struct{ name, head, want string }{
		{"a CONNECT to example.com is forbidden", connect("example.com:443"), "HTTP/1.1 403 Forbidden"},
		{"a CONNECT to a loopback service is forbidden", connect(victim.Addr().String()), "HTTP/1.1 403 Forbidden"},
		{"a CONNECT to 127.0.0.1:22 is forbidden", connect("127.0.0.1:22"), "HTTP/1.1 403 Forbidden"},
		{"a CONNECT to the metadata address is forbidden", connect("169.254.169.254:80"), "HTTP/1.1 403 Forbidden"},
		{"a CONNECT to STS on port 80 is forbidden", connect("sts.amazonaws.com:80"), "HTTP/1.1 403 Forbidden"},
		{"a CONNECT without a port is a bad request", connect("sts.amazonaws.com"), "HTTP/1.1 400 Bad Request"},
		{"a plain GET is not allowed", "GET / HTTP/1.1\r\nHost: sts.amazonaws.com\r\n\r\n", "HTTP/1.1 405 Method Not Allowed"},
		{"an absolute-form proxy GET is not allowed", "GET http://169.254.169.254/latest/meta-data/ HTTP/1.1\r\nHost: 169.254.169.254\r\n\r\n",
			"HTTP/1.1 405 Method Not Allowed"},
		{"an oversized request head is refused", connect("sts.amazonaws.com:443")[:len(connect("sts.amazonaws.com:443"))-2] +
			"X-Pad: " + strings.Repeat("a", 16<<10) + "\r\n\r\n", "HTTP/1.1 431 Request Header Fields Too Large"},
		{"garbage is a bad request", "\x16\x03\x01 hello\r\n\r\n", "HTTP/1.1 400 Bad Request"},
		// The request-target decides, never the Host header, and it must
		// be authority-form host:port (RFC 9110 §9.3.6).
		{"a CONNECT to a path is a bad request whatever its Host", "CONNECT /x HTTP/1.1\r\nHost: sts.amazonaws.com:443\r\n\r\n",
			"HTTP/1.1 400 Bad Request"},
		{"a CONNECT target with userinfo is a bad request", connectTo("user@sts.amazonaws.com:443"), "HTTP/1.1 400 Bad Request"},
		{"a CONNECT target with a path is a bad request", connectTo("sts.amazonaws.com:443/x"), "HTTP/1.1 400 Bad Request"},
		{"a CONNECT to a non-ASCII look-alike of IAM is a bad request", connectTo("\u0130am.amazonaws.com:443"), "HTTP/1.1 400 Bad Request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rawRequest(t, addr, tt.head); got != tt.want {
				t.Errorf("answer %q, want %q", got, tt.want)
			}
		})
	}
	select {
	case <-dialled:
		t.Error("the proxy connected to the loopback service")
	case <-time.After(100 * time.Millisecond):
	}
}

func TestAnAcceptedConnectIsAnsweredWith200(t *testing.T) {
	addr, _ := startProxy(t)
	if got := rawRequest(t, addr, "CONNECT sts.amazonaws.com:443 HTTP/1.1\r\nHost: sts.amazonaws.com:443\r\n\r\n"); got != "HTTP/1.1 200 Connection established" {
		t.Errorf("answer %q, want 200 Connection established", got)
	}
}
