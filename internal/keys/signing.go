package keys

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"sync"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
)

// SigningKeyStore is what signing keys need from storage (store.SigningKeys).
type SigningKeyStore interface {
	CreateFirstSigningKey(ctx context.Context, k directory.SigningKey) (bool, error)
	RotateSigningKey(ctx context.Context, k directory.SigningKey) error
	SigningKeys(ctx context.Context, use string) ([]directory.SigningKey, error)
}

// SigningKeysConfig configures the signing keys of one use.
type SigningKeysConfig struct {
	Store  SigningKeyStore
	Clock  clock.Clock
	Random io.Reader
	Use    string // directory.KeyUseSAML, ...
	// Overlap is how long a next key is published before it signs, and a
	// retired one after it stopped.
	Overlap time.Duration
	// Subject is the certificates' common name, such as the org URL.
	Subject string
	// CacheFor is how long the key list read from the store is reused
	// (zero is DefaultKeyCacheFor; it never exceeds Overlap). See
	// DefaultKeyCacheFor for why a list that old is safe.
	CacheFor time.Duration
}

// SigningKeys are the RS256 keys of one use: created on first use,
// rotated with an overlap, their private keys sealed with the master key
// and opened once per process, their list read from the store at most
// once per CacheFor.
type SigningKeys struct {
	cfg    SigningKeysConfig
	sealer *Sealer

	mu     sync.Mutex
	opened map[string]Signer            // by key id
	certs  map[string]*x509.Certificate // by key id
	list   keyList
}

// Signer is the key that signs now.
type Signer struct {
	Key         directory.SigningKey
	Private     *rsa.PrivateKey
	Certificate *x509.Certificate
}

// NewSigningKeys returns the keys of cfg.Use sealed under master.
func NewSigningKeys(master []byte, cfg SigningKeysConfig) (*SigningKeys, error) {
	s, err := NewSealer(master, "signing key "+cfg.Use, cfg.Random)
	if err != nil {
		return nil, err
	}
	if cfg.CacheFor == 0 {
		cfg.CacheFor = DefaultKeyCacheFor
	}
	cfg.CacheFor = min(cfg.CacheFor, cfg.Overlap)
	return &SigningKeys{cfg: cfg, sealer: s, opened: map[string]Signer{}, certs: map[string]*x509.Certificate{}}, nil
}

// Published lists the keys relying parties should trust now: the active
// one, the next one before it activates and the previous one for the
// overlap after it retired. The first call creates the first key. A key
// whose private key the master key did not seal (bound to its id), or
// whose certificate is not that key's, is left out: a row written to the
// database without the master key must not be trusted.
func (s *SigningKeys) Published(ctx context.Context) ([]directory.SigningKey, error) {
	all, err := s.ensure(ctx)
	if err != nil {
		return nil, err
	}
	var out []directory.SigningKey
	for _, k := range directory.PublishedSigningKeys(all, s.cfg.Clock.Now(), s.cfg.Overlap) {
		if _, err := s.signer(k); err == nil {
			out = append(out, k)
		}
	}
	return out, nil
}

// Active returns the key that signs now, creating the first key when the
// use has none (replicas racing store one and all use it).
func (s *SigningKeys) Active(ctx context.Context) (Signer, error) {
	all, err := s.ensure(ctx)
	if err != nil {
		return Signer{}, err
	}
	k, ok := directory.ActiveSigningKey(all, s.cfg.Clock.Now())
	if !ok {
		return Signer{}, fmt.Errorf("keys: no %s signing key is active", s.cfg.Use)
	}
	return s.signer(k)
}

// Rotate schedules a new key: published now, signing after the overlap,
// when the current one retires.
func (s *SigningKeys) Rotate(ctx context.Context) (directory.SigningKey, error) {
	if _, err := s.ensure(ctx); err != nil {
		return directory.SigningKey{}, err
	}
	now := s.cfg.Clock.Now()
	k, err := s.generate(now, now.Add(s.cfg.Overlap))
	if err != nil {
		return k, err
	}
	defer s.forget()
	return k, s.cfg.Store.RotateSigningKey(ctx, k)
}

