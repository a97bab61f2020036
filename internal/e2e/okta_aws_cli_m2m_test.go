package e2e

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/okta/okta-sdk-golang/v5/okta"

	"github.com/keyward/keyward/internal/config"
)

// TestOktaAWSCLIM2MAgainstKeyward is issue 9's CI job: `okta-aws-cli m2m`
// with its private key signs a client assertion for keyward's default
// authorization server, gets an access token with the okta-m2m-access
// scope, and trades it at sts.amazonaws.com (through the HTTPS proxy) for
// the credentials of a role that trusts keyward's issuer, registered in
// IAM as an OIDC provider with the thumbprint of keyward's CA.
//
// IAM takes only issuers on port 443, so the org URL is
// https://idp.keyward.test (served on a loopback port): the CLI and STS
// reach it by that name, as they would through DNS.
func TestOktaAWSCLIM2MAgainstKeyward(t *testing.T) {
	dir := t.TempDir()
	var idpAddr atomic.Value
	toIdP := func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr != idpHost+":443" {
			return nil, fmt.Errorf("e2e: only %s is routed, not %s", idpHost, addr)
		}
		return (&net.Dialer{}).DialContext(ctx, network, idpAddr.Load().(string))
	}
	webIdentityDials.Store(dir, toIdP)
	t.Cleanup(func() { webIdentityDials.Delete(dir) })
	s := startTLSIn(t, dir, func(c *config.Config) { c.IdP.URL = "https://" + idpHost })
	idpAddr.Store(s.main.IdPAddr())
	ctx := context.Background()
	org, token := bootstrapToken(t, s.dataDir)
	admin := oktaClientTrusting(t, org, s.main.IdPAddr(), token, s.roots)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	must(t, err)
	ci := must2[*okta.ListApplications200ResponseInner](t, "create the CI app")(admin.ApplicationAPI.CreateApplication(ctx).
		Application(oidcApp("CI job", "service", "private_key_jwt", []string{"client_credentials"}, nil,
			[]okta.SchemasJsonWebKey{rsaJWK("ci-rsa", &key.PublicKey)})).Execute()).OpenIdConnectApplication.GetId()
	scope := okta.NewOAuth2Scope()
	scope.SetName("okta-m2m-access")
	scope.SetConsent("IMPLICIT")
	must2[*okta.OAuth2Scope](t, "create the scope")(admin.AuthorizationServerScopesAPI.CreateOAuth2Scope(ctx, "default").OAuth2Scope(*scope).Execute())

	issuer := s.main.OrgURL + "/oauth2/default"
	role := s.trustIssuer(t, issuer, ci)
	m2m := &oktaAWSCLI{s: s, c: s.oktaAWSCLIClient(), op: "m2m"}
	m2m.c.Transport.(*http.Transport).DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr == idpHost+":443" {
			return toIdP(ctx, network, addr)
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	m2m.c.Transport.(*http.Transport).Proxy = func(r *http.Request) (*url.URL, error) {
		if r.URL.Hostname() == idpHost {
			return nil, nil // NO_PROXY=idp.keyward.test, as the operator guide says
		}
		return proxyLikeGo(s.main.ProxyURL)(r)
	}
	orgDomain := strings.TrimPrefix(s.main.OrgURL, "https://")
	assertion := clientAssertion(t, key, "ci-rsa", ci, "https://"+orgDomain+"/oauth2/default/v1/token")
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {"okta-m2m-access"},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {assertion}}
	status, tok := m2m.token(t, "/oauth2/default/v1/token", form, false)
	if status != http.StatusOK || len(tok.AccessToken) < 4 || tok.Scope != "okta-m2m-access" {
		t.Fatalf("the m2m token: %d %+v", status, tok)
	}
	if status, again := m2m.token(t, "/oauth2/default/v1/token", form, false); status != http.StatusUnauthorized || again.Error != "invalid_client" {
		t.Errorf("the same assertion again: %d %+v, want 401 invalid_client", status, again)
	}

	status, out := m2m.sts(t, url.Values{"Action": {"AssumeRoleWithWebIdentity"}, "DurationSeconds": {"3600"}, "RoleArn": {role},
		"RoleSessionName": {"okta-aws-cli"}, "WebIdentityToken": {tok.AccessToken}})
	if status != http.StatusOK || out.Credentials.AccessKeyId == "" || out.Credentials.SessionToken == "" {
		t.Fatalf("AssumeRoleWithWebIdentity at sts.amazonaws.com: %d %+v", status, out)
	}
}

// idpHost is the org URL's host name in tests whose issuer IAM must take.
const idpHost = "idp.keyward.test"

// trustIssuer registers issuer in IAM as an OIDC provider for the
// audience api://default, with the thumbprint of keyward's CA (the top of
// the chain its TLS listener sends), and creates a role its client
// clientID may assume; it returns the role's ARN.
func (s *tlsServer) trustIssuer(t *testing.T, issuer, clientID string) string {
	t.Helper()
	ctx := context.Background()
	cfg := s.adminConfig()
	cfg.HTTPClient = s.oktaAWSCLIClient()
	in := iam.NewFromConfig(cfg)
	pemBytes, err := os.ReadFile(s.caFile)
	must(t, err)
	block, _ := pem.Decode(pemBytes)
	sum := sha1.Sum(block.Bytes)
	provider, err := in.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String(issuer),
		ClientIDList: []string{"api://default"}, ThumbprintList: []string{hex.EncodeToString(sum[:])}})
	must(t, err)
	host := strings.TrimPrefix(issuer, "https://")
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + aws.ToString(provider.OpenIDConnectProviderArn) +
		`"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"` + host + `:sub":"` + clientID + `","` + host + `:aud":"api://default"}}}]}`
	out, err := in.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("CIDeployer"), AssumeRolePolicyDocument: aws.String(trust)})
	must(t, err)
	return aws.ToString(out.Role.Arn)
}

// clientAssertion is okta-aws-cli m2m's JWT (§4): RS256 with the key id,
// no typ, the client as iss and sub, the token endpoint as aud, an hour's
// life and a fresh jti.
func clientAssertion(t *testing.T, key *rsa.PrivateKey, kid, clientID, aud string) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithHeader("kid", kid))
	must(t, err)
	now := time.Now()
	tok, err := jwt.Signed(signer).Claims(map[string]any{"iss": clientID, "sub": clientID, "aud": aud,
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "jti": randomID(t)}).Serialize()
	must(t, err)
	return tok
}

func randomID(t *testing.T) string {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	must(t, err)
	return n.Text(36)
}

// rsaJWK is an RSA public key as the Okta SDK's JWK.
func rsaJWK(kid string, pub *rsa.PublicKey) okta.SchemasJsonWebKey {
	jwk := okta.NewSchemasJsonWebKey()
	jwk.SetKty("RSA")
	jwk.SetKid(kid)
	jwk.SetAlg("RS256")
	jwk.AdditionalProperties = map[string]any{"n": base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes())}
	return *jwk
}
