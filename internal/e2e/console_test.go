package e2e

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var exportRe = regexp.MustCompile(`export (AWS_[A-Z_]+)="([^"]+)"`)

// TestTheFederationEndpointTradesRoleCredentialsForAConsoleSession is the
// custom identity broker flow of AWS's docs: credentials from the portal,
// getSigninToken, then a login URL opened once.
func TestTheFederationEndpointTradesRoleCredentialsForAConsoleSession(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	b := s.browser()
	b.signIn(aliceName, alicePassword)
	_, page := b.get("/start/credentials?account_id=" + st.AccountID + "&role_name=DevOps")
	creds := map[string]string{}
	for _, m := range exportRe.FindAllStringSubmatch(page, -1) {
		creds[m[1]] = html.UnescapeString(m[2])
	}
	session, _ := json.Marshal(map[string]string{"sessionId": creds["AWS_ACCESS_KEY_ID"],
		"sessionKey": creds["AWS_SECRET_ACCESS_KEY"], "sessionToken": creds["AWS_SESSION_TOKEN"]})

	script := s.browser() // no portal session: a broker's HTTP client
	status, body := script.get("/federation?" + url.Values{"Action": {"getSigninToken"}, "SessionDuration": {"1800"}, "Session": {string(session)}}.Encode())
	var out struct{ SigninToken string }
	if status != http.StatusOK || json.Unmarshal([]byte(body), &out) != nil || out.SigninToken == "" {
		t.Fatalf("getSigninToken = %d %s", status, body)
	}

	login := "/federation?" + url.Values{"Action": {"login"}, "Issuer": {"https://broker.example.com"},
		"Destination": {"https://console.aws.amazon.com/ec2/home?region=us-east-1"}, "SigninToken": {out.SigninToken}}.Encode()
	fresh := s.browser()
	status, body = fresh.get(login)
	if status != http.StatusOK || !strings.Contains(body, `id="console-role">AWSReservedSSO_DevOps_`) ||
		!strings.Contains(body, "https://console.aws.amazon.com/ec2/home?region=us-east-1") {
		t.Errorf("the login URL shows %d:\n%s", status, body)
	}

	t.Run("a sign-in token works once", func(t *testing.T) {
		status, body := s.browser().get(login)
		wantPage(t, status, body, http.StatusUnauthorized, "This sign-in link has already been used.")
	})
	t.Run("the destination must be an AWS console", func(t *testing.T) {
		bad := "/federation?" + url.Values{"Action": {"login"}, "Destination": {"https://evil.example/phish"}, "SigninToken": {out.SigninToken}}.Encode()
		status, body := s.browser().get(bad)
		wantPage(t, status, body, http.StatusBadRequest, "Destination must be an AWS console address")
	})
	t.Run("a wrong secret gets no token", func(t *testing.T) {
		forged, _ := json.Marshal(map[string]string{"sessionId": creds["AWS_ACCESS_KEY_ID"],
			"sessionKey": "x" + creds["AWS_SECRET_ACCESS_KEY"], "sessionToken": creds["AWS_SESSION_TOKEN"]})
		status, body := script.get("/federation?" + url.Values{"Action": {"getSigninToken"}, "Session": {string(forged)}}.Encode())
		wantPage(t, status, body, http.StatusUnauthorized, "not valid temporary credentials")
	})
	t.Run("long-term keys get no token", func(t *testing.T) {
		root := s.adminCredentials()
		rootSession, _ := json.Marshal(map[string]string{"sessionId": root.AccessKeyID, "sessionKey": root.SecretAccessKey, "sessionToken": "x"})
		status, body := script.get("/federation?" + url.Values{"Action": {"getSigninToken"}, "Session": {string(rootSession)}}.Encode())
		wantPage(t, status, body, http.StatusUnauthorized, "not valid temporary credentials")
	})
	t.Run("a session longer than twelve hours is refused", func(t *testing.T) {
		status, body := script.get("/federation?" + url.Values{"Action": {"getSigninToken"}, "SessionDuration": {"43201"}, "Session": {string(session)}}.Encode())
		wantPage(t, status, body, http.StatusBadRequest, "SessionDuration must be between 900 and 43200 seconds.")
	})
}
