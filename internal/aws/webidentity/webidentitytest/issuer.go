// Package webidentitytest is an OpenID Connect issuer for tests: an HTTPS
// server (httptest's certificate, valid for example.com) serving a
// discovery document and a key set, with RSA and ECDSA signing keys, and a
// dialer that routes the issuer's host to it.
package webidentitytest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Issuer is a test OIDC issuer at URL, https://example.com/tenant.
type Issuer struct {
	URL    string
	Server *httptest.Server
	RSA    *rsa.PrivateKey   // published as kid "rsa-1", alg RS256
	EC     *ecdsa.PrivateKey // published as kid "ec-1", alg ES256

	mu       sync.Mutex
	keys     []jose.JSONWebKey
	fetches  int           // key set answers
	requests int           // every request
	open     int           // connections open now
	down     bool          // every request answered 500
	hold     chan struct{} // when set, every answer waits until it is closed
}

// New starts an issuer publishing its RSA and ECDSA keys.
func New(t testing.TB) *Issuer {
	t.Helper()
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	i := &Issuer{URL: "https://example.com/tenant", RSA: rk, EC: ek}
	i.Publish(i.Public(rk, "rsa-1", jose.RS256), i.Public(ek, "ec-1", jose.ES256))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /tenant/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": i.URL, "jwks_uri": i.URL + "/keys"})
	})
	mux.HandleFunc("GET /tenant/keys", func(w http.ResponseWriter, _ *http.Request) {
		i.mu.Lock()
		defer i.mu.Unlock()
		i.fetches++
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: i.keys})
	})
	i.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i.mu.Lock()
		i.requests++
		down, hold := i.down, i.hold
		i.mu.Unlock()
		if hold != nil {
			<-hold
		}
		if down {
			http.Error(w, "down", http.StatusInternalServerError)
			return
		}
		mux.ServeHTTP(w, r)
	}))
	i.Server.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		i.mu.Lock()
		defer i.mu.Unlock()
		switch s {
		case http.StateNew:
			i.open++
		case http.StateClosed, http.StateHijacked:
			i.open--
		}
	}
	// Refused handshakes (a test of an untrusted certificate) are expected.
	i.Server.Config.ErrorLog = log.New(io.Discard, "", 0)
	i.Server.StartTLS()
	t.Cleanup(i.Server.Close)
	return i
}

// Public is key's public JWK with kid and alg.
func (i *Issuer) Public(key any, kid string, alg jose.SignatureAlgorithm) jose.JSONWebKey {
	var pub any
	switch k := key.(type) {
	case *rsa.PrivateKey:
		pub = &k.PublicKey
	case *ecdsa.PrivateKey:
		pub = &k.PublicKey
	}
	return jose.JSONWebKey{Key: pub, KeyID: kid, Algorithm: string(alg), Use: "sig"}
}

// Publish replaces the published key set.
func (i *Issuer) Publish(keys ...jose.JSONWebKey) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.keys = keys
}

// Fetches is how many times the key set was fetched.
func (i *Issuer) Fetches() int {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.fetches
}

// Requests is how many requests the issuer has had, and how many
// connections to it are open now.
func (i *Issuer) Requests() (requests, open int) {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.requests, i.open
}

// Down makes every later request answer 500 (true) or be served (false).
func (i *Issuer) Down(down bool) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.down = down
}

// Hold makes every later answer wait until release is called.
func (i *Issuer) Hold() (release func()) {
	hold := make(chan struct{})
	i.mu.Lock()
	defer i.mu.Unlock()
	i.hold = hold
	return func() { close(hold) }
}

// Roots trusts the issuer's certificate.
func (i *Issuer) Roots() *x509.CertPool {
	roots := x509.NewCertPool()
	roots.AddCert(i.Server.Certificate())
	return roots
}

// Thumbprint is the SHA-1 thumbprint of the server's certificate (its
// only, self-signed one: the top of its chain), as registered with an IAM
// OIDC provider.
func (i *Issuer) Thumbprint() string {
	sum := sha1.Sum(i.Server.Certificate().Raw)
	return hex.EncodeToString(sum[:])
}

// DialContext connects any address to the issuer's server.
func (i *Issuer) DialContext(ctx context.Context, network, _ string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, network, i.Server.Listener.Addr().String())
}

// Claims are valid claims for sub and aud, issued now for an hour.
func (i *Issuer) Claims(sub, aud string) map[string]any {
	now := time.Now()
	return map[string]any{"iss": i.URL, "sub": sub, "aud": aud, "iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix()}
}

// Sign signs claims with key (any go-jose signing key: a private key, or
// []byte for HMAC) as alg, naming kid in the header when not empty.
func (i *Issuer) Sign(t testing.TB, key any, alg jose.SignatureAlgorithm, kid string, claims map[string]any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if kid != "" {
		opts = opts.WithHeader(jose.HeaderKey("kid"), kid)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := s.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return out
}
