package awsenv

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestTraceShowsTheExchangeWithoutItsSecrets sends and receives every
// shape a secret travels in and checks the trace names the call but holds
// none of them.
func TestTraceShowsTheExchangeWithoutItsSecrets(t *testing.T) {
	const (
		jsonReply = `{"accessToken":"SECRET-AT","expiresIn":3600,"roleCredentials":{"accessKeyId":"ASIAVISIBLE","secretAccessKey":"SECRET-SAK","sessionToken":"SECRET-ST"}}`
		htmlReply = `<html><body><form id="appForm" action="https://signin.aws.amazon.com/saml" method="POST">` +
			`<input name="SAMLResponse" type="hidden" value="SECRET-FORM"/><input type='hidden' value='SECRET-FORM2' name='SAMLResponse'>` +
			`<input name="RelayState" type="hidden" value="visible-relay"/></form></body></html>`
		xmlReply = `<R><Credentials><AccessKeyId>ASIAVISIBLE</AccessKeyId><SecretAccessKey>SECRET-X1</SecretAccessKey><SessionToken>SECRET-X2</SessionToken></Credentials></R>`
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: "SECRET-COOKIE"})
		if strings.Contains(r.URL.Path, "html") {
			io.WriteString(w, htmlReply)
			return
		}
		if strings.Contains(r.URL.Path, "xml") {
			io.WriteString(w, xmlReply)
			return
		}
		io.WriteString(w, jsonReply)
	}))
	defer srv.Close()
	var trace strings.Builder
	saved := httpClient.Transport
	Trace(&trace)
	defer func() { httpClient.Transport = saved }()

	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/token?Session=SECRET-Q&Action=getSigninToken",
		strings.NewReader(`{"clientId":"kwc-visible","clientSecret":"SECRET-CS","refreshToken":"SECRET-RT","grantType":"refresh_token"}`))
	req.Header.Set("x-amz-sso_bearer_token", "SECRET-H")
	req.Header.Set("Authorization", "Bearer SECRET-AUTH")
	mustDo(t, req)
	form, _ := http.NewRequest(http.MethodPost, srv.URL+"/xml",
		strings.NewReader("Action=AssumeRoleWithSAML&SAMLAssertion=SECRET-SAML&RoleArn=arn%3Avisible"))
	form.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	mustDo(t, form)
	page, _ := http.NewRequest(http.MethodPost, srv.URL+"/login/html", strings.NewReader("token=SECRET-WEBSSO"))
	page.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	mustDo(t, page)

	got := trace.String()
	if strings.Contains(got, "SECRET") {
		t.Errorf("the trace leaks a secret:\n%s", got)
	}
	for _, want := range []string{"> POST " + srv.URL + "/token?Action=getSigninToken&Session=%5Bredacted%5D", "kwc-visible",
		"ASIAVISIBLE", "grantType", "RoleArn=arn%3Avisible", "visible-relay", "< 200 OK"} {
		if !strings.Contains(got, want) {
			t.Errorf("the trace lacks %q:\n%s", want, got)
		}
	}
}

func mustDo(t *testing.T, req *http.Request) {
	t.Helper()
	resp, err := HTTPClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "SECRET") {
		t.Errorf("tracing changed the body the caller reads: %s", b)
	}
}
