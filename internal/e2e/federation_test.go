package e2e

import (
	"context"
	"encoding/xml"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/okta/okta-sdk-golang/v5/okta"
)

// federation is keyward's identity provider federated into keyward's own
// Identity Center, set up as an administrator does it (docs/federation-guide.md):
// the service provider's metadata pasted into an "AWS IAM Identity Center"
// app, the app's metadata given to Identity Center, automatic provisioning
// turned on and its token given to the app, Engineering assigned and pushed.
type federation struct {
	s            *server
	admin        *oktaAdmin
	appID        string
	engID        string // Engineering at the identity provider
	aliceID      string // alice at the identity provider
	bobID        string
	scimEndpoint string
	scimToken    string
}

const (
	fedAlice    = "alice@example.com"
	fedBob      = "bob@example.com"
	fedPassword = "tea party at four"
)

// federate sets the federation up on s. Alice must sign in with MFA:
// Engineering's sign-on policy requires it.
func federate(t *testing.T, s *server) *federation {
	t.Helper()
	ctx := context.Background()
	f := &federation{s: s, admin: s.oktaAdmin()}
	entityID, acsURL := spMetadata(t, s.runAdmin("identity-source", "sp-metadata", "--aws-url", s.url))

	app := okta.NewSamlApplication("AWS IAM Identity Center", "SAML_2_0")
	app.SetName("amazon_aws_sso")
	settings := okta.NewSamlApplicationSettings()
	settings.SetApp(okta.SamlApplicationSettingsApplication{AdditionalProperties: map[string]any{"acsURL": acsURL, "entityID": entityID}})
	app.SetSettings(*settings)
	created := must2[*okta.ListApplications200ResponseInner](t, "create the app")(
		f.admin.ApplicationAPI.CreateApplication(ctx).Application(okta.SamlApplicationAsListApplications200ResponseInner(app)).Execute())
	f.appID = created.SamlApplication.GetId()

	metadata := filepath.Join(t.TempDir(), "idp-metadata.xml")
	must(t, os.WriteFile(metadata, []byte(f.orgGET(t, "/api/v1/apps/"+f.appID+"/sso/saml/metadata")), 0o600))
	s.runAdmin("identity-source", "set-external", "--idp-metadata", metadata, "--aws-url", s.url)
	out := s.runAdmin("identity-source", "provisioning", "on", "--aws-url", s.url)
	f.scimEndpoint = lineValue(t, out, "SCIM endpoint:")
	f.scimToken = lineValue(t, out, "Access token:")
	tokenFile := filepath.Join(t.TempDir(), "scim-token")
	must(t, os.WriteFile(tokenFile, []byte(f.scimToken), 0o600))
	s.runAdmin("apps", "provisioning", f.appID, "--scim-url", strings.TrimSuffix(f.scimEndpoint, "/"), "--token-file", tokenFile)

	eng := must2[*okta.Group](t, "create Engineering")(f.admin.GroupAPI.CreateGroup(ctx).Group(newGroup("Engineering", "")).Execute())
	f.engID = eng.GetId()
	s.runAdmin("signon-policy", "set", "--group", "Engineering", "--mfa", "required", "--idle", "1h", "--max", "8h")
	alice := newPerson(fedAlice, "Alice", "Liddell", f.engID)
	alice.Profile.SetDepartment("Engineering")
	f.aliceID = must2[*okta.User](t, "create alice")(f.admin.UserAPI.CreateUser(ctx).Body(withPassword(alice, fedPassword)).Execute()).GetId()
	f.bobID = must2[*okta.User](t, "create bob")(f.admin.UserAPI.CreateUser(ctx).
		Body(withPassword(newPerson(fedBob, "Bob", "Builder", f.engID), "correct horse battery")).Execute()).GetId()
	must2[*okta.ApplicationGroupAssignment](t, "assign Engineering")(
		f.admin.ApplicationGroupsAPI.AssignGroupToApplication(ctx, f.appID, f.engID).Execute())
	s.runAdmin("apps", "push-group", f.appID, "Engineering")
	return f
}

