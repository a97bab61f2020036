package e2e

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/okta/okta-sdk-golang/v5/okta"
)

func init() {
	maps.Copy(realParams, map[string]string{"secretId": "ocs0000000000000000x"})
}

// oktaCall is one management-API call the SDK for Go v5.0.2 has no method
// for (its OAuth 2.0 client-secret operations came later), sent over the
// SDK's own HTTP client with the admin's token; out, when not nil, is
// decoded from a 2xx answer.
func (o *oktaAdmin) oktaCall(t *testing.T, method, path, body string, out any) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, o.orgURL+path, strings.NewReader(body))
	must(t, err)
	req.Header.Set("Authorization", "SSWS "+o.token)
	req.Header.Set("Accept", "application/json")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := o.GetConfig().HTTPClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	must(t, err)
	if out != nil && resp.StatusCode/100 == 2 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
	return resp.StatusCode, raw
}

// clientCredentials asks the default authorization server for a token
// with client_secret_basic and returns the status and the answer.
func (o *oktaAdmin) clientCredentials(t *testing.T, clientID, secret, scope string) (int, map[string]any) {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {scope}}
	req, err := http.NewRequest("POST", o.orgURL+"/oauth2/default/v1/token", strings.NewReader(form.Encode()))
	must(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(secret))
	resp, err := o.GetConfig().HTTPClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	var out map[string]any
	must(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

// nightlyJob creates, with the Okta SDK, a service app authenticating with
// client_secret_basic and the default server's "nightly" scope; it
// returns the app's client id and its first secret.
func (o *oktaAdmin) nightlyJob(t *testing.T) (clientID, secret string) {
	t.Helper()
	ctx := context.Background()
	app := must2[*okta.ListApplications200ResponseInner](t, "create the job's app")(o.ApplicationAPI.CreateApplication(ctx).
		Application(oidcApp("Nightly job", "service", "client_secret_basic", []string{"client_credentials"}, nil, nil)).Execute())
	oc := app.OpenIdConnectApplication.Credentials.GetOauthClient()
	scope := okta.NewOAuth2Scope()
	scope.SetName("nightly")
	scope.SetConsent("IMPLICIT")
	must2[*okta.OAuth2Scope](t, "create the scope")(o.AuthorizationServerScopesAPI.CreateOAuth2Scope(ctx, "default").OAuth2Scope(*scope).Execute())
	return app.OpenIdConnectApplication.GetId(), oc.GetClientSecret()
}

// TestAClientSecretIsRotatedWithTheOktaSDKWhileTokensKeepFlowing is issue
// 9's administrator rotating a nightly job's client secret the way Okta
// lays it out: the job's app is created with the Okta SDK for Go; a second
// secret is added and both get tokens (client_credentials with
// client_secret_basic); the old one is deactivated, which ends its tokens
// at once (invalid_client), and deleted. Okta's rules are kept: two
// secrets at most, never none active, only an inactive one deleted. The
// secrets are read back into the SDK's model of the same wire shape.
func TestAClientSecretIsRotatedWithTheOktaSDKWhileTokensKeepFlowing(t *testing.T) {
	s := start(t)
	admin := s.oktaAdmin()
	step := steps(t)
	var job, old, oldValue, next, nextValue string
	base := func() string { return "/api/v1/apps/" + job + "/credentials/secrets" }
	token := func(t *testing.T, secret string, want int, wantErr string) {
		t.Helper()
		status, out := admin.clientCredentials(t, job, secret, "nightly")
		if status != want || (wantErr != "" && out["error"] != wantErr) || (wantErr == "" && out["access_token"] == nil) {
			t.Fatalf("client_credentials: %d %v, want %d %s", status, out, want, wantErr)
		}
	}
	step("the nightly job is a service app with client_secret_basic, its first secret shown once", func(t *testing.T) {
		job, oldValue = admin.nightlyJob(t)
		var list []okta.APIServiceIntegrationInstanceSecret
		if code, raw := admin.oktaCall(t, "GET", base(), "", &list); code != 200 || len(list) != 1 || list[0].ClientSecret != "" ||
			list[0].Status != "ACTIVE" || list[0].SecretHash == "" {
			t.Fatalf("the job's secrets: %d %s", code, raw)
		}
		old = list[0].Id
		token(t, oldValue, 200, "")
	})
	step("a second secret is added, shown once, and both get tokens", func(t *testing.T) {
		var created okta.APIServiceIntegrationInstanceSecret
		if code, raw := admin.oktaCall(t, "POST", base(), "", &created); code != 201 || len(created.ClientSecret) != 40 ||
			created.Status != "ACTIVE" || created.Links.Deactivate == nil {
			t.Fatalf("a second secret: %d %s", code, raw)
		}
		next, nextValue = created.Id, created.ClientSecret
		var read okta.APIServiceIntegrationInstanceSecret
		if code, raw := admin.oktaCall(t, "GET", base()+"/"+next, "", &read); code != 200 || read.ClientSecret != "" || read.SecretHash != created.SecretHash {
			t.Errorf("read back: %d %s", code, raw)
		}
		token(t, oldValue, 200, "")
		token(t, nextValue, 200, "")
	})
	step("a third secret, deleting an active one and a short one are refused as Okta refuses them", func(t *testing.T) {
		wantRawOktaError(t, "a third secret", admin, "POST", base(), `{"client_secret":"a-third-secret-of-my-own"}`, 400, "E0000001")
		wantRawOktaError(t, "deleting the active old secret", admin, "DELETE", base()+"/"+old, "", 400, "E0000001")
		wantRawOktaError(t, "a secret too short", admin, "POST", base(), `{"client_secret":"short"}`, 400, "E0000001")
	})
	step("the old secret is deactivated: its next token request is invalid_client, the new one's is not", func(t *testing.T) {
		var got okta.APIServiceIntegrationInstanceSecret
		if code, raw := admin.oktaCall(t, "POST", base()+"/"+old+"/lifecycle/deactivate", "", &got); code != 200 || got.Status != "INACTIVE" ||
			got.Links.Activate == nil || got.Links.Delete == nil {
			t.Fatalf("deactivate: %d %s", code, raw)
		}
		token(t, oldValue, 401, "invalid_client")
		token(t, nextValue, 200, "")
		wantRawOktaError(t, "deactivating the last active secret", admin, "POST", base()+"/"+next+"/lifecycle/deactivate", "", 400, "E0000001")
	})
	step("the old secret is deleted and stays refused", func(t *testing.T) {
		if code, raw := admin.oktaCall(t, "DELETE", base()+"/"+old, "", nil); code != 204 {
			t.Fatalf("delete: %d %s", code, raw)
		}
		wantRawOktaError(t, "the deleted secret", admin, "GET", base()+"/"+old, "", 404, "E0000007")
		var list []okta.APIServiceIntegrationInstanceSecret
		if code, raw := admin.oktaCall(t, "GET", base(), "", &list); code != 200 || len(list) != 1 || list[0].Id != next {
			t.Fatalf("left: %d %s", code, raw)
		}
		token(t, oldValue, 401, "invalid_client")
		token(t, nextValue, 200, "")
	})
}

// wantRawOktaError fails t unless the call answers Okta's error object
// with status and code, and leaves nothing else to check.
func wantRawOktaError(t *testing.T, what string, o *oktaAdmin, method, path, body string, status int, code string) {
	t.Helper()
	got, raw := o.oktaCall(t, method, path, body, nil)
	var e oktaErr
	if err := json.Unmarshal(raw, &e); err != nil || got != status || e.ErrorCode != code || e.ErrorSummary == "" {
		t.Fatalf("%s: %d %s, want %d %s", what, got, raw, status, code)
	}
}
