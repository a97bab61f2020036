package directory

import (
	"io"
	"time"
)

// Signing key uses: what a key signs. Each use rotates on its own.
const (
	KeyUseSAML = "saml" // SAML responses and assertions
	KeyUseOIDC = "oidc" // ID tokens and access tokens (the OpenID Connect provider)
	// KeyUseTLSCA is keyward's local certificate authority, which issues
	// the TLS certificates of its listeners and its HTTPS proxy mode.
	KeyUseTLSCA = "tls-ca"
)

// KeyAlgRS256 is RSA PKCS#1 v1.5 with SHA-256: RSA-SHA256 in XML-DSig,
// RS256 in JOSE.
const KeyAlgRS256 = "RS256"

// KeyAlgES256 is ECDSA on P-256 with SHA-256 (the local TLS CA's key).
const KeyAlgES256 = "ES256"

// SigningKey is one of the identity provider's signing keys. Its private
// key is stored only sealed with the master key. A key signs from
// ActivatesAt until RetiresAt; it is published (in SAML metadata, a JWKS)
// from its creation until an overlap period after it retires, so relying
// parties learn the next key before it signs and keep the previous one
// while assertions it signed may still be in flight.
type SigningKey struct {
	ID        string // kid
	Use       string // KeyUseSAML, KeyUseOIDC, KeyUseTLSCA
	Algorithm string // KeyAlgRS256, KeyAlgES256
	// SealedPrivateKey is the PKCS#8 DER private key sealed with the
	// master key (bound to ID).
	SealedPrivateKey []byte
	// Certificate is the self-signed X.509 certificate (DER) that carries
	// the public key.
	Certificate []byte
	Created     time.Time
	ActivatesAt time.Time
	// RetiresAt is when the key stops signing; zero while no successor
	// is scheduled.
	RetiresAt time.Time
}

// SignsAt reports whether k signs at t.
func (k SigningKey) SignsAt(t time.Time) bool {
	return !t.Before(k.ActivatesAt) && (k.RetiresAt.IsZero() || t.Before(k.RetiresAt))
}

// PublishedAt reports whether k is published at t: from creation until
// overlap after it retires.
func (k SigningKey) PublishedAt(t time.Time, overlap time.Duration) bool {
	return k.RetiresAt.IsZero() || t.Before(k.RetiresAt.Add(overlap))
}

// ActiveSigningKey is the key of keys that signs at t: the most recently
// activated one that signs then.
func ActiveSigningKey(keys []SigningKey, t time.Time) (SigningKey, bool) {
	var best SigningKey
	found := false
	for _, k := range keys {
		if k.SignsAt(t) && (!found || k.ActivatesAt.After(best.ActivatesAt)) {
			best, found = k, true
		}
	}
	return best, found
}

// PublishedSigningKeys are the keys of keys published at t, in order.
func PublishedSigningKeys(keys []SigningKey, t time.Time, overlap time.Duration) []SigningKey {
	var out []SigningKey
	for _, k := range keys {
		if k.PublishedAt(t, overlap) {
			out = append(out, k)
		}
	}
	return out
}

const signingKeyPrefix = "kwk"

// NewSigningKeyID returns a fresh key id.
func NewSigningKeyID(r io.Reader) string { return newID(r, signingKeyPrefix) }