// spMetadata reads the entity ID and ACS URL an administrator copies from
// the service provider's metadata.
func spMetadata(t *testing.T, doc string) (entityID, acsURL string) {
	t.Helper()
	var md struct {
		EntityID string `xml:"entityID,attr"`
		SP       struct {
			ACS []struct {
				Location string `xml:"Location,attr"`
			} `xml:"AssertionConsumerService"`
		} `xml:"SPSSODescriptor"`
	}
	if err := xml.Unmarshal([]byte(doc), &md); err != nil || md.EntityID == "" || len(md.SP.ACS) == 0 {
		t.Fatalf("service provider metadata %q: %v", doc, err)
	}
	return md.EntityID, md.SP.ACS[0].Location
}

// lineValue is the value after label on one of out's lines.
func lineValue(t *testing.T, out, label string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(line, label); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("no %q in:\n%s", label, out)
	return ""
}

// orgGET reads a path of the org URL with the administrator's token.
func (f *federation) orgGET(t *testing.T, path string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, f.s.main.OrgURL+path, nil)
	req.Header.Set("Authorization", "SSWS "+f.admin.token)
	return readOK(t, req)
}

// scimGET reads a path of the SCIM endpoint with its token, as AWS's
// console would show what the identity provider pushed.
func (f *federation) scimGET(t *testing.T, path string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, strings.TrimSuffix(f.scimEndpoint, "/")+path, nil)
	req.Header.Set("Authorization", "Bearer "+f.scimToken)
	return readOK(t, req)
}

func readOK(t *testing.T, req *http.Request) string {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", req.URL, resp.StatusCode, b)
	}
	return string(b)
}

// fedBrowser is a person using a browser with no script: it follows redirects
// and submits the auto-posting SAML forms a browser would post by itself.
type fedBrowser struct {
	t testing.TB
	c *http.Client
}

func newFederatedBrowser(t testing.TB) *fedBrowser {
	jar, _ := cookiejar.New(nil)
	return &fedBrowser{t: t, c: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
}

var (
	formRe   = regexp.MustCompile(`<form method="post" action="([^"]*)"[^>]*id="(saml-post|autopost)"`)
	hiddenRe = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
)

// visit sends the request (a GET, or a form when form is set) and then
// every auto-posting form the answer carries, and returns where the
// browser ended and what it shows.
func (p *fedBrowser) visit(target string, form url.Values) (string, int, string) {
	p.t.Helper()
	for range 5 {
		var resp *http.Response
		var err error
		if form == nil {
			resp, err = p.c.Get(target)
		} else {
			resp, err = p.c.PostForm(target, form)
		}
		must(p.t, err)
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		must(p.t, err)
		body := string(b)
		m := formRe.FindStringSubmatch(body)
		if m == nil {
			return resp.Request.URL.String(), resp.StatusCode, body
		}
		target, form = html.UnescapeString(m[1]), url.Values{}
		for _, h := range hiddenRe.FindAllStringSubmatch(body, -1) {
			form.Add(h[1], html.UnescapeString(h[2]))
		}
	}
	p.t.Fatalf("more than 5 auto-posting forms in a row, last to %s", target)
	return "", 0, ""
}

var (
	nextRe   = regexp.MustCompile(`<input type="hidden" name="next" value="([^"]*)">`)
	secretRe = regexp.MustCompile(`<code id="secret">([^<]+)</code>`)
)

// signInAtIdP answers the identity provider's sign-in pages, starting at
// its username page (at where, showing body): username, password, and the
// authenticator app, enrolling it on first use. It returns where the
// browser ended and what it shows.
func (p *fedBrowser) signInAtIdP(where, body, login, pw string) (string, int, string) {
	p.t.Helper()
	u, err := url.Parse(where)
	must(p.t, err)
	org := u.Scheme + "://" + u.Host
	m := nextRe.FindStringSubmatch(body)
	if m == nil {
		p.t.Fatalf("expected the identity provider's sign-in page at %s, got:\n%s", where, body)
	}
	p.visit(org+"/login", url.Values{"username": {login}, "next": {html.UnescapeString(m[1])}})
	where, status, body := p.visit(org+"/login/step", url.Values{"password": {pw}})
	if s := secretRe.FindStringSubmatch(body); s != nil {
		return p.visit(org+"/login/step", url.Values{"code": {phoneCode(p.t, s[1], time.Now())}})
	}
	return where, status, body
}
