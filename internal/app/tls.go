package app

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/awsproxy"
	"github.com/keyward/keyward/internal/config"
	"github.com/keyward/keyward/internal/httpx"
	"github.com/keyward/keyward/internal/keys"
)

// tlsState is what TLS and the HTTPS proxy mode add to Main.
type tlsState struct {
	ca            *keys.CA // nil unless a listener or the proxy uses it
	awsMux        *http.ServeMux
	proxyListener net.Listener
	proxyHTTP     *http.Server // the CONNECT listener's server
	tunnelHTTP    *http.Server // the AWS endpoint, on the proxy's tunnels
	tunnels       net.Listener
}

// scheme is the scheme of a listener's default public URL.
func scheme(t config.TLS) string {
	if t.On() {
		return "https://"
	}
	return "http://"
}

// listenProxy binds the HTTPS proxy mode's address, if configured.
func (m *Main) listenProxy() error {
	a := m.Config.AWS.ProxyAddr
	if a == "" {
		return nil
	}
	var err error
	if m.proxyListener, err = net.Listen("tcp", a); err != nil {
		return fmt.Errorf("listen on %s (HTTPS proxy): %w", a, err)
	}
	m.ProxyURL = "http://" + m.proxyListener.Addr().String()
	return nil
}

// setUpTLS opens the local CA when something uses it, wraps the listeners
// that serve TLS, and builds the HTTPS proxy mode's two servers.
func (m *Main) setUpTLS(ctx context.Context, master []byte) error {
	if m.Config.UsesLocalCA() {
		b, ok := m.Store.(idpBackend)
		if !ok {
			return errors.New("this store cannot hold the local CA")
		}
		var err error
		if m.ca, err = keys.OpenCA(ctx, master, keys.CAConfig{Store: b.IdP(), Clock: m.clock, Random: m.random}); err != nil {
			return err
		}
	}
	var err error
	if m.idpListener, err = m.wrapTLS("idp", m.idpListener, m.Config.IdP.TLS, m.OrgURL); err != nil {
		return err
	}
	if m.listener, err = m.wrapTLS("aws", m.listener, m.Config.AWS.TLS, m.AWSURL); err != nil {
		return err
	}
	if m.proxyListener != nil && m.awsMux != nil {
		p := awsproxy.New(awsproxy.Config{Allow: awsproxy.Allowed, Log: m.Log,
			Certificate: func(host string) (*tls.Certificate, error) { return m.ca.Leaf(host) }}, m.proxyListener.Addr())
		m.proxyHTTP = p.Server()
		m.tunnelHTTP = m.server(m.awsMux, protocol.WithRequestID, httpx.Framing)
		m.tunnels = p.Tunnels()
	}
	return nil
}

// wrapTLS wraps l in TLS as t says; side names the settings in errors.
func (m *Main) wrapTLS(side string, l net.Listener, t config.TLS, publicURL string) (net.Listener, error) {
	if l == nil || !t.On() {
		return l, nil
	}
	cfg := &tls.Config{NextProtos: []string{"http/1.1"}, MinVersion: tls.VersionTLS12}
	if t.Mode == config.TLSFiles {
		cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("%s-tls-cert and %s-tls-key: %w", side, side, err)
		}
		cfg.Certificates = []tls.Certificate{cert}
		return tls.NewListener(l, cfg), nil
	}
	names := leafNames(publicURL, l.Addr())
	if _, err := m.ca.Leaf(names...); err != nil {
		return nil, err
	}
	cfg.GetCertificate = func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
		if sni := strings.ToLower(hello.ServerName); side == "aws" && awsproxy.Allowed(sni, "443") {
			return m.ca.Leaf(sni) // a client sent here by an /etc/hosts entry
		}
		return m.ca.Leaf(names...)
	}
	return tls.NewListener(l, cfg), nil
}

// leafNames are the names a listener's certificate from the local CA
// carries: its public URL's host, the address it listens on unless that
// is unspecified, and localhost's names when one of them is loopback.
func leafNames(publicURL string, addr net.Addr) []string {
	var names []string
	if u, err := url.Parse(publicURL); err == nil && u.Hostname() != "" {
		names = append(names, u.Hostname())
	}
	if ta, ok := addr.(*net.TCPAddr); ok && !ta.IP.IsUnspecified() {
		names = append(names, ta.IP.String())
	}
	if slices.ContainsFunc(names, isLoopback) {
		names = append(names, "localhost", "127.0.0.1", "::1")
	}
	var out []string
	for _, n := range names {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func isLoopback(name string) bool {
	ip := net.ParseIP(name)
	return name == "localhost" || ip != nil && ip.IsLoopback()
}

// CAPEM is the local CA's certificate in PEM, or nil when nothing uses it.
func (m *Main) CAPEM() []byte {
	if m.ca == nil {
		return nil
	}
	return m.ca.PEM()
}

// ProxyAddr is the address the HTTPS proxy mode listens on, or "".
func (m *Main) ProxyAddr() string {
	if m.proxyListener == nil {
		return ""
	}
	return m.proxyListener.Addr().String()
}
