package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/keyward/keyward/internal/clock"
)

// startClocked runs keyward like start, but on a fake clock set to the real
// time, so a test can move past expiries and rate-limit windows without
// sleeping. Requests SigV4-signed at the real time stay valid until the
// clock is advanced; after that, sign with callerAt.
func startClocked(t *testing.T) (*server, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(time.Now())
	dir := t.TempDir()
	m := launch(t, dir, clk)
	return &server{t: t, main: m, url: m.AWSURL, dataDir: dir}, clk
}

// callerAt is the admin caller signing at the fake clock's time.
func (s *server) callerAt(clk *clock.Fake) *caller {
	c := s.caller()
	c.now = clk.Now
	return c
}

// restJSON POSTs an unsigned restJson1 body (SSO-OIDC).
func (s *server) restJSON(t *testing.T, path string, body any) wire {
	t.Helper()
	b, ok := body.([]byte)
	if !ok {
		b, _ = json.Marshal(body)
	}
	req, _ := http.NewRequest(http.MethodPost, s.url+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	return roundTrip(t, req)
}

// portalGET calls the SSO portal API with an optional bearer token.
func (s *server) portalGET(t *testing.T, pathAndQuery, bearer string) wire {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.url+pathAndQuery, nil)
	if bearer != "" {
		req.Header.Set("X-Amz-Sso_bearer_token", bearer)
	}
	return roundTrip(t, req)
}

// oidcClient is a registered SSO-OIDC client.
type oidcClient struct{ ID, Secret string }

func (s *server) registerClient(t *testing.T, name string) oidcClient {
	t.Helper()
	out := s.restJSON(t, "/client/register", map[string]any{"clientName": name, "clientType": "public",
		"scopes": []string{"sso:account:access"}}).ok(t)
	return oidcClient{ID: out["clientId"].(string), Secret: out["clientSecret"].(string)}
}

// device is a started device authorization.
type device struct{ Code, UserCode, URIComplete string }

func (s *server) startDevice(t *testing.T, c oidcClient) device {
	t.Helper()
	out := s.restJSON(t, "/device_authorization", map[string]string{"clientId": c.ID, "clientSecret": c.Secret,
		"startUrl": s.main.StartURL}).ok(t)
	return device{Code: out["deviceCode"].(string), UserCode: out["userCode"].(string), URIComplete: out["verificationUriComplete"].(string)}
}

// pollToken sends one device_code CreateToken.
func (s *server) pollToken(t *testing.T, c oidcClient, deviceCode string) wire {
	t.Helper()
	return s.restJSON(t, "/token", map[string]string{"clientId": c.ID, "clientSecret": c.Secret,
		"grantType": deviceGrant, "deviceCode": deviceCode})
}

// accessToken signs in through the device flow, approving in b (already
// signed in), and returns the access token. It needs no sleep: an approved
// code is redeemed on the first poll.
func (s *server) accessToken(t *testing.T, b *browser) string {
	t.Helper()
	c := s.registerClient(t, "badinput")
	d := s.startDevice(t, c)
	b.approve(d.URIComplete, true)
	return s.pollToken(t, c, d.Code).ok(t)["accessToken"].(string)
}

// roleCredentials asks the portal API for role credentials.
func (s *server) roleCredentials(t *testing.T, bearer, accountID, role string) aws.Credentials {
	t.Helper()
	q := url.Values{"account_id": {accountID}, "role_name": {role}}
	out := s.portalGET(t, "/federation/credentials?"+q.Encode(), bearer).ok(t)
	rc := out["roleCredentials"].(map[string]any)
	return aws.Credentials{AccessKeyID: rc["accessKeyId"].(string), SecretAccessKey: rc["secretAccessKey"].(string),
		SessionToken: rc["sessionToken"].(string)}
}
