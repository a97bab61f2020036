package oktaapi

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/keys"
)

const (
	nativeBody = `{"name":"oidc_client","label":"okta-aws-cli","signOnMode":"OPENID_CONNECT",` +
		`"credentials":{"oauthClient":{"token_endpoint_auth_method":"none"}},` +
		`"settings":{"oauthClient":{"application_type":"native","redirect_uris":["http://localhost:8080/callback","com.example.cli:/cb"],` +
		`"grant_types":["authorization_code","refresh_token","urn:ietf:params:oauth:grant-type:device_code",` +
		`"urn:ietf:params:oauth:grant-type:token-exchange"],"response_types":["code"]}}}`
	webBody = `{"name":"oidc_client","label":"Wiki","signOnMode":"OPENID_CONNECT",` +
		`"settings":{"oauthClient":{"application_type":"web","redirect_uris":["https://wiki.example/cb"],` +
		`"post_logout_redirect_uris":["https://wiki.example/"],"grant_types":["authorization_code","client_credentials"]}}}`
)

// ecJWK is a fresh P-256 public key as a JWK.
func ecJWK(t *testing.T) map[string]any {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := k.PublicKey.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return map[string]any{"kty": "EC", "crv": "P-256", "kid": "ci-1", "alg": "ES256", "x": enc(pt[1:33]), "y": enc(pt[33:])}
}

