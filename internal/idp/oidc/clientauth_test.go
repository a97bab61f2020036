package oidc_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

// TestOneClientAuthenticationMethodPerRequest: RFC 6749 §2.3 allows one
// client authentication method per request, and Okta refuses a second
// with invalid_request, whichever two are sent: a request carrying two
// must not be read as whichever keyward happens to check first.
func TestOneClientAuthenticationMethodPerRequest(t *testing.T) {
	f := newFixture(t)
	rsaKey, _ := clientKeys(t)
	web := f.webClient(t)
	for _, tc := range []struct {
		name  string
		form  url.Values
		basic [2]string
	}{
		{name: "a client assertion and Basic", form: f.m2mForm(assertion(t, rsaKey, jose.RS256, "rsa-1", f.m2mClaims(f.clk.Now(), "jti-1"))),
			basic: [2]string{web.ID, webSecret}},
		{name: "a client assertion and a form secret", form: func() url.Values {
			v := f.m2mForm(assertion(t, rsaKey, jose.RS256, "rsa-1", f.m2mClaims(f.clk.Now(), "jti-2")))
			v.Set("client_secret", webSecret)
			return v
		}()},
		{name: "Basic and a form secret", form: url.Values{"grant_type": {"client_credentials"}, "client_secret": {webSecret}},
			basic: [2]string{web.ID, webSecret}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, f.url+"/oauth2/default/v1/token", strings.NewReader(tc.form.Encode()))
			must(t, err)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.basic[0] != "" {
				req.SetBasicAuth(tc.basic[0], tc.basic[1])
			}
			res, err := http.DefaultClient.Do(req)
			must(t, err)
			defer res.Body.Close()
			var body map[string]any
			must(t, json.NewDecoder(res.Body).Decode(&body))
			wantError(t, res.StatusCode, body, 400, "invalid_request", "Cannot supply multiple client credentials.")
		})
	}
}
