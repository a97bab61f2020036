package keys

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
)

// CALifetime is how long the local CA's certificate is valid.
const CALifetime = 10 * 365 * 24 * time.Hour

// CAConfig configures the local certificate authority.
type CAConfig struct {
	Store  SigningKeyStore
	Clock  clock.Clock
	Random io.Reader
}

// CA is keyward's local certificate authority: an ECDSA P-256 root made on
// first use and stored as the signing key of use directory.KeyUseTLSCA,
// its private key sealed with the master key, so that every replica (and
// `keyward admin ca export`) shares one root. It issues short-lived leaf
// certificates in memory (see Leaf).
type CA struct {
	cert   *x509.Certificate
	key    *ecdsa.PrivateKey
	clock  clock.Clock
	random io.Reader
	leaves leafCache
}

// OpenCA loads the local CA from the store, creating it when there is
// none (replicas racing store one and all use it), and opens its key.
func OpenCA(ctx context.Context, master []byte, cfg CAConfig) (*CA, error) {
	sealer, err := NewSealer(master, "signing key "+directory.KeyUseTLSCA, cfg.Random)
	if err != nil {
		return nil, err
	}
	all, err := cfg.Store.SigningKeys(ctx, directory.KeyUseTLSCA)
	if err == nil && len(all) == 0 {
		var k directory.SigningKey
		if k, err = newCAKey(sealer, cfg); err == nil {
			if _, err = cfg.Store.CreateFirstSigningKey(ctx, k); err == nil {
				all, err = cfg.Store.SigningKeys(ctx, directory.KeyUseTLSCA)
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("local CA: %w", err)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("local CA: the store kept no %s key", directory.KeyUseTLSCA)
	}
	return openCA(sealer, all[len(all)-1], cfg)
}

// newCAKey makes the root key and its self-signed certificate.
func newCAKey(sealer *Sealer, cfg CAConfig) (directory.SigningKey, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return directory.SigningKey{}, err
	}
	now, id := cfg.Clock.Now(), directory.NewSigningKeyID(cfg.Random)
	tmpl := &x509.Certificate{
		SerialNumber: serial(cfg.Random),
		Subject:      pkix.Name{CommonName: "keyward local CA " + id, Organization: []string{"keyward"}},
		NotBefore:    now.Add(-time.Hour), NotAfter: now.Add(CALifetime),
		IsCA: true, BasicConstraintsValid: true, MaxPathLenZero: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
	}
	der, sealed, err := selfSigned(sealer, id, tmpl, priv)
	if err != nil {
		return directory.SigningKey{}, err
	}
	return directory.SigningKey{ID: id, Use: directory.KeyUseTLSCA, Algorithm: directory.KeyAlgES256,
		SealedPrivateKey: sealed, Certificate: der, Created: now, ActivatesAt: now}, nil
}

// openCA parses k's certificate and opens its sealed private key.
func openCA(sealer *Sealer, k directory.SigningKey, cfg CAConfig) (*CA, error) {
	cert, err := x509.ParseCertificate(k.Certificate)
	if err != nil {
		return nil, fmt.Errorf("local CA %s certificate: %w", k.ID, err)
	}
	parsed, err := openSealed(sealer, k.ID, k.SealedPrivateKey)
	if errors.Is(err, ErrUnseal) {
		return nil, fmt.Errorf("local CA %s: %w", k.ID, err)
	}
	priv, ok := parsed.(*ecdsa.PrivateKey)
	if err != nil || !ok {
		return nil, fmt.Errorf("local CA %s is not an ECDSA key: %v", k.ID, err)
	}
	if !priv.PublicKey.Equal(cert.PublicKey) { // a certificate put in the store without the master key
		return nil, fmt.Errorf("local CA %s: its stored certificate is not its private key's", k.ID)
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	return &CA{cert: cert, key: priv, clock: cfg.Clock, random: cfg.Random, leaves: leafCache{key: leafKey}}, nil
}

// Certificate is the CA's root certificate.
func (c *CA) Certificate() *x509.Certificate { return c.cert }

// PEM is the root certificate in PEM, for SSL_CERT_FILE and AWS_CA_BUNDLE.
func (c *CA) PEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.cert.Raw})
}

func serial(r io.Reader) *big.Int {
	b := clock.Bytes(r, 16)
	b[0] &= 0x7f // positive, as RFC 5280 asks
	return new(big.Int).SetBytes(b)
}
