package webidentity_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/keyward/keyward/internal/aws/webidentity"
	"github.com/keyward/keyward/internal/aws/webidentity/webidentitytest"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
)

func TestParseRefusesWhatIsNotAnAcceptableJWS(t *testing.T) {
	iss := webidentitytest.New(t)
	claims := iss.Claims("alice", "app")
	for _, tc := range []struct{ name, token string }{
		{"an empty token", ""},
		{"a token over 20000 characters", strings.Repeat("a", webidentity.MaxTokenLen+1)},
		{"three dots of nothing", "..."},
		{"an unsigned token (alg none)", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0."},
		{"an HMAC token", iss.Sign(t, []byte("0123456789abcdef0123456789abcdef"), jose.HS256, "k", claims)},
		{"an RS256 token with claims that are not JSON", jose256NotJSON(t, iss)},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			_, err := webidentity.Parse(tc.token)
			if e, ok := errs.As(err); !ok || e.Code != "InvalidIdentityToken" {
				t.Errorf("err = %v, want InvalidIdentityToken", err)
			}
		})
	}
	tok, err := webidentity.Parse(iss.Sign(t, iss.RSA, jose.RS256, "rsa-1", claims))
	if err != nil || tok.Issuer() != iss.URL {
		t.Errorf("a good token: %v, issuer %q", err, tok.Issuer())
	}
}

func jose256NotJSON(t *testing.T, iss *webidentitytest.Issuer) string {
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: iss.RSA}, nil)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := s.Sign([]byte("not json"))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := jws.CompactSerialize()
	return out
}

func jwk(t *testing.T, k jose.JSONWebKey) json.RawMessage {
	b, err := k.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseJWKSKeepsOnlyPublicSigningKeysOfAcceptedKinds(t *testing.T) {
	big, _ := rsa.GenerateKey(rand.Reader, 2048)
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	p521, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	set := func(keys ...json.RawMessage) []byte {
		b, _ := json.Marshal(map[string]any{"keys": keys})
		return b
	}
	good := jwk(t, jose.JSONWebKey{Key: &big.PublicKey, KeyID: "ok", Use: "sig"})
	for _, tc := range []struct {
		name string
		body []byte
	}{
		{"a private key", set(jwk(t, jose.JSONWebKey{Key: big, KeyID: "priv"}))},
		{"an encryption key", set(jwk(t, jose.JSONWebKey{Key: &big.PublicKey, KeyID: "enc", Use: "enc"}))},
		{"a 1024-bit RSA key", set(jwk(t, jose.JSONWebKey{Key: &small.PublicKey, KeyID: "small"}))},
		{"a P-521 key (no accepted algorithm)", set(jwk(t, jose.JSONWebKey{Key: &p521.PublicKey, KeyID: "p521"}))},
		{"a symmetric key", set(jwk(t, jose.JSONWebKey{Key: []byte("0123456789abcdef"), KeyID: "oct"}))},
		{"not JSON", []byte("{")},
		{"more than 100 keys", set(func() []json.RawMessage {
			out := make([]json.RawMessage, 101)
			for i := range out {
				out[i] = good
			}
			return out
		}()...)},
		{"a body over the size limit", append(set(good), make([]byte, webidentity.MaxJWKSSize)...)},
	} {
		t.Run(tc.name+" yields no key set", func(t *testing.T) {
			if _, err := webidentity.ParseJWKS(tc.body); err == nil {
				t.Error("parsed")
			}
		})
	}
	if _, err := webidentity.ParseJWKS(set(jwk(t, jose.JSONWebKey{Key: big, KeyID: "priv"}), good)); err != nil {
		t.Errorf("a set with one good key among bad ones: %v", err)
	}
}

// TestAnIssuerTrustedByTheRootsNeedsNoThumbprint: the system roots (here a
// pool holding the test server's certificate) are enough.
func TestAnIssuerTrustedByTheRootsNeedsNoThumbprint(t *testing.T) {
	iss := webidentitytest.New(t)
	f := &webidentity.Fetcher{Clock: clock.NewFake(time.Now()), Roots: iss.Roots(), DialContext: iss.DialContext}
	if _, err := f.Keys(context.Background(), iss.URL, nil, ""); err != nil {
		t.Fatalf("trusted by the roots: %v", err)
	}
	untrusted := &webidentity.Fetcher{Clock: clock.NewFake(time.Now()), Roots: x509.NewCertPool(), DialContext: iss.DialContext}
	if _, err := untrusted.Keys(context.Background(), iss.URL, nil, ""); err == nil {
		t.Error("fetched over a connection neither the roots nor a thumbprint trust")
	}
	if _, err := untrusted.Keys(context.Background(), "https://other.example/tenant", []string{iss.Thumbprint()}, ""); err == nil {
		t.Error("a registered thumbprint vouched for a host its certificate does not name")
	}
}

func FuzzParse(f *testing.F) {
	f.Add("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln")
	f.Add("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.")
	f.Add("a.b.c.d.e")
	f.Fuzz(func(t *testing.T, token string) {
		tok, err := webidentity.Parse(token)
		if err == nil && tok == nil {
			t.Fatal("no token and no error")
		}
	})
}

func FuzzParseJWKS(f *testing.F) {
	f.Add([]byte(`{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}`))
	f.Add([]byte(`{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}]}`))
	f.Add([]byte(`{"keys":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		_, _ = webidentity.ParseJWKS(body)
	})
}
