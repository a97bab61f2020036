package oidc_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/keys"
)

// getJSON GETs path and decodes the JSON answer into dst.
func (f *fixture) getJSON(t testing.TB, path string, dst any) int {
	t.Helper()
	res, err := http.Get(f.url + path)
	must(t, err)
	defer res.Body.Close()
	json.NewDecoder(res.Body).Decode(dst)
	return res.StatusCode
}

func TestDiscoveryNamesEachServersIssuerAndEndpoints(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct{ name, path, issuer, base string }{
		{"the org server's OpenID configuration", "/.well-known/openid-configuration", f.url, f.url + "/oauth2/v1"},
		{"the org server's OAuth metadata", "/.well-known/oauth-authorization-server", f.url, f.url + "/oauth2/v1"},
		{"the default server's OpenID configuration", "/oauth2/default/.well-known/openid-configuration", f.url + "/oauth2/default", f.url + "/oauth2/default/v1"},
		{"the default server's OAuth metadata", "/oauth2/default/.well-known/oauth-authorization-server", f.url + "/oauth2/default", f.url + "/oauth2/default/v1"},
	} {
		t.Run(c.name+" names its issuer and endpoints", func(t *testing.T) {
			var doc map[string]any
			if status := f.getJSON(t, c.path, &doc); status != 200 {
				t.Fatalf("status %d", status)
			}
			want := map[string]any{"issuer": c.issuer, "authorization_endpoint": c.base + "/authorize",
				"token_endpoint": c.base + "/token", "userinfo_endpoint": c.base + "/userinfo",
				"introspection_endpoint": c.base + "/introspect", "revocation_endpoint": c.base + "/revoke",
				"end_session_endpoint": c.base + "/logout", "jwks_uri": c.base + "/keys",
				"device_authorization_endpoint":    c.base + "/device/authorize",
				"code_challenge_methods_supported": []any{"S256"}, "response_types_supported": []any{"code"},
				"id_token_signing_alg_values_supported": []any{"RS256"}}
			got := map[string]any{}
			for k := range want {
				got[k] = doc[k]
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	t.Run("the default server lists its own scopes", func(t *testing.T) {
		var doc struct {
			Scopes []string `json:"scopes_supported"`
		}
		f.getJSON(t, "/oauth2/default/.well-known/openid-configuration", &doc)
		if diff := cmp.Diff([]string{"openid", "profile", "email", "address", "phone", "offline_access", "okta-m2m-access"}, doc.Scopes); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

func TestUnknownAndInactiveServersAreNotFound(t *testing.T) {
	f := newFixture(t)
	_, err := f.s.CreateAuthServer(context.Background(), directory.AuthServer{ID: "aussleepy", Name: "sleepy",
		Audiences: []string{"api://sleepy"}, Status: directory.AppInactive})
	must(t, err)
	for _, path := range []string{"/oauth2/nope/.well-known/openid-configuration", "/oauth2/nope/v1/keys",
		"/oauth2/aussleepy/.well-known/openid-configuration", "/oauth2/aussleepy/v1/keys"} {
		t.Run(path+" is 404", func(t *testing.T) {
			var body map[string]any
			if status := f.getJSON(t, path, &body); status != 404 || body["error"] != "not_found" {
				t.Errorf("got %d %v", status, body)
			}
		})
	}
}

// jwks is the JWK Set the server prefix publishes.
func (f *fixture) jwks(t testing.TB, prefix string) jose.JSONWebKeySet {
	t.Helper()
	var set jose.JSONWebKeySet
	if status := f.getJSON(t, prefix+"/keys", &set); status != 200 {
		t.Fatalf("keys: %d", status)
	}
	return set
}

// verifiesWith checks raw is signed by a key of set, as a relying party
// checks it, and returns the key id.
func verifiesWith(t testing.TB, set jose.JSONWebKeySet, raw string) string {
	t.Helper()
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	must(t, err)
	kid := tok.Headers[0].KeyID
	var c jwt.Claims
	if keys := set.Key(kid); len(keys) != 1 || tok.Claims(keys[0].Key, &c) != nil {
		t.Fatalf("the token signed by %s does not verify with the JWKS", kid)
	}
	return kid
}

func TestTheJWKSVerifiesTokensAcrossARotation(t *testing.T) {
	f := newFixture(t)
	before := f.jwks(t, orgAS)
	if len(before.Keys) != 1 || before.Keys[0].Algorithm != "RS256" || before.Keys[0].Use != "sig" || !before.Keys[0].IsPublic() {
		t.Fatalf("the JWKS before rotation: %+v", before.Keys)
	}
	if diff := cmp.Diff(keyIDs(before), keyIDs(f.jwks(t, defaultAS))); diff != "" {
		t.Errorf("the default server publishes other keys (-org +default):\n%s", diff)
	}
	next, err := f.signingKeys(t).Rotate(context.Background())
	must(t, err)
	f.clk.Advance(23*time.Hour + 30*time.Minute)
	old := f.codeTokens(t, orgAS, "openid")
	if got := keyIDs(f.jwks(t, orgAS)); len(got) != 2 || !slices.Contains(got, next.ID) {
		t.Fatalf("the next key is not published before it signs: %v", got)
	}
	oldKid := verifiesWith(t, f.jwks(t, orgAS), str(old, "access_token"))
	f.clk.Advance(31 * time.Minute)
	fresh := f.codeTokens(t, orgAS, "openid")
	set := f.jwks(t, orgAS)
	if newKid := verifiesWith(t, set, str(fresh, "id_token")); newKid != next.ID || oldKid == next.ID {
		t.Errorf("signed by %s before and %s after the rotation, want the next key %s after", oldKid, newKid, next.ID)
	}
	verifiesWith(t, set, str(old, "id_token"))
	if status, _, _ := f.userinfo(t, orgAS, "Bearer "+str(old, "access_token")); status != 200 {
		t.Errorf("an access token of the retired key during the overlap: userinfo %d", status)
	}
}

// signingKeys are the fixture's OIDC signing keys, as the provider's
// own are configured (same master key, store and clock).
func (f *fixture) signingKeys(tb testing.TB) *keys.SigningKeys {
	k, err := keys.NewSigningKeys(sharedMaster(tb), keys.SigningKeysConfig{Store: f.s, Clock: f.clk, Random: rand.Reader,
		Use: directory.KeyUseOIDC, Overlap: 24 * time.Hour, Subject: f.url})
	must(tb, err)
	return k
}

func keyIDs(set jose.JSONWebKeySet) []string {
	var ids []string
	for _, k := range set.Keys {
		ids = append(ids, k.KeyID)
	}
	return ids
}

// OpenID Connect Discovery 1.0 §3: an omitted request_uri_parameter_supported
// means true. keyward refuses request objects (request_not_supported), so
// the documents say so rather than promise them by omission.
func TestDiscoverySaysRequestObjectsAreNotSupported(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/.well-known/openid-configuration", "/oauth2/default/.well-known/openid-configuration"} {
		var doc map[string]any
		if status := f.getJSON(t, path, &doc); status != 200 {
			t.Fatalf("%s: status %d", path, status)
		}
		if v, ok := doc["request_uri_parameter_supported"]; v != false {
			t.Errorf("%s: request_uri_parameter_supported = %v (present %v), want false", path, v, ok)
		}
		if v, ok := doc["request_parameter_supported"]; ok && v != false { // omitted means false
			t.Errorf("%s: request_parameter_supported = %v, want false", path, v)
		}
	}
}
