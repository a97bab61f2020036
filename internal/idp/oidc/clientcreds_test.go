package oidc_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/oauth2/clientcredentials"
)

// assertion is a client assertion signed by key with alg, naming kid.
func assertion(t testing.TB, key any, alg jose.SignatureAlgorithm, kid string, claims map[string]any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithHeader("kid", kid)
	if kid == "" {
		opts = &jose.SignerOptions{}
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	must(t, err)
	tok, err := jwt.Signed(signer).Claims(claims).Serialize()
	must(t, err)
	return tok
}

// m2mClaims are okta-aws-cli m2m's claims for the ci app at now.
func (f *fixture) m2mClaims(now time.Time, jti string) map[string]any {
	return map[string]any{"iss": f.ci.ID, "sub": f.ci.ID, "aud": f.url + "/oauth2/default/v1/token",
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "jti": jti}
}

func (f *fixture) m2mForm(tok string) url.Values {
	return url.Values{"grant_type": {"client_credentials"}, "scope": {"okta-m2m-access"},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {tok}}
}

func TestClientCredentialsWithAPrivateKeyJWTGivesAnAccessTokenForTheDefaultServer(t *testing.T) {
	f := newFixture(t)
	rsaKey, ecKey := clientKeys(t)
	for name, tok := range map[string]string{
		"RS256": assertion(t, rsaKey, jose.RS256, "rsa-1", f.m2mClaims(f.clk.Now(), "jti-rs")),
		"ES256": assertion(t, ecKey, jose.ES256, "ec-1", f.m2mClaims(f.clk.Now(), "jti-es")),
	} {
		t.Run("signed with "+name, func(t *testing.T) {
			status, body := f.post(t, "/oauth2/default/v1/token", f.m2mForm(tok))
			if status != 200 || str(body, "token_type") != "Bearer" || str(body, "scope") != "okta-m2m-access" || len(str(body, "access_token")) < 4 {
				t.Fatalf("got %d %v", status, body)
			}
			var c struct {
				Iss string   `json:"iss"`
				Aud string   `json:"aud"`
				Sub string   `json:"sub"`
				Cid string   `json:"cid"`
				Scp []string `json:"scp"`
			}
			parsed, err := jwt.ParseSigned(str(body, "access_token"), []jose.SignatureAlgorithm{jose.RS256})
			must(t, err)
			must(t, parsed.UnsafeClaimsWithoutVerification(&c))
			if c.Iss != f.url+"/oauth2/default" || c.Aud != "api://default" || c.Sub != f.ci.ID || c.Cid != f.ci.ID {
				t.Errorf("access token claims = %+v", c)
			}
		})
	}
}

func TestXOAuth2ClientCredentialsWithAJWTAssertion(t *testing.T) {
	f := newFixture(t)
	rsaKey, _ := clientKeys(t)
	cfg := clientcredentials.Config{ClientID: f.ci.ID, TokenURL: f.url + "/oauth2/default/v1/token", Scopes: []string{"okta-m2m-access"},
		EndpointParams: url.Values{"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
			"client_assertion": {assertion(t, rsaKey, jose.RS256, "rsa-1", f.m2mClaims(f.clk.Now(), "jti-x"))}}}
	tok, err := cfg.Token(context.Background())
	if err != nil || tok.AccessToken == "" || tok.TokenType != "Bearer" {
		t.Fatalf("x/oauth2: %v %+v", err, tok)
	}
}

// TestClientAssertionAttacksAreRefused: every forged, replayed or
// misaddressed assertion is invalid_client and issues nothing.
func TestClientAssertionAttacksAreRefused(t *testing.T) {
	f := newFixture(t)
	rsaKey, ecKey := clientKeys(t)
	now := f.clk.Now()
	claims := func(edit func(map[string]any)) map[string]any {
		c := f.m2mClaims(now, "jti-"+strings.ReplaceAll(t.Name(), "/", "-"))
		edit(c)
		return c
	}
	replayed := assertion(t, rsaKey, jose.RS256, "rsa-1", f.m2mClaims(now, "once"))
	if status, body := f.post(t, "/oauth2/default/v1/token", f.m2mForm(replayed)); status != 200 {
		t.Fatalf("first use: %d %v", status, body)
	}
	pubDER := rsaKey.PublicKey.N.Bytes()
	hsSigner, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: pubDER}, (&jose.SignerOptions{}).WithHeader("kid", "rsa-1"))
	must(t, err)
	hs, err := jwt.Signed(hsSigner).Claims(f.m2mClaims(now, "hs")).Serialize()
	must(t, err)
	cases := []struct {
		name, token, desc string
	}{
		{"a jti used before", replayed, "already been used"},
		{"HS256 keyed with the client's public key (algorithm confusion)", hs, "RS256 or ES256"},
		{"alg none", noneToken(f.m2mClaims(now, "none")), "RS256 or ES256"},
		{"an audience of another server", assertion(t, rsaKey, jose.RS256, "rsa-1", claims(func(c map[string]any) { c["aud"] = f.url + "/oauth2/v1/token" })), "aud"},
		{"an expired assertion", assertion(t, rsaKey, jose.RS256, "rsa-1", claims(func(c map[string]any) { c["exp"] = now.Add(-2 * time.Minute).Unix() })), "expired"},
		{"a not-before an hour away (RFC 7523 §3: not accepted before nbf)", assertion(t, rsaKey, jose.RS256, "rsa-1", claims(func(c map[string]any) {
			c["nbf"], c["exp"] = now.Add(time.Hour).Unix(), now.Add(time.Hour+time.Minute).Unix()
		})), "not valid yet"},
		{"an expiry days away", assertion(t, rsaKey, jose.RS256, "rsa-1", claims(func(c map[string]any) { c["exp"] = now.Add(48 * time.Hour).Unix() })), "too far"},
		{"no jti", assertion(t, rsaKey, jose.RS256, "rsa-1", claims(func(c map[string]any) { delete(c, "jti") })), "jti"},
		{"sub naming another client", assertion(t, rsaKey, jose.RS256, "rsa-1", claims(func(c map[string]any) { c["sub"] = f.cli.ID })), "sub"},
		{"the EC key under the RSA key's kid", assertion(t, ecKey, jose.ES256, "rsa-1", claims(func(map[string]any) {})), "signature"},
		{"a key the client never registered", assertion(t, mustRSA(t), jose.RS256, "rsa-1", claims(func(map[string]any) {})), "signature"},
		{"a public client naming itself", assertion(t, rsaKey, jose.RS256, "rsa-1", claims(func(c map[string]any) { c["iss"], c["sub"] = f.cli.ID, f.cli.ID })), "Client authentication failed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := f.post(t, "/oauth2/default/v1/token", f.m2mForm(c.token))
			wantError(t, status, body, 401, "invalid_client", c.desc)
		})
	}
}

// noneToken is an unsigned JWT (alg none).
func noneToken(claims map[string]any) string {
	return `eyJhbGciOiJub25lIn0.` + b64JSON(claims) + `.`
}
