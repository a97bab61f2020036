package awsproxy

import (
	"bufio"
	"crypto/tls"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Config is what a Proxy needs.
type Config struct {
	// Allow decides which targets (as Target returns them) are
	// tunnelled; Allowed in production.
	Allow func(host, port string) bool
	// Certificate returns the server certificate to present for host.
	Certificate func(host string) (*tls.Certificate, error)
	Log         *slog.Logger
}

// Proxy accepts CONNECT requests for allowed hosts, answers 200, and
// queues the client's side of the tunnel, wrapped in TLS with a
// certificate for the host, on Tunnels. Serve Tunnels with the handler
// that answers those hosts (the AWS side's http.Server).
type Proxy struct {
	cfg     Config
	tunnels *tunnelListener
}

// New returns a proxy; addr is the address its CONNECT listener listens
// on (what Tunnels reports as its own address).
func New(cfg Config, addr net.Addr) *Proxy {
	return &Proxy{cfg: cfg, tunnels: newTunnelListener(addr)}
}

// Tunnels is the listener of TLS connections arriving through accepted
// tunnels. Closing it makes later CONNECTs fail with 503.
func (p *Proxy) Tunnels() net.Listener { return p.tunnels }

// Server is the http.Server for the CONNECT listener: small bounded
// request heads, short timeouts, and HTTP/1.1 only (a CONNECT is hijacked).
func (p *Proxy) Server() *http.Server {
	return &http.Server{
		Handler:           p,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       30 * time.Second,
		MaxHeaderBytes:    MaxHeaderBytes,
	}
}

// MaxHeaderBytes bounds a CONNECT request's head (net/http adds 4 KiB of
// slack); a client's CONNECT is a few hundred bytes.
const MaxHeaderBytes = 8 << 10

// ServeHTTP answers one request on the CONNECT listener.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodConnect {
		w.Header().Set("Allow", http.MethodConnect)
		http.Error(w, "keyward's HTTPS proxy only tunnels CONNECT host:443 to the AWS host names it serves; "+
			"send other requests to keyward's endpoints directly", http.StatusMethodNotAllowed)
		return
	}
	// The request-target itself: net/http takes r.Host from the Host
	// header when the target is not authority-form, and drops userinfo.
	host, port, err := Target(r.RequestURI)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if !p.cfg.Allow(host, port) {
		p.cfg.Log.Warn("https proxy refused a CONNECT", "host", host, "port", port, "client", r.RemoteAddr)
		http.Error(w, "keyward's HTTPS proxy tunnels only the AWS host names keyward serves, on port 443; "+
			"connect to "+net.JoinHostPort(host, port)+" directly (NO_PROXY) or not at all", http.StatusForbidden)
		return
	}
	cert, err := p.cfg.Certificate(host)
	if err != nil {
		p.cfg.Log.Error("https proxy has no certificate", "host", host, "err", err)
		http.Error(w, "keyward could not issue a certificate for "+host, http.StatusInternalServerError)
		return
	}
	p.tunnel(w, host, cert)
}

// tunnel answers 200 and queues the client's connection, in TLS.
func (p *Proxy) tunnel(w http.ResponseWriter, host string, cert *tls.Certificate) {
	if p.tunnels.isClosed() {
		http.Error(w, "keyward is shutting down", http.StatusServiceUnavailable)
		return
	}
	conn, brw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "this connection cannot be tunnelled", http.StatusInternalServerError)
		return
	}
	if _, err := brw.WriteString("HTTP/1.1 200 Connection established\r\n\r\n"); err != nil || brw.Flush() != nil {
		conn.Close()
		return
	}
	_ = conn.SetDeadline(time.Time{}) // the tunnel's server sets its own
	tc := tls.Server(&bufferedConn{Conn: conn, r: brw.Reader}, &tls.Config{
		Certificates: []tls.Certificate{*cert},
		NextProtos:   []string{"http/1.1"},
		MinVersion:   tls.VersionTLS12,
	})
	if !p.tunnels.push(tc) {
		conn.Close()
	}
	p.cfg.Log.Debug("https proxy tunnel", "host", host)
}

// bufferedConn reads what the CONNECT's reader already buffered (a client
// may send its TLS hello without waiting for the 200) before the
// connection itself.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufferedConn) Read(b []byte) (int, error) { return c.r.Read(b) }