// RotateNow replaces the signing key at once (Okta's keyRotate): a new
// key is published and signs from now, and every other key retires now,
// staying published for the overlap, so what it signed still verifies. A
// rotation scheduled with Rotate is overtaken: its key never signs.
// Relying parties meet the new key id before their cached JWKS names it
// and fetch the JWKS again; other replicas verify it at once (see
// PublishedCertificate) and keep signing with the old key, still
// published, until their cached key list expires (DefaultKeyCacheFor).
func (s *SigningKeys) RotateNow(ctx context.Context) (directory.SigningKey, error) {
	if _, err := s.ensure(ctx); err != nil {
		return directory.SigningKey{}, err
	}
	now := s.cfg.Clock.Now()
	k, err := s.generate(now, now)
	if err != nil {
		return k, err
	}
	defer s.forget()
	return k, s.cfg.Store.RotateSigningKey(ctx, k)
}

// ensure returns the keys of the use, read from the store unless the
// list read last is fresh enough, creating the first key when there is
// none.
func (s *SigningKeys) ensure(ctx context.Context) ([]directory.SigningKey, error) {
	if all, ok := s.cached(); ok {
		return all, nil
	}
	all, err := s.load(ctx)
	if err == nil {
		s.remember(all)
	}
	return all, err
}

// load reads the keys of the use from the store, creating the first key
// when there is none (replicas racing store one and all read it back).
func (s *SigningKeys) load(ctx context.Context) ([]directory.SigningKey, error) {
	all, err := s.cfg.Store.SigningKeys(ctx, s.cfg.Use)
	if err != nil || len(all) > 0 {
		return all, err
	}
	now := s.cfg.Clock.Now()
	k, err := s.generate(now, now)
	if err != nil {
		return nil, err
	}
	if _, err := s.cfg.Store.CreateFirstSigningKey(ctx, k); err != nil {
		return nil, err
	}
	return s.cfg.Store.SigningKeys(ctx, s.cfg.Use)
}

// generate makes an RSA-2048 key with a self-signed certificate valid for
// ten years (SAML peers pin the certificate; its dates matter little).
func (s *SigningKeys) generate(now, activates time.Time) (directory.SigningKey, error) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return directory.SigningKey{}, err
	}
	id := directory.NewSigningKeyID(s.cfg.Random)
	tmpl := &x509.Certificate{
		SerialNumber: new(big.Int).SetBytes(clock.Bytes(s.cfg.Random, 16)),
		Subject:      pkix.Name{CommonName: s.cfg.Subject, OrganizationalUnit: []string{id}},
		NotBefore:    now.Add(-time.Hour), NotAfter: now.AddDate(10, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature,
	}
	der, sealed, err := selfSigned(s.sealer, id, tmpl, priv)
	if err != nil {
		return directory.SigningKey{}, err
	}
	return directory.SigningKey{ID: id, Use: s.cfg.Use, Algorithm: directory.KeyAlgRS256,
		SealedPrivateKey: sealed, Certificate: der, Created: now, ActivatesAt: activates}, nil
}

// signer opens k's private key and parses its certificate, once per
// process (a key id names one key for ever), and checks that they are one
// key pair.
func (s *SigningKeys) signer(k directory.SigningKey) (Signer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if signer, ok := s.opened[k.ID]; ok {
		return signer, nil
	}
	cert, err := s.certificate(k)
	if err != nil {
		return Signer{}, err
	}
	parsed, err := openSealed(s.sealer, k.ID, k.SealedPrivateKey)
	if errors.Is(err, ErrUnseal) {
		return Signer{}, fmt.Errorf("keys: signing key %s: %w", k.ID, err)
	}
	priv, ok := parsed.(*rsa.PrivateKey)
	if err != nil || !ok {
		return Signer{}, fmt.Errorf("keys: signing key %s is not an RSA key: %v", k.ID, err)
	}
	if !priv.PublicKey.Equal(cert.PublicKey) {
		return Signer{}, fmt.Errorf("keys: signing key %s: its certificate is not its private key's", k.ID)
	}
	priv.Precompute()
	s.opened[k.ID] = Signer{Key: k, Private: priv, Certificate: cert}
	return s.opened[k.ID], nil
}
