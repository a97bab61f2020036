package oktaapi

import (
	"crypto/ecdh"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"slices"
)

// jwksBody is a client's JWK Set (settings.oauthClient.jwks).
type jwksBody struct {
	Keys []map[string]any `json:"keys"`
}

// Bounds on a client's keys.
const (
	maxClientKeys = 50
	minRSABits    = 2048
)

// privateMembers are the JWK members that carry private key material.
var privateMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

// curves are the EC curves a client key may be on.
var curves = map[string]ecdh.Curve{"P-256": ecdh.P256(), "P-384": ecdh.P384(), "P-521": ecdh.P521()}

// clientJWKS checks the client's public keys and returns them as stored
// (a JWK Set, JSON). private_key_jwt needs at least one.
func clientJWKS(in *jwksBody, required bool, c *causes) []byte {
	const field = "settings.oauthClient.jwks"
	if in == nil || len(in.Keys) == 0 {
		if required {
			c.add(field, "private_key_jwt needs the client's public keys: jwks with at least one RSA or EC key")
		}
		return nil
	}
	if len(in.Keys) > maxClientKeys {
		c.add(field, "At most 50 keys")
		return nil
	}
	for _, k := range in.Keys {
		if problem := jwkProblem(k); problem != "" {
			c.add(field, problem)
			return nil
		}
	}
	b, err := json.Marshal(in)
	if err != nil {
		c.add(field, "The keys must be JSON objects")
		return nil
	}
	return b
}

// jwkProblem says what is wrong with one public JWK, or "".
func jwkProblem(k map[string]any) string {
	for _, m := range privateMembers {
		if _, ok := k[m]; ok {
			return "A key must be public: remove its private members (d, p, q, dp, dq, qi, k)"
		}
	}
	if kid, ok := k["kid"]; ok {
		if s, isString := kid.(string); !isString || !printable(s) || len(s) > 256 {
			return "kid must be text of at most 256 characters"
		}
	}
	if use, ok := k["use"]; ok && use != "sig" {
		return `use must be "sig"`
	}
	switch k["kty"] {
	case "RSA":
		return rsaProblem(k)
	case "EC":
		return ecProblem(k)
	}
	return "kty must be RSA or EC"
}

func rsaProblem(k map[string]any) string {
	n, e := b64(k["n"]), b64(k["e"])
	if n == nil || e == nil || len(e) > 4 {
		return "An RSA key needs n and e (base64url)"
	}
	if bits := new(big.Int).SetBytes(n).BitLen(); bits < minRSABits {
		return "An RSA key must have at least 2048 bits"
	}
	if alg, ok := k["alg"]; ok && !slices.Contains([]any{"RS256", "RS384", "RS512"}, alg) {
		return "An RSA key's alg must be RS256, RS384 or RS512"
	}
	return ""
}

func ecProblem(k map[string]any) string {
	crv, _ := k["crv"].(string)
	curve := curves[crv]
	x, y := b64(k["x"]), b64(k["y"])
	if curve == nil || x == nil || y == nil {
		return "An EC key needs crv (P-256, P-384 or P-521), x and y (base64url)"
	}
	size := map[string]int{"P-256": 32, "P-384": 48, "P-521": 66}[crv]
	if len(x) != size || len(y) != size {
		return "An EC key's x and y must be the curve's size"
	}
	if _, err := curve.NewPublicKey(append(append([]byte{4}, x...), y...)); err != nil {
		return "An EC key's point must be on its curve"
	}
	if want := map[string]string{"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}[crv]; k["alg"] != nil && k["alg"] != want {
		return "An EC key on " + crv + " signs with " + want
	}
	return ""
}

// b64 decodes a base64url member, or returns nil.
func b64(v any) []byte {
	s, ok := v.(string)
	if !ok || s == "" {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil
	}
	return b
}

// jwksOut is the stored key set for the wire.
func jwksOut(stored []byte) *jwksBody {
	if len(stored) == 0 {
		return nil
	}
	var out jwksBody
	if json.Unmarshal(stored, &out) != nil {
		return nil
	}
	return &out
}
