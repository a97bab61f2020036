package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// oauthError checks an SSO-OIDC error: the exception in X-Amzn-ErrorType
// and __type, and the OAuth error in the body's error field.
func oauthError(t *testing.T, w wire, status int, code, oauth, msg string) {
	t.Helper()
	e := jsonError(t, w, "application/json", status, code, msg)
	if e.Error != oauth || e.Description == "" {
		t.Errorf("error = %q with error_description %q, want %q with a description", e.Error, e.Description, oauth)
	}
}

func TestSSOOIDCRefusesBadRegistrations(t *testing.T) {
	s := start(t)
	cases := []struct {
		name, body, code, oauth, msg string
	}{
		{"malformed JSON is an InvalidRequestException", `{"clientName":`, "InvalidRequestException", "invalid_request", "malformed JSON"},
		{"a JSON array is an InvalidRequestException", `[]`, "InvalidRequestException", "invalid_request", "must be a JSON object"},
		{"scopes given as a string is an InvalidRequestException", `{"clientName":"c","clientType":"public","scopes":"sso:account:access"}`,
			"InvalidRequestException", "invalid_request", "scopes must be a list"},
		{"a missing clientName is an InvalidRequestException", `{"clientType":"public"}`, "InvalidRequestException", "invalid_request", "clientName"},
		{"a missing clientType is an InvalidRequestException", `{"clientName":"c"}`, "InvalidRequestException", "invalid_request", "clientType"},
		{"a confidential client is an InvalidClientMetadataException", `{"clientName":"c","clientType":"confidential"}`,
			"InvalidClientMetadataException", "invalid_client_metadata", "clientType must be public"},
		{"a scope with spaces is an InvalidScopeException", `{"clientName":"c","clientType":"public","scopes":["sso:account:access","rm -rf"]}`,
			"InvalidScopeException", "invalid_scope", `"rm -rf"`},
		{"a body over 64 KiB is an InvalidRequestException", `{"clientName":"` + strings.Repeat("c", 65<<10) + `","clientType":"public"}`,
			"InvalidRequestException", "invalid_request", "exceeds 65536 bytes"},
		{"an unknown grant type is an UnsupportedGrantTypeException", `{"clientName":"c","clientType":"public","grantTypes":["implicit"]}`,
			"UnsupportedGrantTypeException", "unsupported_grant_type", `"implicit"`},
		{"the code grant with no redirect URI is an InvalidRedirectUriException",
			`{"clientName":"c","clientType":"public","grantTypes":["authorization_code"]}`,
			"InvalidRedirectUriException", "invalid_redirect_uri", "redirectUris is required"},
		{"a redirect URI off this machine is an InvalidRedirectUriException",
			`{"clientName":"c","clientType":"public","grantTypes":["authorization_code"],"redirectUris":["https://evil.example/cb"]}`,
			"InvalidRedirectUriException", "invalid_redirect_uri", "loopback"},
		{"redirect URIs without the code grant are an InvalidClientMetadataException",
			`{"clientName":"c","clientType":"public","redirectUris":["http://127.0.0.1/cb"]}`,
			"InvalidClientMetadataException", "invalid_client_metadata", "only for the authorization_code grant"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			oauthError(t, s.restJSON(t, "/client/register", []byte(tc.body)), http.StatusBadRequest, tc.code, tc.oauth, tc.msg)
		})
	}
}

func TestSSOOIDCAnswersAWrongMethodInItsOwnShape(t *testing.T) {
	s := start(t)
	for _, path := range []string{"/client/register", "/device_authorization", "/token"} {
		t.Run("GET "+path+" is invalid_request", func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, s.url+path, nil)
			w := roundTrip(t, req)
			oauthError(t, w, http.StatusBadRequest, "InvalidRequestException", "invalid_request", "use POST")
			if w.Header.Get("Allow") != http.MethodPost {
				t.Errorf("Allow = %q, want POST", w.Header.Get("Allow"))
			}
		})
	}
}

func TestSSOOIDCRefusesBadDeviceAuthorizations(t *testing.T) {
	s := start(t)
	c := s.registerClient(t, "cli")
	start := func(id, secret, startURL string) wire {
		return s.restJSON(t, "/device_authorization", map[string]string{"clientId": id, "clientSecret": secret, "startUrl": startURL})
	}
	t.Run("an unknown client is a 401 invalid_client", func(t *testing.T) {
		oauthError(t, start("no-such-client", c.Secret, s.main.StartURL), http.StatusUnauthorized, "InvalidClientException", "invalid_client", "Invalid client")
	})
	t.Run("a wrong client secret is a 401 invalid_client", func(t *testing.T) {
		oauthError(t, start(c.ID, c.Secret+"x", s.main.StartURL), http.StatusUnauthorized, "InvalidClientException", "invalid_client", "Invalid client")
	})
	t.Run("a missing startUrl is an InvalidRequestException", func(t *testing.T) {
		oauthError(t, start(c.ID, c.Secret, ""), http.StatusBadRequest, "InvalidRequestException", "invalid_request", "startUrl")
	})
}

