package e2e

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"maps"
	"slices"
	"testing"

	"github.com/okta/okta-sdk-golang/v5/okta"
)

// The bad-input test (badinput_oktaapi_test.go) walks every route: these
// are the authorization-server routes' path parameters (ids that need not
// exist: a wrong one is a 404 either way) and bodies that would succeed.
func init() {
	maps.Copy(realParams, map[string]string{"authServerId": "default", "scopeId": "scp0000000000000000x",
		"claimId": "ocl0000000000000000x", "policyId": "00p0000000000000000x", "ruleId": "0pr0000000000000000x"})
	maps.Copy(goodBodies, map[string]string{
		"POST /api/v1/authorizationServers":                         `{"name":"CI","audiences":["api://ci"]}`,
		"PUT /api/v1/authorizationServers/{authServerId}":           `{"name":"default","audiences":["api://default"]}`,
		"POST /api/v1/authorizationServers/{authServerId}/scopes":   `{"name":"okta-m2m-access"}`,
		"POST /api/v1/authorizationServers/{authServerId}/policies": `{"name":"P","description":"d","conditions":{"clients":{"include":["ALL_CLIENTS"]}}}`,
	})
}

// oidcApp is an OpenID Connect app for the Okta SDK.
func oidcApp(label, appType, authMethod string, grants []string, redirects []string, jwks []okta.SchemasJsonWebKey) okta.ListApplications200ResponseInner {
	client := okta.NewOpenIdConnectApplicationSettingsClient()
	client.SetApplicationType(appType)
	client.SetGrantTypes(grants)
	client.SetRedirectUris(redirects)
	if len(jwks) > 0 {
		client.SetJwks(okta.OpenIdConnectApplicationSettingsClientKeys{Keys: jwks})
	}
	settings := okta.NewOpenIdConnectApplicationSettings()
	settings.SetOauthClient(*client)
	oauth := okta.NewApplicationCredentialsOAuthClient()
	oauth.SetTokenEndpointAuthMethod(authMethod)
	creds := okta.NewOAuthApplicationCredentials()
	creds.SetOauthClient(*oauth)
	return okta.OpenIdConnectApplicationAsListApplications200ResponseInner(
		okta.NewOpenIdConnectApplication(*creds, "oidc_client", *settings, label, "OPENID_CONNECT"))
}

// ciKey is a fresh P-256 public key as the SDK's JWK.
func ciKey(t *testing.T) okta.SchemasJsonWebKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, err)
	pt, err := k.PublicKey.Bytes()
	must(t, err)
	jwk := okta.NewSchemasJsonWebKey()
	jwk.SetKty("EC")
	jwk.SetKid("ci-1")
	jwk.SetAlg("ES256")
	jwk.AdditionalProperties = map[string]any{"crv": "P-256",
		"x": base64.RawURLEncoding.EncodeToString(pt[1:33]), "y": base64.RawURLEncoding.EncodeToString(pt[33:])}
	return *jwk
}

