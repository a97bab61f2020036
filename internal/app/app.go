// Package app wires keyward together: configuration, store, keys, services,
// pages and the HTTP listener. Main is what `keyward serve` runs and what
// end-to-end tests start on port 0. It holds no protocol or business logic.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"time"

	"github.com/keyward/keyward/internal/authn/password"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/config"
	"github.com/keyward/keyward/internal/idp/scimclient"
	"github.com/keyward/keyward/internal/store"
)

// Main is a running keyward.
type Main struct {
	Config config.Config
	Store  store.AWS
	HTTP   *http.Server // the AWS endpoint
	// IdP is the identity provider's view of the store and IdPHTTP its org
	// URL's server; both are nil when the identity provider is off.
	IdP     store.IdP
	IdPHTTP *http.Server
	// Provisioning pushes the identity provider's people and groups to
	// its apps' SCIM targets; nil when the identity provider is off.
	Provisioning *scimclient.Engine
	// OrgURL is the identity provider's public org URL.
	OrgURL string
	// Metrics serves /metrics on its own listener when --metrics-addr is
	// set; otherwise it is nil and the AWS endpoint serves /metrics.
	Metrics *http.Server
	// AWSURL is the AWS endpoint's public URL (known after listening, so
	// port 0 works) and StartURL the access portal's.
	AWSURL   string
	StartURL string
	// ProxyURL is the HTTPS proxy mode's URL (HTTPS_PROXY for clients
	// that cannot be pointed at keyward), or "" when it is off.
	ProxyURL string
	Log      *slog.Logger
	tlsState

	listener        net.Listener
	idpListener     net.Listener
	metricsListener net.Listener
	lock            *os.File // held on a SQLite data directory while serving
	clock           clock.Clock
	random          io.Reader
}

