package webidentity

import (
	"context"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/keyward/keyward/internal/clock"
)

// Defaults of a Fetcher.
const (
	DefaultTTL     = time.Hour
	DefaultTimeout = 5 * time.Second
	// minRefresh is how soon a token naming an unknown key may make us
	// fetch the key set again (the issuer rotated its keys): at most once
	// a minute per issuer, so that made-up key ids cost no traffic.
	minRefresh = time.Minute
	maxCached  = 1024
	// FailureBackoff is how long a failed fetch's error is answered
	// without asking the issuer again: tokens are unauthenticated, so
	// they must not each cost a fetch while the issuer is down.
	FailureBackoff = 5 * time.Second
)

// Why a key set could not be fetched: the issuer's certificate is not
// trusted, or the issuer could not be reached at all (a network error or
// the timeout). Other failures (an error status, a malformed document) are
// neither.
var (
	ErrUntrusted   = errors.New("webidentity: the issuer's certificate is not trusted and its thumbprint is not registered")
	ErrUnreachable = errors.New("webidentity: the issuer could not be reached")
)

// Fetcher gets issuers' key sets over HTTPS and keeps them for TTL. A
// connection is trusted when its chain verifies against the system roots
// (or Roots) for the issuer's host, or when the SHA-1 thumbprint of the
// top certificate the server sends (its root or top intermediate, as AWS
// computes it) is registered with the provider and the chain verifies up
// to that certificate.
type Fetcher struct {
	Clock   clock.Clock
	TTL     time.Duration // DefaultTTL when zero
	Timeout time.Duration // DefaultTimeout when zero
	// Roots replaces the system roots; nil uses them.
	Roots *x509.CertPool
	// DialContext replaces the network dialer; tests route an issuer's
	// host to a test server with it.
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)

	mu    sync.Mutex
	cache map[string]cached
	// flight makes the tokens that arrive while an issuer's keys are being
	// fetched wait for that one fetch instead of each starting their own.
	flight singleflight.Group
}

type cached struct {
	set     KeySet
	fetched time.Time // zero when no fetch succeeded
	// failed is when the last fetch failed, with err; zero after a success.
	failed time.Time
	err    error
}

// Keys returns the issuer's key set, fetched or cached. With kid set and
// absent from a cached set, the set is fetched again unless it was
// fetched within the last minute. A failed fetch's error is answered
// again for FailureBackoff. Concurrent callers share one fetch.
func (f *Fetcher) Keys(ctx context.Context, issuer string, thumbprints []string, kid string) (KeySet, error) {
	key := issuer + "|" + strings.ToLower(strings.Join(thumbprints, ","))
	now := f.Clock.Now()
	f.mu.Lock()
	c, ok := f.cache[key]
	f.mu.Unlock()
	fresh := ok && !c.fetched.IsZero() && now.Sub(c.fetched) < cmpOr(f.TTL, DefaultTTL)
	if fresh && (kid == "" || c.set.has(kid) || now.Sub(c.fetched) < minRefresh) {
		return c.set, nil
	}
	if ok && c.err != nil && now.Sub(c.failed) < FailureBackoff {
		return KeySet{}, c.err
	}
	v, err, _ := f.flight.Do(key, func() (any, error) {
		// Not the first caller's context: the others wait on this fetch
		// too, and it has its own timeout.
		set, err := f.fetch(context.WithoutCancel(ctx), issuer, thumbprints)
		if err != nil {
			c.failed, c.err = now, err
		} else {
			c = cached{set: set, fetched: now}
		}
		f.mu.Lock()
		if f.cache == nil || len(f.cache) >= maxCached {
			f.cache = map[string]cached{}
		}
		f.cache[key] = c
		f.mu.Unlock()
		return set, err
	})
	return v.(KeySet), err
}

func cmpOr(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// fetch reads the discovery document, then the key set it points to.
func (f *Fetcher) fetch(ctx context.Context, issuer string, thumbprints []string) (KeySet, error) {
	ctx, cancel := context.WithTimeout(ctx, cmpOr(f.Timeout, DefaultTimeout))
	defer cancel()
	client := f.client(thumbprints)
	// Each fetch has its own transport: close what it keeps, or every
	// fetch leaves a connection and its goroutines behind.
	defer client.CloseIdleConnections()
	body, err := get(ctx, client, strings.TrimSuffix(issuer, "/")+"/.well-known/openid-configuration", MaxDiscoverySize)
	if err != nil {
		return KeySet{}, err
	}
	var doc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return KeySet{}, errors.New("webidentity: the discovery document is not JSON")
	}
	if strings.TrimSuffix(doc.Issuer, "/") != strings.TrimSuffix(issuer, "/") || !strings.HasPrefix(doc.JWKSURI, "https://") {
		return KeySet{}, fmt.Errorf("webidentity: the discovery document names issuer %.200q and keys at %.200q", doc.Issuer, doc.JWKSURI)
	}
	body, err = get(ctx, client, doc.JWKSURI, MaxJWKSSize)
	if err != nil {
		return KeySet{}, err
	}
	return ParseJWKS(body)
}

// get reads an https URL's 200 answer of at most limit bytes.
func get(ctx context.Context, client *http.Client, url string, limit int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if errors.Is(err, ErrUntrusted) {
		return nil, ErrUntrusted
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnreachable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("webidentity: %s answered %s", url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("webidentity: %s answered more than %d bytes", url, limit)
	}
	return body, nil
}

// client is an HTTPS-only client trusting the system roots or the
// thumbprints; it follows no redirect off https.
func (f *Fetcher) client(thumbprints []string) *http.Client {
	tr := &http.Transport{DialContext: f.DialContext, ForceAttemptHTTP2: true, TLSClientConfig: &tls.Config{
		MinVersion: tls.VersionTLS12,
		// The default verification is replaced, not skipped: VerifyConnection
		// checks the chain and host against the roots or a thumbprint.
		InsecureSkipVerify: true, //nolint:gosec
		VerifyConnection:   verifyConnection(f.Roots, thumbprints),
	}}
	return &http.Client{Transport: tr, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != "https" || len(via) >= 3 {
			return errors.New("webidentity: redirect refused")
		}
		return nil
	}}
}

// verifyConnection trusts a chain valid for the host under roots (nil: the
// system's), or one that is valid up to a top certificate whose SHA-1
// thumbprint is listed.
func verifyConnection(roots *x509.CertPool, thumbprints []string) func(tls.ConnectionState) error {
	return func(cs tls.ConnectionState) error {
		certs := cs.PeerCertificates
		if len(certs) == 0 {
			return errors.New("webidentity: the issuer sent no certificate")
		}
		inter := x509.NewCertPool()
		for _, c := range certs[1:] {
			inter.AddCert(c)
		}
		opts := x509.VerifyOptions{DNSName: cs.ServerName, Roots: roots, Intermediates: inter}
		if _, err := certs[0].Verify(opts); err == nil {
			return nil
		}
		top := certs[len(certs)-1]
		sum := sha1.Sum(top.Raw)
		if !slices.ContainsFunc(thumbprints, func(t string) bool { return strings.EqualFold(t, hex.EncodeToString(sum[:])) }) {
			return ErrUntrusted
		}
		opts.Roots = x509.NewCertPool()
		opts.Roots.AddCert(top)
		if _, err := certs[0].Verify(opts); err != nil {
			return ErrUntrusted
		}
		return nil
	}
}