// TestAnAdministratorSetsUpOIDCAppsAndAnAuthorizationServerWithTheOktaSDK
// is the administrator, with the real Okta SDK for Go: an OIDC
// native app for the CLI, a service app for CI with a public key, an
// authorization server with the okta-m2m-access scope and a client
// credentials rule for CI, and the CLI named as the AWS Account
// Federation app's web-SSO client.
func TestAnAdministratorSetsUpOIDCAppsAndAnAuthorizationServerWithTheOktaSDK(t *testing.T) {
	s := start(t)
	admin := s.oktaAdmin()
	ctx := context.Background()
	var cli, ci, server, policy string
	step := steps(t)
	step("the CLI is a native app: a public client with codes, device authorization, token exchange and refresh", func(t *testing.T) {
		grants := []string{"authorization_code", "urn:ietf:params:oauth:grant-type:device_code",
			"urn:ietf:params:oauth:grant-type:token-exchange", "refresh_token"}
		app := must2[*okta.ListApplications200ResponseInner](t, "create the CLI app")(admin.ApplicationAPI.CreateApplication(ctx).
			Application(oidcApp("okta-aws-cli", "native", "none", grants, []string{"http://localhost:8080/callback"}, nil)).Execute())
		got := app.OpenIdConnectApplication
		if got == nil {
			t.Fatalf("the SDK did not read an OpenID Connect app back")
		}
		cli = got.GetId()
		oc := got.Credentials.GetOauthClient()
		if oc.GetClientId() != cli || oc.GetTokenEndpointAuthMethod() != "none" || !oc.GetPkceRequired() || oc.HasClientSecret() {
			t.Errorf("credentials.oauthClient = %+v", oc)
		}
		if sc := got.Settings.GetOauthClient(); !slices.Equal(sc.GetGrantTypes(), grants) || sc.GetApplicationType() != "native" {
			t.Errorf("settings.oauthClient = %+v", sc)
		}
	})
	step("a native app asking for client credentials is refused with Okta's validation error", func(t *testing.T) {
		_, resp, err := admin.ApplicationAPI.CreateApplication(ctx).
			Application(oidcApp("bad", "native", "none", []string{"client_credentials"}, nil, nil)).Execute()
		wantOktaError(t, "create", resp, err, 400, "E0000001")
	})
	step("CI is a service app authenticating with private_key_jwt and its public key", func(t *testing.T) {
		app := must2[*okta.ListApplications200ResponseInner](t, "create the CI app")(admin.ApplicationAPI.CreateApplication(ctx).
			Application(oidcApp("CI", "service", "private_key_jwt", []string{"client_credentials"}, nil, []okta.SchemasJsonWebKey{ciKey(t)})).Execute())
		ci = app.OpenIdConnectApplication.GetId()
		oc := app.OpenIdConnectApplication.Settings.GetOauthClient()
		keys := oc.GetJwks().Keys
		if len(keys) != 1 || keys[0].GetKid() != "ci-1" || keys[0].AdditionalProperties["crv"] != "P-256" {
			t.Errorf("jwks = %+v", keys)
		}
	})
	step("an app read with the SDK is replaced with the SDK, its keys and settings kept", func(t *testing.T) {
		read := must2[*okta.ListApplications200ResponseInner](t, "read the CI app")(admin.ApplicationAPI.GetApplication(ctx, ci).Execute())
		read.OpenIdConnectApplication.SetLabel("CI jobs")
		replaced := must2[*okta.ListApplications200ResponseInner](t, "replace the CI app")(admin.ApplicationAPI.
			ReplaceApplication(ctx, ci).Application(*read).Execute())
		oc := replaced.OpenIdConnectApplication.Settings.GetOauthClient()
		if replaced.OpenIdConnectApplication.GetLabel() != "CI jobs" || len(oc.GetJwks().Keys) != 1 {
			t.Errorf("replaced: label %q, %d keys", replaced.OpenIdConnectApplication.GetLabel(), len(oc.GetJwks().Keys))
		}
	})
	step("the org starts with the default authorization server for every client", func(t *testing.T) {
		def := must2[*okta.AuthorizationServer](t, "get default")(admin.AuthorizationServerAPI.GetAuthorizationServer(ctx, "default").Execute())
		if !slices.Equal(def.Audiences, []string{"api://default"}) || def.GetIssuer() != s.main.OrgURL+"/oauth2/default" {
			t.Errorf("default server = %+v", def)
		}
		policies := must2[[]okta.AuthorizationServerPolicy](t, "default policies")(
			admin.AuthorizationServerPoliciesAPI.ListAuthorizationServerPolicies(ctx, "default").Execute())
		if len(policies) != 1 || !slices.Equal(policies[0].Conditions.Clients.Include, []string{"ALL_CLIENTS"}) {
			t.Errorf("default policies = %+v", policies)
		}
	})
	step("an authorization server for CI gets the okta-m2m-access scope and a policy for the CI app", func(t *testing.T) {
		as := okta.NewAuthorizationServer()
		as.SetName("CI")
		as.SetDescription("machines")
		as.SetAudiences([]string{"api://ci"})
		created := must2[*okta.AuthorizationServer](t, "create the server")(admin.AuthorizationServerAPI.CreateAuthorizationServer(ctx).
			AuthorizationServer(*as).Execute())
		server = created.GetId()
		scope := okta.NewOAuth2Scope()
		scope.SetName("okta-m2m-access")
		scope.SetConsent("IMPLICIT")
		must2[*okta.OAuth2Scope](t, "create the scope")(admin.AuthorizationServerScopesAPI.CreateOAuth2Scope(ctx, server).OAuth2Scope(*scope).Execute())
		p := okta.AuthorizationServerPolicy{Conditions: &okta.AuthorizationServerPolicyConditions{Clients: &okta.ClientPolicyCondition{Include: []string{ci}}},
			AdditionalProperties: map[string]any{"type": "OAUTH_AUTHORIZATION_POLICY", "name": "CI", "description": "CI jobs", "priority": 1}}
		got := must2[*okta.AuthorizationServerPolicy](t, "create the policy")(admin.AuthorizationServerPoliciesAPI.CreateAuthorizationServerPolicy(ctx, server).
			Policy(p).Execute())
		policy, _ = got.AdditionalProperties["id"].(string)
	})
	step("the policy's rule grants client credentials with okta-m2m-access", func(t *testing.T) {
		rule := okta.NewAuthorizationServerPolicyRule()
		rule.SetName("client credentials")
		rule.SetType("RESOURCE_ACCESS")
		rule.SetConditions(okta.AuthorizationServerPolicyRuleConditions{
			GrantTypes: &okta.GrantTypePolicyRuleCondition{Include: []string{"client_credentials"}},
			Scopes:     &okta.OAuth2ScopesMediationPolicyRuleCondition{Include: []string{"okta-m2m-access"}},
			People: &okta.AuthorizationServerPolicyPeopleCondition{
				Groups: &okta.AuthorizationServerPolicyRuleGroupCondition{Include: []string{"EVERYONE"}}}})
		minutes := int32(30)
		rule.SetActions(okta.AuthorizationServerPolicyRuleActions{Token: &okta.TokenAuthorizationServerPolicyRuleAction{AccessTokenLifetimeMinutes: &minutes}})
		created := must2[*okta.AuthorizationServerPolicyRule](t, "create the rule")(admin.AuthorizationServerRulesAPI.
			CreateAuthorizationServerPolicyRule(ctx, server, policy).PolicyRule(*rule).Execute())
		read := must2[*okta.AuthorizationServerPolicyRule](t, "read the rule")(admin.AuthorizationServerRulesAPI.
			GetAuthorizationServerPolicyRule(ctx, server, policy, created.GetId()).Execute())
		if !slices.Equal(read.Conditions.Scopes.Include, []string{"okta-m2m-access"}) ||
			read.Actions.Token.GetAccessTokenLifetimeMinutes() != 30 || read.GetStatus() != "ACTIVE" {
			t.Errorf("rule read back: %+v %+v", read.Conditions, read.Actions)
		}
	})
	step("the AWS Account Federation app names the CLI as its web-SSO client, and nothing else", func(t *testing.T) {
		_, resp, err := admin.ApplicationAPI.CreateApplication(ctx).Application(federationApp(s, map[string]any{"webSSOAllowedClient": ci + "x"})).Execute()
		wantOktaError(t, "an unknown client", resp, err, 400, "E0000001")
		app := must2[*okta.ListApplications200ResponseInner](t, "create the app")(admin.ApplicationAPI.CreateApplication(ctx).
			Application(federationApp(s, map[string]any{"webSSOAllowedClient": cli})).Execute())
		if got := app.SamlApplication.Settings.App.AdditionalProperties["webSSOAllowedClient"]; got != cli {
			t.Errorf("settings.app.webSSOAllowedClient = %v, want %s", got, cli)
		}
	})
}
