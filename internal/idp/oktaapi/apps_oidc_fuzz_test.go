package oktaapi

import (
	"bytes"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/keyward/keyward/internal/directory"
)

// FuzzDecodeOIDCAppBody runs OpenID Connect app bodies through decodeBody
// and the client checks: whatever the body, the answer is a 400 or a
// client Okta's rules allow.
func FuzzDecodeOIDCAppBody(f *testing.F) {
	for _, s := range []string{nativeBody, webBody, `{"label":"x","signOnMode":"OPENID_CONNECT"}`,
		`{"label":"x","signOnMode":"OPENID_CONNECT","settings":{"oauthClient":{"application_type":"service","grant_types":["client_credentials"],"jwks":{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}]}}},"credentials":{"oauthClient":{"token_endpoint_auth_method":"private_key_jwt"}}}`,
		`{"label":"x","signOnMode":"OPENID_CONNECT","settings":{"oauthClient":{"grant_types":["implicit"],"response_types":["token"],"redirect_uris":["http://[::1]:1/#"]}}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/api/v1/apps", bytes.NewReader(body))
		var b appBody
		err := decodeBody(r, &b, true)
		wantInvalid(t, "decode", err)
		if err != nil {
			return
		}
		app, _, err := b.oidcApp("0oaFuzz")
		wantInvalid(t, "oidc app", err)
		if err != nil {
			return
		}
		c := app.OAuth
		for _, g := range c.GrantTypes {
			if !slices.Contains(grantsByType[c.ApplicationType], g) {
				t.Fatalf("accepted grant %q for a %s app", g, c.ApplicationType)
			}
		}
		if (c.Public() && !c.PKCERequired) || (c.TokenEndpointAuthMethod == directory.AuthPrivateKeyJWT && len(c.JWKS) == 0) {
			t.Fatalf("accepted a client Okta refuses: %+v", c)
		}
	})
}
