package webidentity

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/json"
	"errors"

	"github.com/go-jose/go-jose/v4"
)

// Limits of what an issuer serves.
const (
	MaxJWKSSize      = 256 << 10
	MaxDiscoverySize = 64 << 10
	MaxKeys          = 100
	minRSABits       = 2048
)

// KeySet is an issuer's public signing keys.
type KeySet struct{ keys []jose.JSONWebKey }

// ParseJWKS reads a JSON Web Key Set: at most MaxJWKSSize bytes and
// MaxKeys keys. Keys that are private, meant for encryption, or of a kind
// no accepted algorithm uses are left out; a set with no usable key is an
// error.
func ParseJWKS(body []byte) (KeySet, error) {
	if len(body) > MaxJWKSSize {
		return KeySet{}, errors.New("webidentity: the key set is too large")
	}
	var raw struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return KeySet{}, errors.New("webidentity: the key set is not JSON")
	}
	if len(raw.Keys) > MaxKeys {
		return KeySet{}, errors.New("webidentity: the key set has too many keys")
	}
	var set KeySet
	for _, r := range raw.Keys {
		var k jose.JSONWebKey
		if k.UnmarshalJSON(r) != nil || !k.Valid() || !k.IsPublic() || (k.Use != "" && k.Use != "sig") || kindOf(k.Key) == "" {
			continue
		}
		set.keys = append(set.keys, k)
	}
	if len(set.keys) == 0 {
		return KeySet{}, errors.New("webidentity: the key set has no usable signing key")
	}
	return set, nil
}

// kindOf names the algorithms a public key may verify: "RS" for RSA keys
// of at least 2048 bits, the one ES algorithm of an ECDSA key's curve.
func kindOf(key any) string {
	switch k := key.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() >= minRSABits {
			return "RS"
		}
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return string(jose.ES256)
		case elliptic.P384():
			return string(jose.ES384)
		}
	}
	return ""
}

// fits reports whether k may verify a signature made with alg: its kind
// must be alg's, and the key's own alg, if it names one, must be alg.
func fits(k jose.JSONWebKey, alg string) bool {
	if k.Algorithm != "" && k.Algorithm != alg {
		return false
	}
	kind := kindOf(k.Key)
	return kind == alg || (kind == "RS" && len(alg) == 5 && alg[:2] == "RS")
}

// candidates are the keys that may have signed a token with kid and alg:
// the keys with that id, or without an id in the token, every key.
func (s KeySet) candidates(kid, alg string) []jose.JSONWebKey {
	var out []jose.JSONWebKey
	for _, k := range s.keys {
		if (kid == "" || k.KeyID == kid) && fits(k, alg) {
			out = append(out, k)
		}
	}
	return out
}

// has reports whether the set has a key with id kid.
func (s KeySet) has(kid string) bool {
	for _, k := range s.keys {
		if k.KeyID == kid {
			return true
		}
	}
	return false
}
