package oktaapi

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
)

// appWorld is the API on a real SQLite store with a super administrator's
// token, bob (a user with no role) and his token, and helpers to call it.
type appWorld struct {
	t     *testing.T
	a     *API
	st    store.IdP
	admin string // the super administrator's token
	bob   directory.User
}

func newAppWorld(t *testing.T) *appWorld {
	a := fuzzAPI(t)
	a.cfg.RequestsPerMinute = 1 << 20
	token, bobID := fuzzAdmin(t, a)
	st := a.cfg.Store.(store.IdP)
	bob, err := st.User(t.Context(), bobID)
	if err != nil {
		t.Fatal(err)
	}
	return &appWorld{t: t, a: a, st: st, admin: token, bob: bob}
}

// tokenFor gives u an API token, and the role (when not empty).
func (w *appWorld) tokenFor(u directory.User, role directory.RoleType) string {
	w.t.Helper()
	ctx := context.Background()
	if role != "" {
		if _, err := w.st.AssignRole(ctx, directory.Role{UserID: u.ID, Type: role}); err != nil {
			w.t.Fatal(err)
		}
	}
	secret := "00" + clock.Token(clock.Random, 30)
	err := w.st.CreateAPIToken(ctx, directory.APIToken{ID: "00T" + clock.Token(clock.Random, 17), Name: "t", UserID: u.ID,
		Created: time.Now(), LastUsed: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}, keys.HashSecret(secret))
	if err != nil {
		w.t.Fatal(err)
	}
	return secret
}

// user creates an active user.
func (w *appWorld) user(login string, groups ...string) directory.User {
	w.t.Helper()
	u, err := w.st.CreateUser(context.Background(), directory.User{Status: directory.Active, Activated: time.Now(),
		Profile: directory.Profile{"login": login, "email": login, "firstName": "F", "lastName": "L"}}, groups)
	if err != nil {
		w.t.Fatal(err)
	}
	return u
}

func (w *appWorld) group(name string) directory.Group {
	w.t.Helper()
	g, err := w.st.CreateGroup(context.Background(), directory.Group{Type: directory.OktaGroup, Name: name})
	if err != nil {
		w.t.Fatal(err)
	}
	return g
}

// call sends a request as token and returns the status and decoded body.
func (w *appWorld) call(token, method, path, body string) (int, any) {
	w.t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Header.Set("Authorization", "SSWS "+token)
	rec := httptest.NewRecorder()
	w.a.ServeHTTP(rec, r)
	var out any
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			w.t.Fatalf("%s %s: %d with a body that is not JSON: %q", method, path, rec.Code, rec.Body)
		}
	}
	return rec.Code, out
}

// must calls as the administrator and fails unless the status is want.
func (w *appWorld) must(want int, method, path, body string) map[string]any {
	w.t.Helper()
	code, out := w.call(w.admin, method, path, body)
	if code != want {
		w.t.Fatalf("%s %s: %d %v, want %d", method, path, code, out, want)
	}
	m, _ := out.(map[string]any)
	return m
}

