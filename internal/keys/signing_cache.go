package keys

import (
	"context"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/keyward/keyward/internal/directory"
)

// DefaultKeyCacheFor is how long SigningKeys reuse the key list they read
// from the store. A list that old is safe: a rotated key is published for
// the use's Overlap (a day for OIDC, a week for SAML; CacheFor never
// exceeds it) before it signs, so a list read at most CacheFor ago holds
// the key that signs now and every key published now but the newest; a
// key another replica created is seen within CacheFor, long before it
// signs. Without the cache every signature and verification read the
// store.
const DefaultKeyCacheFor = time.Minute

// keyList is the key list last read from the store and when (by the
// configured clock).
type keyList struct {
	keys []directory.SigningKey
	read time.Time
}

// cached returns the key list read last while it is fresh.
func (s *SigningKeys) cached() ([]directory.SigningKey, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, now := s.list, s.cfg.Clock.Now()
	if l.keys == nil || now.Before(l.read) || now.Sub(l.read) >= s.cfg.CacheFor {
		return nil, false
	}
	return l.keys, true
}

// remember keeps all as the key list read now.
func (s *SigningKeys) remember(all []directory.SigningKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list = keyList{keys: all, read: s.cfg.Clock.Now()}
}

// forget drops the cached key list, so this replica reads its own
// rotation at once.
func (s *SigningKeys) forget() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list = keyList{}
}

// missReread is how old the cached key list must be before a key id it
// lacks makes PublishedCertificate read the store again: a key another
// replica made to sign at once (RotateNow) is found within a second, and
// made-up key ids cost at most one read a second.
const missReread = time.Second

// PublishedCertificate returns the certificate of the published key id,
// parsed once per process; ok is false when no published key has that id.
// Verifiers use it to check a token's signature by the key its header
// names.
func (s *SigningKeys) PublishedCertificate(ctx context.Context, id string) (cert *x509.Certificate, ok bool, err error) {
	cert, ok, err = s.publishedCertificate(ctx, id)
	if err != nil || ok || !s.readBefore(s.cfg.Clock.Now().Add(-missReread)) {
		return cert, ok, err
	}
	s.forget()
	return s.publishedCertificate(ctx, id)
}

// readBefore reports whether the cached key list was read before t.
func (s *SigningKeys) readBefore(t time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.list.read.Before(t)
}

func (s *SigningKeys) publishedCertificate(ctx context.Context, id string) (*x509.Certificate, bool, error) {
	published, err := s.Published(ctx)
	if err != nil {
		return nil, false, err
	}
	for _, k := range published {
		if k.ID == id {
			s.mu.Lock()
			defer s.mu.Unlock()
			cert, err := s.certificate(k)
			return cert, err == nil, err
		}
	}
	return nil, false, nil
}

// certificate parses k's certificate once per process; s.mu is held.
func (s *SigningKeys) certificate(k directory.SigningKey) (*x509.Certificate, error) {
	if cert, ok := s.certs[k.ID]; ok {
		return cert, nil
	}
	cert, err := x509.ParseCertificate(k.Certificate)
	if err != nil {
		return nil, fmt.Errorf("keys: signing key %s certificate: %w", k.ID, err)
	}
	s.certs[k.ID] = cert
	return cert, nil
}
