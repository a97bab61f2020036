package keys

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"net"
	"slices"
	"strings"
	"sync"
	"time"
)

// Leaf certificates live a week and are re-issued a day before they end,
// so a long-running process never serves an expired one. They are made in
// memory, per process; nothing about them is stored.
const (
	LeafLifetime = 7 * 24 * time.Hour
	leafRenew    = 24 * time.Hour
	// maxLeaves bounds the cache; the proxy mode asks for one leaf per
	// AWS host name, and region names are many but not unbounded in use.
	maxLeaves = 256
)

// leafCache holds the leaves issued so far, keyed by their names. All
// leaves of a process share one key pair.
type leafCache struct {
	key *ecdsa.PrivateKey
	mu  sync.Mutex
	by  map[string]*tls.Certificate
}

// Leaf returns a server certificate for names (DNS names or IP
// addresses; the first is the subject's common name) signed by the CA,
// cached per set of names until a day before it expires.
func (c *CA) Leaf(names ...string) (*tls.Certificate, error) {
	if len(names) == 0 {
		return nil, errors.New("local CA: a leaf certificate needs at least one name")
	}
	id := leafID(names)
	now := c.clock.Now()
	c.leaves.mu.Lock()
	defer c.leaves.mu.Unlock()
	if l, ok := c.leaves.by[id]; ok && now.Before(l.Leaf.NotAfter.Add(-leafRenew)) {
		return l, nil
	}
	l, err := c.issue(names, now)
	if err != nil {
		return nil, err
	}
	if c.leaves.by == nil || len(c.leaves.by) >= maxLeaves {
		c.leaves.by = map[string]*tls.Certificate{}
	}
	c.leaves.by[id] = l
	return l, nil
}

// leafID is the cache key of a set of names: lower case, sorted, unique.
func leafID(names []string) string {
	ls := make([]string, len(names))
	for i, n := range names {
		ls[i] = strings.ToLower(n)
	}
	slices.Sort(ls)
	return strings.Join(slices.Compact(ls), ",")
}

func (c *CA) issue(names []string, now time.Time) (*tls.Certificate, error) {
	tmpl := &x509.Certificate{
		SerialNumber: serial(c.random),
		Subject:      pkix.Name{CommonName: names[0], Organization: []string{"keyward"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(LeafLifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if tmpl.NotAfter.After(c.cert.NotAfter) {
		tmpl.NotAfter = c.cert.NotAfter
	}
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.ToLower(n)
		ip := net.ParseIP(n)
		switch {
		case seen[n]:
		case ip != nil:
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		default:
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
		seen[n] = true
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, c.cert, &c.leaves.key.PublicKey, c.key)
	if err != nil {
		return nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	// The chain ends with the CA itself, so that the top certificate a
	// client sees is the CA's: that is what AWS's OIDC provider thumbprint
	// names, and it outlives every leaf.
	return &tls.Certificate{Certificate: [][]byte{der, c.cert.Raw}, PrivateKey: c.leaves.key, Leaf: leaf}, nil
}