// Options carry what tests inject; the zero value is production.
type Options struct {
	Clock  clock.Clock
	Random io.Reader
	Log    io.Writer
	// PasswordParams overrides argon2id costs (tests use cheap ones).
	PasswordParams *password.Params
	// WebIdentityDial, if set, connects to OIDC issuers for STS's
	// AssumeRoleWithWebIdentity (tests route an issuer's host to a test
	// server); nil dials the network.
	WebIdentityDial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// New listens, opens the store, bootstraps a fresh data directory or
// database, and builds every service (but does not serve: call Run). The
// listener comes first so that a busy port leaves nothing half-made.
func New(ctx context.Context, cfg config.Config, opt Options) (*Main, error) {
	m := &Main{Config: cfg, clock: opt.Clock, random: opt.Random}
	if m.clock == nil {
		m.clock = clock.Real{}
	}
	if m.random == nil {
		m.random = clock.Random
	}
	m.Log = newLogger(cfg.Log, opt.Log)
	if err := m.listen(); err != nil {
		return nil, err
	}
	if err := m.open(ctx, opt); err != nil {
		m.Close()
		return nil, err
	}
	return m, nil
}

// open makes the data directory, opens the store and the master key, and
// builds the services.
func (m *Main) open(ctx context.Context, opt Options) error {
	if err := os.MkdirAll(m.Config.DataDir, 0o700); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	var err error
	if !m.Config.Store.IsPostgres() {
		if m.lock, err = lockDataDir(m.Config.DataDir); err != nil {
			return err
		}
	}
	if m.Store, err = OpenStore(ctx, m.Config, m.clock); err != nil {
		return err
	}
	master, err := masterKey(ctx, m.Config, m.Store, m.random)
	if err != nil {
		return err
	}
	m.warnIfOthersRead(m.Config.MasterKeyPath())
	if err := m.build(ctx, master, opt); err != nil {
		return err
	}
	return m.setUpTLS(ctx, master)
}

// NewHasher returns the password hasher, bounded to one hash per CPU.
func NewHasher(p *password.Params, random io.Reader) *password.Hasher {
	params := password.DefaultParams
	if p != nil {
		params = *p
	}
	return password.NewHasher(params, runtime.NumCPU(), random)
}

// listen binds every configured address, or none.
func (m *Main) listen() error {
	var err error
	if a := m.Config.AWS.Addr; a != "" {
		if m.listener, err = net.Listen("tcp", a); err != nil {
			return fmt.Errorf("listen on %s: %w", a, err)
		}
		m.AWSURL = m.Config.AWS.URL
		if m.AWSURL == "" {
			m.AWSURL = scheme(m.Config.AWS.TLS) + m.listener.Addr().String()
		}
		m.AWSURL = trimSlash(m.AWSURL)
		m.StartURL = m.AWSURL + "/start"
	}
	if a := m.Config.IdP.Addr; a != "" {
		if m.idpListener, err = net.Listen("tcp", a); err != nil {
			m.closeListeners()
			return fmt.Errorf("listen on %s (identity provider): %w", a, err)
		}
		m.OrgURL = m.Config.IdP.URL
		if m.OrgURL == "" {
			m.OrgURL = scheme(m.Config.IdP.TLS) + m.idpListener.Addr().String()
		}
		m.OrgURL = trimSlash(m.OrgURL)
	}
	if a := m.Config.Metrics.Addr; a != "" {
		if m.metricsListener, err = net.Listen("tcp", a); err != nil {
			m.closeListeners()
			return fmt.Errorf("listen on %s (metrics): %w", a, err)
		}
	}
	if err := m.listenProxy(); err != nil {
		m.closeListeners()
		return err
	}
	return nil
}

func trimSlash(s string) string {
	for len(s) > 0 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}

func (m *Main) closeListeners() {
	for _, l := range []net.Listener{m.listener, m.idpListener, m.metricsListener, m.proxyListener} {
		if l != nil {
			l.Close()
		}
	}
}

// IdPAddr is the address the identity provider listens on, or "".
func (m *Main) IdPAddr() string {
	if m.idpListener == nil {
		return ""
	}
	return m.idpListener.Addr().String()
}

// Addr is the address the AWS endpoint listens on, or "".
func (m *Main) Addr() string {
	if m.listener == nil {
		return ""
	}
	return m.listener.Addr().String()
}

// MetricsAddr is the address /metrics listens on by itself, or "".
func (m *Main) MetricsAddr() string {
	if m.metricsListener == nil {
		return ""
	}
	return m.metricsListener.Addr().String()
}

// served is one server on its listener.
type served struct {
	srv *http.Server
	l   net.Listener
}

func (m *Main) served() []served {
	var out []served
	if m.HTTP != nil {
		out = append(out, served{m.HTTP, m.listener})
	}
	if m.IdPHTTP != nil {
		out = append(out, served{m.IdPHTTP, m.idpListener})
	}
	if m.Metrics != nil {
		out = append(out, served{m.Metrics, m.metricsListener})
	}
	if m.proxyHTTP != nil {
		out = append(out, served{m.proxyHTTP, m.proxyListener}, served{m.tunnelHTTP, m.tunnels})
	}
	return out
}

// Run serves until ctx ends or a server stops, then shuts every server down
// gracefully.
func (m *Main) Run(ctx context.Context) error {
	hkCtx, stopHousekeeping := context.WithCancel(ctx)
	hkDone := make(chan struct{})
	go func() { m.housekeep(hkCtx); close(hkDone) }()
	defer func() { stopHousekeeping(); <-hkDone }()
	if m.Provisioning != nil {
		provDone := make(chan struct{})
		go func() { m.provision(hkCtx); close(provDone) }()
		defer func() { stopHousekeeping(); <-provDone }()
	}
	all := m.served()
	errc := make(chan error, len(all))
	for _, s := range all {
		go func() { errc <- s.srv.Serve(s.l) }()
	}
	m.Log.Info("keyward is serving", "aws_endpoint", m.AWSURL, "start_url", m.StartURL, "org_url", m.OrgURL,
		"https_proxy", m.ProxyURL, "metrics", m.MetricsAddr(), "store", m.storeName(), "data_dir", m.Config.DataDir)
	select {
	case err := <-errc: // stopped from outside (Shutdown) or failed
		m.shutdown()
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
		m.Log.Info("shutting down")
		return m.shutdown()
	}
}

// shutdown lets requests in flight finish for up to 10 seconds.
func (m *Main) shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var errs []error
	for _, s := range m.served() {
		errs = append(errs, s.srv.Shutdown(ctx))
	}
	return errors.Join(errs...)
}

// storeName says which store serves, never its URL (which may hold a
// password).
func (m *Main) storeName() string {
	if m.Config.Store.IsPostgres() {
		return "postgres"
	}
	return "sqlite"
}

// Close releases the listener, the store and the data directory's lock.
func (m *Main) Close() error {
	m.closeListeners()
	var err error
	if m.Store != nil {
		err = m.Store.Close()
	}
	if m.lock != nil {
		m.lock.Close() // after the store: the lock guards the database
	}
	return err
}