func TestSSOOIDCRefusesBadTokenRequests(t *testing.T) {
	s, clk := startClocked(t)
	s.setUpStory()
	b := s.browser()
	b.signIn(aliceName, alicePassword)
	cli, other := s.registerClient(t, "cli"), s.registerClient(t, "other")
	token := func(body map[string]string) wire { return s.restJSON(t, "/token", body) }

	t.Run("an unknown device code is invalid_grant, in exactly the bytes the SDKs parse", func(t *testing.T) {
		w := s.pollToken(t, cli, "no-such-code")
		oauthError(t, w, 400, "InvalidGrantException", "invalid_grant", "Invalid device code")
		const want = `{"__type":"InvalidGrantException","message":"Invalid device code provided",` +
			`"error":"invalid_grant","error_description":"Invalid device code provided"}`
		if string(w.Body) != want {
			t.Errorf("body = %s\nwant   %s", w.Body, want)
		}
	})
	t.Run("a wrong client secret is a 401 invalid_client", func(t *testing.T) {
		d := s.startDevice(t, cli)
		oauthError(t, s.pollToken(t, oidcClient{ID: cli.ID, Secret: "wrong"}, d.Code), 401, "InvalidClientException", "invalid_client", "Invalid client")
	})
	t.Run("an unsupported grant type is unsupported_grant_type", func(t *testing.T) {
		oauthError(t, token(map[string]string{"clientId": cli.ID, "clientSecret": cli.Secret, "grantType": "password"}),
			400, "UnsupportedGrantTypeException", "unsupported_grant_type", `"password"`)
	})
	t.Run("a missing grant type is invalid_request", func(t *testing.T) {
		oauthError(t, token(map[string]string{"clientId": cli.ID, "clientSecret": cli.Secret}), 400, "InvalidRequestException", "invalid_request", "grantType")
	})
	t.Run("a device_code grant without a device code is invalid_request", func(t *testing.T) {
		oauthError(t, s.pollToken(t, cli, ""), 400, "InvalidRequestException", "invalid_request", "deviceCode")
	})
	t.Run("a refresh with an unknown token is invalid_grant", func(t *testing.T) {
		oauthError(t, token(map[string]string{"clientId": cli.ID, "clientSecret": cli.Secret, "grantType": "refresh_token", "refreshToken": "forged"}),
			400, "InvalidGrantException", "invalid_grant", "Invalid refresh token")
	})
	t.Run("malformed JSON is invalid_request", func(t *testing.T) {
		oauthError(t, s.restJSON(t, "/token", []byte(`{"grantType":"refresh_token"`)), 400, "InvalidRequestException", "invalid_request", "malformed JSON")
	})

	t.Run("polling before the interval is slow_down, and another client's poll changes nothing", func(t *testing.T) {
		d := s.startDevice(t, cli)
		clk.Advance(2 * time.Second) // polls in the first interval never count as fast (CLI v2 polls twice at once)
		oauthError(t, s.pollToken(t, cli, d.Code), 400, "AuthorizationPendingException", "authorization_pending", "pending")
		oauthError(t, s.pollToken(t, cli, d.Code), 400, "SlowDownException", "slow_down", "slow down")
		oauthError(t, s.pollToken(t, other, d.Code), 400, "InvalidGrantException", "invalid_grant", "another client")
		b.approve(d.URIComplete, true)
		oauthError(t, s.pollToken(t, other, d.Code), 400, "InvalidGrantException", "invalid_grant", "another client")
		s.pollToken(t, cli, d.Code).ok(t)
		oauthError(t, s.pollToken(t, cli, d.Code), 400, "InvalidGrantException", "invalid_grant", "already been used")
	})
	t.Run("a denied code is access_denied and cannot be approved later", func(t *testing.T) {
		d := s.startDevice(t, cli)
		b.approve(d.URIComplete, false)
		oauthError(t, s.pollToken(t, cli, d.Code), 400, "AccessDeniedException", "access_denied", "denied")
		status, body := b.post("/device", url.Values{"user_code": {d.UserCode}, "action": {"allow"}})
		if status != http.StatusNotFound || !strings.Contains(body, "That code is not valid.") {
			t.Errorf("approving a denied code: %d\n%s", status, body)
		}
		oauthError(t, s.pollToken(t, cli, d.Code), 400, "AccessDeniedException", "access_denied", "denied")
	})
	t.Run("an expired device code is expired_token and cannot be approved", func(t *testing.T) {
		d := s.startDevice(t, cli)
		clk.Advance(10*time.Minute + time.Second)
		oauthError(t, s.pollToken(t, cli, d.Code), 400, "ExpiredTokenException", "expired_token", "expired")
		status, body := b.post("/device", url.Values{"user_code": {d.UserCode}, "action": {"allow"}})
		if status != http.StatusNotFound || !strings.Contains(body, "That code is not valid.") {
			t.Errorf("approving an expired code: %d\n%s", status, body)
		}
	})
}
