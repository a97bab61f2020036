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

var (
	exportRe     = regexp.MustCompile(`export (AWS_[A-Z_]+)="([^"]+)"`)
	consoleARNRe = regexp.MustCompile(`id="console-arn">([^<]+)<`)
)

// TestThePortalsManagementConsoleLinkSignsIntoTheConsole follows the role's
// "Management console" link: the portal mints the role's credentials, the
// federation endpoint signs the browser in, and the console page says who
// she is.
func TestThePortalsManagementConsoleLinkSignsIntoTheConsole(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	b := s.browser()
	b.signIn(aliceName, alicePassword)

	_, account := b.get("/start/account/" + st.AccountID)
	if !strings.Contains(account, `/start/console?account_id=`+st.AccountID+`&amp;role_name=DevOps`) {
		t.Fatalf("the account page has no Management console link for DevOps:\n%s", account)
	}
	status, body := b.get("/start/console?account_id=" + st.AccountID + "&role_name=DevOps")
	if status != http.StatusOK {
		t.Fatalf("the console link ends at %d:\n%s", status, body)
	}
	m := consoleARNRe.FindStringSubmatch(body)
	if m == nil || !strings.HasPrefix(html.UnescapeString(m[1]), "arn:aws:sts::"+st.AccountID+":assumed-role/AWSReservedSSO_DevOps_") ||
		!strings.HasSuffix(m[1], "/"+aliceName) {
		t.Errorf("the console page shows the principal %q, want alice's DevOps session in %s\n%s", m, st.AccountID, body)
	}

	// Signing out of the console leaves the portal session alone.
	if status, _ := b.post("/console/signout", nil); status != http.StatusUnauthorized {
		t.Errorf("after signing out of the console, the console page answers %d, want 401", status)
	}
	if status, _ := b.get("/start"); status != http.StatusOK {
		t.Errorf("after signing out of the console the portal answers %d, want 200", status)
	}

	// A role she does not have gets no console.
	status, body = b.get("/start/console?account_id=" + st.AccountID + "&role_name=Admin")
	if status == http.StatusOK || strings.Contains(body, `id="console-arn"`) {
		t.Errorf("a role she has not got opened the console (%d)", status)
	}
}

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