// serviceBody is a service app authenticating with private_key_jwt and keys.
func serviceBody(t *testing.T, keys ...map[string]any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"name": "oidc_client", "label": "CI", "signOnMode": "OPENID_CONNECT",
		"credentials": map[string]any{"oauthClient": map[string]any{"token_endpoint_auth_method": "private_key_jwt"}},
		"settings": map[string]any{"oauthClient": map[string]any{"application_type": "service",
			"grant_types": []string{"client_credentials"}, "jwks": map[string]any{"keys": keys}}}})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestANativeOIDCAppIsAPublicClientWhoseClientIDIsItsID(t *testing.T) {
	w := newAppWorld(t)
	app := w.must(200, "POST", "/api/v1/apps", nativeBody)
	id := app["id"].(string)
	want := map[string]any{
		"name": "oidc_client", "signOnMode": "OPENID_CONNECT", "status": "ACTIVE",
		"credentials.oauthClient.client_id": id, "credentials.oauthClient.token_endpoint_auth_method": "none",
		"credentials.oauthClient.pkce_required": true, "credentials.oauthClient.client_secret": nil,
		"settings.oauthClient.application_type": "native", "settings.oauthClient.consent_method": "TRUSTED",
		"settings.oauthClient.response_types": []any{"code"},
		"settings.oauthClient.redirect_uris":  []any{"http://localhost:8080/callback", "com.example.cli:/cb"},
		"_links.clientSecrets.href":           "https://keyward.example/api/v1/apps/" + id + "/credentials/secrets",
	}
	got := map[string]any{}
	for k := range want {
		got[k] = at(app, k)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("created app (-want +got):\n%s", diff)
	}
	if read := w.must(200, "GET", "/api/v1/apps/"+id, ""); !cmp.Equal(app, read) {
		t.Errorf("read back differs:\n%s", cmp.Diff(app, read))
	}
	stored, err := w.st.App(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !stored.OAuth.Allows(directory.GrantDeviceCode) || stored.OAuth.SecretHash != "" {
		t.Errorf("stored client settings: %+v", stored.OAuth)
	}
}

func TestAWebAppsSecretIsShownOnceAndStoredOnlyAsItsHash(t *testing.T) {
	w := newAppWorld(t)
	app := w.must(200, "POST", "/api/v1/apps", webBody)
	id := app["id"].(string)
	secret, _ := at(app, "credentials.oauthClient.client_secret").(string)
	if len(secret) != 40 || at(app, "credentials.oauthClient.token_endpoint_auth_method") != "client_secret_basic" {
		t.Fatalf("created: secret %q, method %v", secret, at(app, "credentials.oauthClient.token_endpoint_auth_method"))
	}
	if read := w.must(200, "GET", "/api/v1/apps/"+id, ""); at(read, "credentials.oauthClient.client_secret") != nil {
		t.Error("a read shows the secret")
	}
	if got := w.hashes(id); len(got) != 1 || got[0] != keys.HashSecret(secret)+" ACTIVE" {
		t.Errorf("stored secrets %v, want the secret's hash only", got)
	}

	replaced := w.must(200, "PUT", "/api/v1/apps/"+id, strings.Replace(webBody, `"label":"Wiki"`, `"label":"Wiki 2"`, 1))
	if at(replaced, "label") != "Wiki 2" || at(replaced, "credentials.oauthClient.client_secret") != nil {
		t.Errorf("replaced: %v", replaced)
	}
	if got := w.hashes(id); len(got) != 1 || got[0] != keys.HashSecret(secret)+" ACTIVE" {
		t.Errorf("a replace without a secret changed the secrets: %v", got)
	}
	given := "a-secret-of-my-own-0123"
	withSecret := strings.Replace(webBody, `"settings"`, `"credentials":{"oauthClient":{"client_secret":"`+given+`"}},"settings"`, 1)
	w.must(200, "PUT", "/api/v1/apps/"+id, withSecret)
	if got := w.hashes(id); len(got) != 1 || got[0] != keys.HashSecret(given)+" ACTIVE" {
		t.Errorf("a replace with a secret left %v, want only the given one", got)
	}
	native := w.must(200, "POST", "/api/v1/apps", nativeBody)["id"].(string)
	code, out := w.call(w.admin, "POST", "/api/v1/apps/"+native+"/credentials/secrets", "")
	wantOktaError(t, code, out, 400, "E0000001", "credentials.oauthClient.token_endpoint_auth_method")
	code, out = w.call(w.admin, "PUT", "/api/v1/apps/"+native, awsBody)
	wantOktaError(t, code, out, 400, "E0000001", "signOnMode")
}

// secrets are the client's stored secrets.
func (w *appWorld) secrets(clientID string) []directory.ClientSecret {
	w.t.Helper()
	all, err := w.st.ClientSecrets(w.t.Context(), clientID)
	if err != nil {
		w.t.Fatal(err)
	}
	return all
}

// hashes lists the client's stored secrets as "hash status".
func (w *appWorld) hashes(clientID string) []string {
	var out []string
	for _, c := range w.secrets(clientID) {
		out = append(out, c.Hash+" "+string(c.Status))
	}
	return out
}

func TestAServiceAppWithPrivateKeyJWTKeepsItsPublicKeys(t *testing.T) {
	w := newAppWorld(t)
	key := ecJWK(t)
	app := w.must(200, "POST", "/api/v1/apps", serviceBody(t, key))
	if diff := cmp.Diff([]any{key}, at(app, "settings.oauthClient.jwks.keys")); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	if at(app, "credentials.oauthClient.client_secret") != nil {
		t.Error("a private_key_jwt client got a secret")
	}
}

func TestOIDCAppSettingsOktaRefusesAreRefusedWithTheFieldToFix(t *testing.T) {
	w := newAppWorld(t)
	priv := ecJWK(t)
	priv["d"] = priv["x"]
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	weak := map[string]any{"kty": "RSA", "n": base64.RawURLEncoding.EncodeToString(small.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(small.E)).Bytes())}
	offCurve := ecJWK(t)
	offCurve["y"] = offCurve["x"]
	native := func(from, to string) string { return strings.Replace(nativeBody, from, to, 1) }
	cases := []struct{ name, body, cause string }{
		{"a service app asking for authorization codes", strings.Replace(serviceBody(t, ecJWK(t)), `["client_credentials"]`, `["authorization_code"]`, 1), "settings.oauthClient.grant_types"},
		{"a native app asking for client credentials", native(`"refresh_token",`, `"client_credentials",`), "settings.oauthClient.grant_types"},
		{"no grant types", native(`"grant_types":[`, `"grant_types":[],"x":[`), "settings.oauthClient.grant_types"},
		{"authorization codes with no redirect URI", native(`"redirect_uris":[`, `"redirect_uris":[],"x":[`), "settings.oauthClient.redirect_uris"},
		{"a plain http redirect to another host", native(`http://localhost:8080/callback`, `http://cli.example/cb`), "settings.oauthClient.redirect_uris"},
		{"a redirect with a fragment", native(`com.example.cli:/cb`, `https://cli.example/cb#x`), "settings.oauthClient.redirect_uris"},
		{"a custom scheme on a web app", strings.Replace(webBody, `https://wiki.example/cb`, `com.example.wiki:/cb`, 1), "settings.oauthClient.redirect_uris"},
		{"a public client without PKCE", native(`"none"`, `"none","pkce_required":false`), "credentials.oauthClient.pkce_required"},
		{"a browser app with a secret method", `{"label":"SPA","signOnMode":"OPENID_CONNECT","credentials":{"oauthClient":{"token_endpoint_auth_method":"client_secret_basic"}},"settings":{"oauthClient":{"application_type":"browser","grant_types":["authorization_code"],"redirect_uris":["https://spa.example/cb"]}}}`, "credentials.oauthClient.token_endpoint_auth_method"},
		{"private_key_jwt with no keys", serviceBody(t), "settings.oauthClient.jwks"},
		{"a private key", serviceBody(t, priv), "settings.oauthClient.jwks"},
		{"a 1024-bit RSA key", serviceBody(t, weak), "settings.oauthClient.jwks"},
		{"an EC point off its curve", serviceBody(t, offCurve), "settings.oauthClient.jwks"},
		{"a client_id of its own", native(`"token_endpoint_auth_method":"none"`, `"token_endpoint_auth_method":"none","client_id":"my-cli"`), "credentials.oauthClient.client_id"},
		{"a short client secret", strings.Replace(webBody, `"settings"`, `"credentials":{"oauthClient":{"client_secret":"short"}},"settings"`, 1), "credentials.oauthClient.client_secret"},
		{"an unknown application type", native(`"native"`, `"desktop"`), "settings.oauthClient.application_type"},
		{"no client settings", `{"label":"x","signOnMode":"OPENID_CONNECT"}`, "settings.oauthClient"},
		{"a jwks_uri", native(`"response_types"`, `"jwks_uri":"https://cli.example/jwks","response_types"`), "settings.oauthClient.jwks_uri"},
	}
	before := w.snapshot()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out := w.call(w.admin, "POST", "/api/v1/apps", tc.body)
			wantOktaError(t, code, out, 400, "E0000001", tc.cause)
		})
	}
	if after := w.snapshot(); after != before {
		t.Errorf("refused apps changed the store:\nbefore %s\nafter  %s", before, after)
	}
	code, out := w.call(w.tokenFor(w.bob, ""), "POST", "/api/v1/apps", nativeBody)
	wantOktaError(t, code, out, 403, "E0000006", "")
}

