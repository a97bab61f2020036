package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/okta/okta-sdk-golang/v5/okta"
)

func init() {
	maps.Copy(realParams, map[string]string{"keyId": "kwk0000000000000000x"})
	maps.Copy(goodBodies, map[string]string{
		"POST /api/v1/authorizationServers/{authServerId}/credentials/lifecycle/keyRotate": `{"use":"sig"}`,
	})
}

// kidOf is the key id in a JWT's header.
func kidOf(t *testing.T, jwt string) string {
	t.Helper()
	head, _, _ := strings.Cut(jwt, ".")
	raw, err := base64.RawURLEncoding.DecodeString(head)
	must(t, err)
	var h struct {
		Kid string `json:"kid"`
	}
	must(t, json.Unmarshal(raw, &h))
	return h.Kid
}

// keyStatuses maps each key's kid to its status.
func keyStatuses(keys []okta.AuthorizationServerJsonWebKey) map[string]string {
	out := map[string]string{}
	for _, k := range keys {
		out[k.GetKid()] = k.GetStatus()
	}
	return out
}

// TestAnAuthorizationServersKeysAreRotatedWithTheOktaSDK is issue 9's
// administrator rotating the default authorization server's signing key
// with the Okta SDK for Go (ListAuthorizationServerKeys,
// RotateAuthorizationServerKeys): the key that signed becomes EXPIRED and
// a new one ACTIVE at once; a token issued before the rotation still
// verifies with go-oidc against the server's JWKS (the expired key stays
// published while its tokens live), and the next token is signed with the
// new key id, which go-oidc finds by fetching the JWKS again.
func TestAnAuthorizationServersKeysAreRotatedWithTheOktaSDK(t *testing.T) {
	s := start(t)
	admin := s.oktaAdmin()
	ctx := context.Background()
	step := steps(t)
	issuer := s.main.OrgURL + "/oauth2/default"
	var job, secret, before, oldKid string
	var verifier *oidc.IDTokenVerifier
	var rpCtx context.Context
	accessToken := func(t *testing.T) string {
		t.Helper()
		status, out := admin.clientCredentials(t, job, secret, "nightly")
		tok, _ := out["access_token"].(string)
		if status != http.StatusOK || tok == "" {
			t.Fatalf("client_credentials: %d %v", status, out)
		}
		return tok
	}
	step("a service app gets a token from the default server, signed with its one ACTIVE key", func(t *testing.T) {
		job, secret = admin.nightlyJob(t)
		before = accessToken(t)
		oldKid = kidOf(t, before)
		keys := must2[[]okta.AuthorizationServerJsonWebKey](t, "list the keys")(admin.AuthorizationServerKeysAPI.ListAuthorizationServerKeys(ctx, "default").Execute())
		if got := keyStatuses(keys); len(got) != 1 || got[oldKid] != "ACTIVE" || keys[0].GetAlg() != "RS256" || keys[0].GetUse() != "sig" || keys[0].GetN() == "" {
			t.Fatalf("the server's keys: %+v (the token's kid %s)", got, oldKid)
		}
	})
	step("go-oidc verifies the token against the server's JWKS", func(t *testing.T) {
		rpCtx = oidc.ClientContext(ctx, admin.GetConfig().HTTPClient)
		p, err := oidc.NewProvider(rpCtx, issuer)
		must(t, err)
		verifier = p.Verifier(&oidc.Config{ClientID: "api://default"})
		tok, err := verifier.Verify(rpCtx, before)
		must(t, err)
		if tok.Subject != job {
			t.Errorf("the token's subject %q, want the client %q", tok.Subject, job)
		}
	})
	step("keyRotate answers the new ACTIVE key and the old one EXPIRED", func(t *testing.T) {
		use := okta.NewJwkUse()
		use.SetUse("sig")
		keys := must2[[]okta.AuthorizationServerJsonWebKey](t, "rotate the keys")(admin.AuthorizationServerKeysAPI.
			RotateAuthorizationServerKeys(ctx, "default").Use(*use).Execute())
		got := keyStatuses(keys)
		if len(got) != 2 || got[oldKid] != "EXPIRED" {
			t.Fatalf("after keyRotate: %v (old kid %s)", got, oldKid)
		}
	})
	step("a token issued before the rotation still verifies, and the next one is signed with the new key", func(t *testing.T) {
		if _, err := verifier.Verify(rpCtx, before); err != nil {
			t.Errorf("the token issued before the rotation: %v", err)
		}
		after := accessToken(t)
		newKid := kidOf(t, after)
		keys := must2[[]okta.AuthorizationServerJsonWebKey](t, "list the keys")(admin.AuthorizationServerKeysAPI.ListAuthorizationServerKeys(ctx, "default").Execute())
		if newKid == oldKid || keyStatuses(keys)[newKid] != "ACTIVE" {
			t.Fatalf("the new token's kid %s; keys %v", newKid, keyStatuses(keys))
		}
		if _, err := verifier.Verify(rpCtx, after); err != nil {
			t.Errorf("the token issued after the rotation: %v", err)
		}
	})
	step("an encryption key or an unknown server is refused as Okta refuses them", func(t *testing.T) {
		use := okta.NewJwkUse()
		use.SetUse("enc")
		_, resp, err := admin.AuthorizationServerKeysAPI.RotateAuthorizationServerKeys(ctx, "default").Use(*use).Execute()
		wantOktaError(t, "use enc", resp, err, 400, "E0000001")
		use.SetUse("sig")
		_, resp, err = admin.AuthorizationServerKeysAPI.RotateAuthorizationServerKeys(ctx, "ausNoSuchServer").Use(*use).Execute()
		wantOktaError(t, "an unknown server", resp, err, 404, "E0000007")
	})
}