// at reads a dotted path ("settings.signOn.audience") out of v.
func at(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

const (
	awsBody = `{"name":"amazon_aws_sso","label":"AWS IAM Identity Center","signOnMode":"SAML_2_0",` +
		`"settings":{"app":{"acsURL":"https://us-east-1.signin.aws/platform/saml/acs/1a2b","entityID":"https://us-east-1.signin.aws/platform/saml/d-9067"}}}`
	customBody = `{"label":"Wiki","signOnMode":"SAML_2_0","settings":{"signOn":{"ssoAcsUrl":"https://wiki.example/saml/acs",` +
		`"audience":"https://wiki.example/","attributeStatements":[{"type":"EXPRESSION","name":"mail","values":["${user.email}"]},` +
		`{"type":"GROUP","name":"groups","filterType":"STARTS_WITH","filterValue":"wiki-"}]}}}`
)

func TestTheAWSCatalogueAppGetsTheSAMLPresetAWSNeeds(t *testing.T) {
	w := newAppWorld(t)
	app := w.must(200, "POST", "/api/v1/apps", awsBody)
	id := app["id"].(string)
	acs := "https://us-east-1.signin.aws/platform/saml/acs/1a2b"
	want := map[string]any{
		"name": "amazon_aws_sso", "label": "AWS IAM Identity Center", "status": "ACTIVE", "signOnMode": "SAML_2_0",
		"settings.app.acsURL": acs, "settings.signOn.ssoAcsUrl": acs, "settings.signOn.recipient": acs,
		"settings.signOn.destination": acs, "settings.signOn.audience": "https://us-east-1.signin.aws/platform/saml/d-9067",
		"settings.signOn.subjectNameIdTemplate": "${user.login}", "settings.signOn.subjectNameIdFormat": directory.NameIDEmail,
		"settings.signOn.responseSigned": true, "settings.signOn.assertionSigned": true,
		"settings.signOn.signatureAlgorithm": "RSA_SHA256", "settings.signOn.digestAlgorithm": "SHA256",
		"settings.signOn.honorForceAuthn": true,
		"_links.metadata.href":            "https://keyward.example/api/v1/apps/" + id + "/sso/saml/metadata",
		"_links.deactivate.method":        "POST",
	}
	got := map[string]any{}
	for k := range want {
		got[k] = at(app, k)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("application (-want +got):\n%s", diff)
	}
	links := at(app, "_links.appLinks").([]any)
	if len(links) != 1 || at(links[0], "href") != "https://keyward.example/app/amazon_aws_sso/"+id+"/sso/saml" {
		t.Errorf("appLinks = %v", links)
	}
	if diff := cmp.Diff(app, w.must(200, "GET", "/api/v1/apps/"+id, "")); diff != "" {
		t.Errorf("GET differs from the create's answer (-create +get):\n%s", diff)
	}
}

func TestACustomSAMLAppIsNamedAndFilledWithDefaults(t *testing.T) {
	w := newAppWorld(t)
	first := w.must(200, "POST", "/api/v1/apps?activate=false", customBody)
	second := w.must(200, "POST", "/api/v1/apps", customBody)
	for _, c := range []struct{ what, path, want string }{
		{"first name", "name", "keyward_saml_1"},
		{"second name", "", "keyward_saml_2"},
		{"status without activation", "status", "INACTIVE"},
		{"default NameID template", "settings.signOn.subjectNameIdTemplate", "${user.userName}"},
		{"default NameID format", "settings.signOn.subjectNameIdFormat", directory.NameIDUnspecified},
		{"recipient from the ACS URL", "settings.signOn.recipient", "https://wiki.example/saml/acs"},
		{"attribute namespace", "settings.signOn.attributeStatements", ""},
	} {
		var got any
		switch c.path {
		case "":
			got = second["name"]
		case "settings.signOn.attributeStatements":
			got = at(at(first, c.path).([]any)[1], "namespace")
			c.want = directory.AttrFormatBasic
		default:
			got = at(first, c.path)
		}
		if got != c.want {
			t.Errorf("%s = %v, want %q", c.what, got, c.want)
		}
	}
	if at(first, "_links.activate.href") == nil || at(first, "_links.deactivate") != nil {
		t.Errorf("an inactive app links activate only: %v", at(first, "_links"))
	}
}

func TestAppsRefuseBadSettingsWithTheFieldToFix(t *testing.T) {
	w := newAppWorld(t)
	custom := func(signOn string) string {
		return `{"label":"X","signOnMode":"SAML_2_0","settings":{"signOn":{"ssoAcsUrl":"https://x.example/acs","audience":"https://x.example/"` + signOn + `}}}`
	}
	cases := []struct{ name, body, cause string }{
		{"SHA-1 signatures are refused", custom(`,"signatureAlgorithm":"RSA_SHA1"`), "settings.signOn.signatureAlgorithm: keyward signs with RSA_SHA256 only"},
		{"SHA-1 digests are refused", custom(`,"digestAlgorithm":"SHA1"`), "settings.signOn.digestAlgorithm:"},
		{"a label is required", `{"signOnMode":"SAML_2_0","settings":{"signOn":{"ssoAcsUrl":"https://x.example/acs","audience":"a"}}}`, "label:"},
		{"only SAML 2.0 apps are served", `{"label":"X","signOnMode":"BOOKMARK"}`, "signOnMode:"},
		{"an unknown catalogue name is refused", `{"name":"salesforce","label":"X","signOnMode":"SAML_2_0"}`, "name:"},
		{"a custom app needs its sign-on settings", `{"label":"X","signOnMode":"SAML_2_0"}`, "settings.signOn:"},
		{"the ACS URL must be absolute", custom(`,"ssoAcsUrl":"/acs"`), "settings.signOn.ssoAcsUrl:"},
		{"AWS needs its ACS URL", `{"name":"amazon_aws_sso","label":"AWS","signOnMode":"SAML_2_0","settings":{"app":{"entityID":"https://e.example/"}}}`, "settings.app.acsURL:"},
		{"AWS needs its entity id", `{"name":"amazon_aws_sso","label":"AWS","signOnMode":"SAML_2_0","settings":{"app":{"acsURL":"https://e.example/acs"}}}`, "settings.app.entityID:"},
		{"a setting must be a scalar", `{"name":"amazon_aws_sso","label":"AWS","signOnMode":"SAML_2_0","settings":{"app":{"acsURL":["x"]}}}`, "settings.app.acsURL:"},
		{"an SP certificate must be a certificate", custom(`,"spCertificate":{"x5c":["bm90IGEgY2VydA=="]}}`), "settings.signOn.spCertificate.x5c:"},
		{"an unknown NameID format is refused", custom(`,"subjectNameIdFormat":"urn:oasis:names:tc:SAML:2.0:nameid-format:transient"`), "settings.signOn.subjectNameIdFormat:"},
		{"an unsigned app is refused", custom(`,"responseSigned":false,"assertionSigned":false`), "settings.signOn.assertionSigned:"},
		{"a bad GROUP regex is refused", custom(`,"attributeStatements":[{"type":"GROUP","name":"g","filterType":"REGEX","filterValue":"("}]`), "settings.signOn.attributeStatements[0].filterValue:"},
		{"a lifetime over an hour is refused", custom(`,"samlAssertionLifetimeSeconds":86400`), "settings.signOn.samlAssertionLifetimeSeconds:"},
		{"activate must be a boolean", customBody, "activate:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := "/api/v1/apps"
			if c.cause == "activate:" {
				path += "?activate=maybe"
			}
			code, out := w.call(w.admin, "POST", path, c.body)
			wantOktaError(t, code, out, 400, "E0000001", c.cause)
		})
	}
	apps, _, err := w.st.ListApps(t.Context(), store.Page{Limit: 10})
	if err != nil || len(apps) != 0 {
		t.Errorf("refused creates stored %d apps (%v)", len(apps), err)
	}
}

// wantOktaError fails unless the answer is Okta's error object with code
// and, when cause is set, an errorCauses entry starting with it.
func wantOktaError(t *testing.T, code int, out any, status int, errorCode, cause string) {
	t.Helper()
	if code != status || at(out, "errorCode") != errorCode || at(out, "errorLink") != errorCode || at(out, "errorSummary") == "" {
		t.Fatalf("got %d %v, want %d %s", code, out, status, errorCode)
	}
	if cause == "" {
		return
	}
	causes, _ := at(out, "errorCauses").([]any)
	for _, c := range causes {
		if s, _ := at(c, "errorSummary").(string); strings.HasPrefix(s, cause) {
			return
		}
	}
	t.Errorf("errorCauses %v have none starting %q", causes, cause)
}

// get sends a GET as the administrator and returns the recorder.
func (w *appWorld) get(path string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", path, nil)
	r.Header.Set("Authorization", "SSWS "+w.admin)
	rec := httptest.NewRecorder()
	w.a.ServeHTTP(rec, r)
	return rec
}