func TestTheAWSAccountFederationAppNamesItsWebSSOClient(t *testing.T) {
	w := newAppWorld(t)
	w.a.cfg.AWSRoles = &fakeAWSRoles{}
	cli := w.must(200, "POST", "/api/v1/apps", nativeBody)["id"].(string)
	saml := w.must(200, "POST", "/api/v1/apps", awsBody)["id"].(string)
	with := func(client string) string {
		return strings.Replace(strings.Replace(federationBody, "%s", "3600", 1), `"accessKey"`, `"webSSOAllowedClient":"`+client+`","accessKey"`, 1)
	}
	for _, bad := range []string{"0oaNoSuchApp", saml, "not an id!"} {
		code, out := w.call(w.admin, "POST", "/api/v1/apps", with(bad))
		wantOktaError(t, code, out, 400, "E0000001", "settings.app.webSSOAllowedClient")
	}
	app := w.must(200, "POST", "/api/v1/apps", with(cli))
	if at(app, "settings.app.webSSOAllowedClient") != cli {
		t.Errorf("settings.app = %v", at(app, "settings.app"))
	}
}

func TestAnOIDCAppIsOnTheDashboardOnlyWithAnInitiateLoginURI(t *testing.T) {
	w := newAppWorld(t)
	alice := w.user("alice@example.com")
	cli := w.must(200, "POST", "/api/v1/apps", nativeBody)["id"].(string)
	web := w.must(200, "POST", "/api/v1/apps", strings.Replace(webBody, `"grant_types"`,
		`"initiate_login_uri":"https://wiki.example/login","grant_types"`, 1))["id"].(string)
	for _, app := range []string{cli, web} {
		w.must(200, "POST", "/api/v1/apps/"+app+"/users", `{"id":"`+alice.ID+`"}`)
	}
	_, out := w.call(w.tokenFor(alice, ""), "GET", "/api/v1/users/me/appLinks", "")
	var got []string
	for _, l := range out.([]any) {
		got = append(got, at(l, "appInstanceId").(string)+" "+at(l, "linkUrl").(string))
	}
	if diff := cmp.Diff([]string{web + " https://wiki.example/login"}, got); diff != "" {
		t.Errorf("appLinks (-want +got):\n%s", diff)
	}
}
