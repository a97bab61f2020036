package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// oktaAWSCLI replays okta-aws-cli v2.6.0's calls (okta-wire.md §1–§5)
// with a client built as its own: one plain transport for the org and
// STS, HTTPS_PROXY from the environment, the exported CA as system roots.
type oktaAWSCLI struct {
	s        *tlsServer
	c        *http.Client
	clientID string
	op       string // X-Okta-Aws-Cli-Operation: web or m2m
}

// oktaToken is the token answer okta-aws-cli decodes (okta.AccessToken).
type oktaToken struct {
	AccessToken     string `json:"access_token"`
	IDToken         string `json:"id_token"`
	TokenType       string `json:"token_type"`
	Scope           string `json:"scope"`
	ExpiresIn       int    `json:"expires_in"`
	IssuedTokenType string `json:"issued_token_type"`
	Error           string `json:"error"`
	Description     string `json:"error_description"`
}

// send sends one of the CLI's requests and returns the status, the
// content type and the body.
func (o *oktaAWSCLI) send(t testing.TB, req *http.Request) (int, string, []byte) {
	t.Helper()
	req.Header.Set("User-Agent", "okta-aws-cli/2.6.0 (go1.24.4; linux; amd64)")
	req.Header.Set("X-Okta-Aws-Cli-Operation", o.op)
	resp, err := o.c.Do(req)
	must(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	must(t, err)
	return resp.StatusCode, resp.Header.Get("Content-Type"), body
}

// post sends a form to the org, chunked (no Content-Length) when the CLI
// reuses one request object (the device poll).
func (o *oktaAWSCLI) post(t testing.TB, path string, form url.Values, chunked bool) (int, string, []byte) {
	t.Helper()
	var body io.Reader = strings.NewReader(form.Encode())
	if chunked {
		body = io.NopCloser(body) // hides the length: the transport sends it chunked
	}
	req, err := http.NewRequest(http.MethodPost, o.s.main.OrgURL+path, body)
	must(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	return o.send(t, req)
}

// token posts to a token endpoint and decodes the JSON answer.
func (o *oktaAWSCLI) token(t testing.TB, path string, form url.Values, chunked bool) (int, oktaToken) {
	t.Helper()
	status, ctype, body := o.post(t, path, form, chunked)
	var tok oktaToken
	if !strings.Contains(ctype, "application/json") || json.Unmarshal(body, &tok) != nil {
		t.Fatalf("POST %s answered %d %q:\n%s", path, status, ctype, body)
	}
	return status, tok
}

// exchange is §1.5: the ID and access tokens for a web-SSO token of app.
func (o *oktaAWSCLI) exchange(t testing.TB, tok oktaToken, appID string) (int, oktaToken) {
	t.Helper()
	return o.token(t, "/oauth2/v1/token", url.Values{"client_id": {o.clientID}, "actor_token": {tok.AccessToken},
		"actor_token_type": {"urn:ietf:params:oauth:token-type:access_token"}, "subject_token": {tok.IDToken},
		"subject_token_type":   {"urn:ietf:params:oauth:token-type:id_token"},
		"grant_type":           {"urn:ietf:params:oauth:grant-type:token-exchange"},
		"requested_token_type": {"urn:okta:oauth:token-type:web_sso_token"}, "audience": {"urn:okta:apps:" + appID}}, false)
}

// samlForm is §1.6: the web-SSO token for the auto-posting form, POSTed
// as 2.6 does or as a GET as earlier versions did; it returns the
// SAMLResponse value as golang.org/x/net/html reads it.
func (o *oktaAWSCLI) samlForm(t testing.TB, webSSO string, get bool) string {
	t.Helper()
	var req *http.Request
	var err error
	if get {
		req, err = http.NewRequest(http.MethodGet, o.s.main.OrgURL+"/login/token/sso?token="+url.QueryEscape(webSSO), nil)
	} else {
		req, err = http.NewRequest(http.MethodPost, o.s.main.OrgURL+"/login/token/sso", strings.NewReader(url.Values{"token": {webSSO}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	must(t, err)
	req.Header.Set("Accept", "text/html")
	status, _, body := o.send(t, req)
	if status != http.StatusOK {
		t.Fatalf("/login/token/sso answered %d:\n%s", status, body)
	}
	doc, err := html.Parse(bytes.NewReader(body))
	must(t, err)
	var value string
	walk(doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.Data == "input" && attr(n, "name") == "SAMLResponse" {
			value = attr(n, "value")
			return true
		}
		return false
	})
	if value == "" {
		t.Fatalf("no SAMLResponse input in:\n%s", body)
	}
	return value
}

// rolesAsTheCLIReadsThem is §1.7: the assertion parsed as HTML, the
// literal saml2:Attribute named Role, each value's first text node split
// at the comma into the provider (IdP) ARN and the role ARN.
func rolesAsTheCLIReadsThem(t testing.TB, samlResponse string) map[string][]string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(samlResponse)
	must(t, err)
	doc, err := html.Parse(bytes.NewReader(raw))
	must(t, err)
	out := map[string][]string{}
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode || n.Data != "saml2:attribute" || attr(n, "name") != "https://aws.amazon.com/SAML/Attributes/Role" {
			return false
		}
		for v := n.FirstChild; v != nil; v = v.NextSibling {
			if v.Type == html.ElementNode && v.FirstChild != nil && v.FirstChild.Type == html.TextNode {
				idp, role, _ := strings.Cut(v.FirstChild.Data, ",")
				out[idp] = append(out[idp], role)
			}
		}
		return true
	})
	return out
}

func walk(n *html.Node, found func(*html.Node) bool) bool {
	if found(n) {
		return true
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if walk(c, found) {
			return true
		}
	}
	return false
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

// stsCredentials are the credentials of an STS answer, as the CLI reads
// them (it dereferences every one).
type stsAnswer struct {
	Credentials struct{ AccessKeyId, SecretAccessKey, SessionToken, Expiration string }
	Error       struct{ Code, Message string }
}

// sts is §1.9 / §4: an unsigned query to https://sts.amazonaws.com/ as
// aws-sdk-go v1 sends it, through the proxy.
func (o *oktaAWSCLI) sts(t testing.TB, form url.Values) (int, stsAnswer) {
	t.Helper()
	status, out, err := o.trySTS(form)
	must(t, err)
	return status, out
}

// trySTS is sts for any goroutine: it returns what fails.
func (o *oktaAWSCLI) trySTS(form url.Values) (int, stsAnswer, error) {
	form.Set("Version", "2011-06-15")
	req, err := http.NewRequest(http.MethodPost, "https://sts.amazonaws.com/", strings.NewReader(form.Encode()))
	if err != nil {
		return 0, stsAnswer{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	req.Header.Set("User-Agent", "aws-sdk-go/1.55.5 (go1.24.4; linux; amd64)")
	resp, err := o.c.Do(req)
	if err != nil {
		return 0, stsAnswer{}, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var out struct {
		Result stsAnswer `xml:",any"`
		Error  struct{ Code, Message string }
	}
	if err := xml.Unmarshal(body, &out); err != nil {
		return resp.StatusCode, stsAnswer{}, fmt.Errorf("STS answered %d, not XML:\n%s", resp.StatusCode, body)
	}
	out.Result.Error = out.Error
	return resp.StatusCode, out.Result, nil
}

// assumeRoleWithSAML is §1.9's body.
func (o *oktaAWSCLI) assumeRoleWithSAML(t testing.TB, provider, role, assertion string) (int, stsAnswer) {
	t.Helper()
	return o.sts(t, assumeSAMLForm(provider, role, assertion))
}

// assumeSAMLForm is AssumeRoleWithSAML's parameters as the CLI sends them.
func assumeSAMLForm(provider, role, assertion string) url.Values {
	return url.Values{"Action": {"AssumeRoleWithSAML"}, "DurationSeconds": {"3600"}, "PrincipalArn": {provider},
		"RoleArn": {role}, "SAMLAssertion": {assertion}}
}

// appLinks is §2: the person's apps with their own access token.
func (o *oktaAWSCLI) appLinks(t testing.TB, tok oktaToken) (int, []map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, o.s.main.OrgURL+"/api/v1/users/me/appLinks", nil)
	must(t, err)
	req.Header.Set("Authorization", tok.TokenType+" "+tok.AccessToken)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	status, ctype, body := o.send(t, req)
	var links []map[string]any
	if status == http.StatusOK && (!strings.Contains(ctype, "application/json") || json.Unmarshal(body, &links) != nil) {
		t.Fatalf("appLinks answered %q:\n%s", ctype, body)
	}
	return status, links
}
