package e2e

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/okta/okta-sdk-golang/v5/okta"

	"github.com/keyward/keyward/internal/config"
)

const (
	cliPerson   = "dana@example.com"
	cliPassword = "device flow and web sso"
)

// webFlow is the state the okta-aws-cli web story builds up.
type webFlow struct {
	s        *tlsServer
	cli      *oktaAWSCLI
	admin    *okta.APIClient
	account  string
	fedApp   string
	person   string
	provider string // the IAM SAML provider's ARN
	role     string
	more     []string // the person's other roles in the account, beside role
	tokens   oktaToken
}

// TestOktaAWSCLIWebAgainstKeyward is issue 9's person with okta-aws-cli:
// `okta-aws-cli web --org-domain <keyward> --oidc-client-id …` with no
// app id, through keyward's TLS org URL and its HTTPS proxy mode, every
// call as okta-wire.md records it: the organization document, device
// authorization, the chunked poll, approval at /activate with sign-in,
// app discovery with appLinks, token exchange for a web-SSO token, the
// SAML form read by an HTML parser, AssumeRoleWithSAML at
// sts.amazonaws.com, for --all-profiles every role of one assertion at
// once and ListAccountAliases at iam.amazonaws.com; a second run with the
// cached access token asks nothing; deactivating the person makes the next
// exchange fail with invalid_grant (and appLinks with 401).
// The output formats (env-var, aws-credentials, process-credentials, noop)
// send these same calls and differ only in what the CLI writes locally, so
// one replay covers them all.
func TestOktaAWSCLIWebAgainstKeyward(t *testing.T) {
	w := &webFlow{s: startTLS(t)}
	step := steps(t)
	step("the administrator registers the CLI app, the federation app with the CLI as its web-SSO client, and the role", asTest(w.setUp))
	step("the CLI finds an Identity Engine org", asTest(w.organization))
	step("device authorization is pending until the person signs in and approves at the printed URL", asTest(w.deviceFlow))
	step("without an app id the CLI discovers the AWS Account Federation app through appLinks", asTest(w.discovers))
	step("the tokens become a web-SSO token and the SAML form, which STS trades for credentials", asTest(w.credentials))
	step("--all-profiles assumes both of the person's roles with one assertion and names each profile from the account alias", asTest(w.allProfiles))
	step("a second run with --cache-access-token goes straight to the exchange", asTest(w.cachedToken))
	step("after the person is deactivated the next exchange is invalid_grant", asTest(w.deactivated))
}

func (w *webFlow) setUp(t testing.TB) {
	s, ctx := w.s, context.Background()
	org, token := bootstrapToken(t, s.dataDir)
	w.admin = oktaClientTrusting(t, org, s.main.IdPAddr(), token, s.roots)
	grants := []string{"authorization_code", "urn:ietf:params:oauth:grant-type:device_code",
		"urn:ietf:params:oauth:grant-type:token-exchange", "refresh_token"}
	cliApp := must2[*okta.ListApplications200ResponseInner](t, "create the CLI app")(w.admin.ApplicationAPI.CreateApplication(ctx).
		Application(oidcApp("okta-aws-cli", "native", "none", grants, []string{"http://localhost:8080/callback"}, nil)).Execute())
	w.cli = &oktaAWSCLI{s: s, c: s.oktaAWSCLIClient(), clientID: cliApp.OpenIdConnectApplication.GetId(), op: "web"}

	w.account = w.managementAccount(t)
	fed := must2[*okta.ListApplications200ResponseInner](t, "create the federation app")(w.admin.ApplicationAPI.CreateApplication(ctx).
		Application(federationApp(s.server, map[string]any{"sessionDuration": 3600, "webSSOAllowedClient": w.cli.clientID})).Execute())
	w.fedApp = fed.SamlApplication.GetId()
	w.provider, w.role = "arn:aws:iam::"+w.account+":saml-provider/Keyward", "arn:aws:iam::"+w.account+":role/ReadOnly"
	w.iamInAccount(t)

	group := must2[*okta.Group](t, "create the group")(w.admin.GroupAPI.CreateGroup(ctx).Group(newGroup("aws#dev#ReadOnly#"+w.account, "")).Execute())
	must2[*okta.ApplicationGroupAssignment](t, "assign the group")(w.admin.ApplicationGroupsAPI.AssignGroupToApplication(ctx, w.fedApp, group.GetId()).Execute())
	u := must2[*okta.User](t, "create the person")(w.admin.UserAPI.CreateUser(ctx).
		Body(withPassword(newPerson(cliPerson, "Dana", "Developer", group.GetId()), cliPassword)).Execute())
	w.person = u.GetId()
	assign := okta.NewAppUserAssignRequest(w.person)
	must2[*okta.AppUser](t, "assign the CLI app")(w.admin.ApplicationUsersAPI.AssignUserToApplication(ctx, w.cli.clientID).AppUser(*assign).Execute())
}

// iamInAccount creates the SAML provider from the app's metadata, a role
// trusting it and the account alias, as the account's administrator.
func (w *webFlow) iamInAccount(t testing.TB) {
	s, ctx := w.s, context.Background()
	cfg := w.adminConfig(t)
	in := iam.NewFromConfig(cfg)
	_, token := bootstrapToken(t, s.dataDir)
	req, _ := http.NewRequest(http.MethodGet, s.main.OrgURL+"/api/v1/apps/"+w.fedApp+"/sso/saml/metadata", nil)
	req.Header.Set("Authorization", "SSWS "+token)
	status, _, metadata := w.cli.send(t, req)
	if status != http.StatusOK {
		t.Fatalf("the app's metadata: %d", status)
	}
	_, err := in.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String("Keyward"), SAMLMetadataDocument: aws.String(string(metadata))})
	must(t, err)
	_, err = in.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("ReadOnly"),
		AssumeRolePolicyDocument: aws.String(strings.ReplaceAll(samlTrust, "ACCOUNT", w.account))})
	must(t, err)
	_, err = in.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("ReadOnly"), PolicyName: aws.String("read"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:List*","iam:Get*"],"Resource":"*"}]}`)})
	must(t, err)
	_, err = in.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("keyward-dev")})
	must(t, err)
}

func (w *webFlow) organization(t testing.TB) {
	req, _ := http.NewRequest(http.MethodGet, w.s.main.OrgURL+"/.well-known/okta-organization", nil)
	status, ctype, body := w.cli.send(t, req)
	if status != http.StatusOK || !strings.Contains(ctype, "application/json") || !strings.Contains(string(body), `"pipeline":"idx"`) {
		t.Fatalf("okta-organization: %d %q %s", status, ctype, body)
	}
}

func (w *webFlow) deviceFlow(t testing.TB) {
	status, ctype, body := w.cli.post(t, "/oauth2/v1/device/authorize", url.Values{"client_id": {w.cli.clientID},
		"scope": {"openid okta.apps.sso okta.apps.read okta.users.read.self"}}, false)
	var dev struct {
		DeviceCode              string `json:"device_code"`
		UserCode                string `json:"user_code"`
		VerificationURIComplete string `json:"verification_uri_complete"`
		ExpiresIn               int    `json:"expires_in"`
		Interval                int    `json:"interval"`
	}
	if status != http.StatusOK || !strings.Contains(ctype, "application/json") || jsonInto(body, &dev) != nil || dev.DeviceCode == "" {
		t.Fatalf("device authorize: %d %q %s", status, ctype, body)
	}
	poll := url.Values{"client_id": {w.cli.clientID}, "device_code": {dev.DeviceCode},
		"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"}}
	if status, tok := w.cli.token(t, "/oauth2/v1/token", poll, true); status != http.StatusBadRequest || tok.Error != "authorization_pending" {
		t.Fatalf("the first poll: %d %+v, want 400 authorization_pending", status, tok)
	}
	w.approve(t, dev.VerificationURIComplete)
	status, w.tokens = w.cli.token(t, "/oauth2/v1/token", poll, true)
	if status != http.StatusOK || w.tokens.TokenType != "Bearer" || w.tokens.IDToken == "" || w.tokens.AccessToken == "" {
		t.Fatalf("the poll after approval: %d %+v", status, w.tokens)
	}
}

// approve opens the verification URL in a browser, signs in and allows.
func (w *webFlow) approve(t testing.TB, verification string) {
	jar, _ := cookiejar.New(nil)
	b := &fedBrowser{t: t, c: &http.Client{Jar: jar, Timeout: 10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: w.s.roots}}}}
	where, _, body := b.visit(verification, nil)
	_, _, page := b.signInAtIdP(where, body, cliPerson, cliPassword)
	if !strings.Contains(page, `id="client-name">okta-aws-cli<`) {
		t.Fatalf("the verification page after sign-in does not name the client:\n%s", page)
	}
	code := hiddenValue(t, page, "user_code")
	_, status, done := b.visit(w.s.main.OrgURL+"/activate", url.Values{"user_code": {code}, "decision": {"approve"}})
	if status != http.StatusOK || !strings.Contains(done, `id="activated"`) {
		t.Fatalf("approving: %d\n%s", status, done)
	}
}

func (w *webFlow) discovers(t testing.TB) {
	status, links := w.cli.appLinks(t, w.tokens)
	if status != http.StatusOK {
		t.Fatalf("appLinks: %d", status)
	}
	var found []string
	for _, l := range links {
		if l["appName"] == "amazon_aws" {
			found = append(found, l["appInstanceId"].(string))
		}
	}
	if len(found) != 1 || found[0] != w.fedApp {
		t.Fatalf("appLinks lists AWS Account Federation apps %v, want [%s]", found, w.fedApp)
	}
}

// webCredentials runs §1.5–§1.9 with tokens and returns the STS answer.
func (w *webFlow) webCredentials(t testing.TB, tokens oktaToken, get bool) stsAnswer {
	t.Helper()
	status, web := w.cli.exchange(t, tokens, w.fedApp)
	if status != http.StatusOK || web.TokenType != "N_A" || web.IssuedTokenType != "urn:okta:oauth:token-type:web_sso_token" {
		t.Fatalf("token exchange: %d %+v", status, web)
	}
	assertion := w.cli.samlForm(t, web.AccessToken, get)
	w.checkRoles(t, assertion)
	status, out := w.cli.assumeRoleWithSAML(t, w.provider, w.role, assertion)
	if status != http.StatusOK || out.Credentials.AccessKeyId == "" || out.Credentials.SessionToken == "" || out.Credentials.Expiration == "" {
		t.Fatalf("AssumeRoleWithSAML at sts.amazonaws.com: %d %+v", status, out)
	}
	return out
}

func (w *webFlow) credentials(t testing.TB) {
	w.webCredentials(t, w.tokens, false)
	w.webCredentials(t, w.tokens, true) // okta-aws-cli before 2.6 sends a GET
}

// checkRoles reads the assertion's roles as the CLI does: one IdP, the
// provider, with role and the others in more.
func (w *webFlow) checkRoles(t testing.TB, assertion string) {
	t.Helper()
	roles := rolesAsTheCLIReadsThem(t, assertion)
	want := append([]string{w.role}, w.more...)
	got := slices.Sorted(slices.Values(roles[w.provider]))
	if len(roles) != 1 || !slices.Equal(got, slices.Sorted(slices.Values(want))) {
		t.Fatalf("the CLI's HTML parser reads the roles %v, want {%s: %v}", roles, w.provider, want)
	}
}

// allProfiles is --all-profiles for a person with two roles, as the real
// okta-aws-cli 2.6.0 ran it against keyward: one web-SSO token and one
// assertion, AssumeRoleWithSAML for every role it lists at the same time
// with that one assertion, then ListAccountAliases with each session's own
// keys for the profile names (keyward-dev-Keyward-ReadOnly and
// keyward-dev-Keyward-Admin).
func (w *webFlow) allProfiles(t testing.TB) {
	w.secondRole(t, "Admin")
	status, web := w.cli.exchange(t, w.tokens, w.fedApp)
	if status != http.StatusOK {
		t.Fatalf("token exchange: %d %+v", status, web)
	}
	assertion := w.cli.samlForm(t, web.AccessToken, false)
	w.checkRoles(t, assertion)
	roles := append([]string{w.role}, w.more...)
	answers := make([]stsAnswer, len(roles))
	errs := make([]error, len(roles))
	var wg sync.WaitGroup
	for i, role := range roles {
		wg.Go(func() {
			var status int
			status, answers[i], errs[i] = w.cli.trySTS(assumeSAMLForm(w.provider, role, assertion))
			if errs[i] == nil && status != http.StatusOK {
				errs[i] = fmt.Errorf("%d %+v", status, answers[i].Error)
			}
		})
	}
	wg.Wait()
	for i, role := range roles {
		if errs[i] != nil {
			t.Fatalf("AssumeRoleWithSAML for %s with the one assertion: %v", role, errs[i])
		}
		creds := answers[i].Credentials
		cfg := aws.Config{Region: "us-east-1", HTTPClient: w.cli.c,
			Credentials: credentials.NewStaticCredentialsProvider(creds.AccessKeyId, creds.SecretAccessKey, creds.SessionToken)}
		out, err := iam.NewFromConfig(cfg).ListAccountAliases(context.Background(), &iam.ListAccountAliasesInput{})
		must(t, err)
		if len(out.AccountAliases) != 1 || out.AccountAliases[0] != "keyward-dev" {
			t.Errorf("ListAccountAliases as %s = %v, want [keyward-dev]", role, out.AccountAliases)
		}
	}
	if status, again := w.cli.assumeRoleWithSAML(t, w.provider, w.role, assertion); status != http.StatusBadRequest || again.Error.Code != "InvalidIdentityToken" {
		t.Errorf("the assertion again for %s: %d %+v, want 400 InvalidIdentityToken", w.role, status, again.Error)
	}
}

// secondRole gives the person another role in the account, through a
// group the federation app maps, that may read the account alias.
func (w *webFlow) secondRole(t testing.TB, name string) {
	ctx := context.Background()
	in := iam.NewFromConfig(w.adminConfig(t))
	_, err := in.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name),
		AssumeRolePolicyDocument: aws.String(strings.ReplaceAll(samlTrust, "ACCOUNT", w.account))})
	must(t, err)
	_, err = in.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("alias"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListAccountAliases","Resource":"*"}]}`)})
	must(t, err)
	group := must2[*okta.Group](t, "create the group")(w.admin.GroupAPI.CreateGroup(ctx).Group(newGroup("aws#dev#"+name+"#"+w.account, "")).Execute())
	must2[*okta.ApplicationGroupAssignment](t, "assign the group")(w.admin.ApplicationGroupsAPI.AssignGroupToApplication(ctx, w.fedApp, group.GetId()).Execute())
	mustOK(t, "add the person")(w.admin.GroupAPI.AssignUserToGroup(ctx, group.GetId(), w.person).Execute())
	w.more = append(w.more, "arn:aws:iam::"+w.account+":role/"+name)
}

// cachedToken is a second run: the token file holds the device flow's
// answer, so the CLI exchanges it again with no device flow.
func (w *webFlow) cachedToken(t testing.TB) {
	cache := filepath.Join(t.TempDir(), "awscli-access-token.json")
	must(t, os.WriteFile(cache, mustJSON(t, w.tokens), 0o600))
	var cached oktaToken
	raw, err := os.ReadFile(cache)
	must(t, err)
	must(t, jsonInto(raw, &cached))
	w.webCredentials(t, cached, false)
}

func (w *webFlow) deactivated(t testing.TB) {
	ctx := context.Background()
	mustOK(t, "deactivate the person")(w.admin.UserAPI.DeactivateUser(ctx, w.person).Execute())
	status, tok := w.cli.exchange(t, w.tokens, w.fedApp)
	if status != http.StatusBadRequest || tok.Error != "invalid_grant" || tok.Description == "" {
		t.Fatalf("the exchange after deactivation: %d %+v, want 400 invalid_grant", status, tok)
	}
	// Without an app id the CLI asks appLinks first; the real 2.6.0 stops
	// there with the 401's errorSummary (it retries only on invalid_grant).
	if status, _ := w.cli.appLinks(t, w.tokens); status != http.StatusUnauthorized {
		t.Errorf("appLinks after deactivation: %d, want 401", status)
	}
}

// managementAccount is the account of the administrator's keys.
func (w *webFlow) managementAccount(t testing.TB) string {
	cfg := w.adminConfig(t)
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	must(t, err)
	return aws.ToString(out.Account)
}

// hiddenValue is the value of the page's hidden input name.
func hiddenValue(t testing.TB, page, name string) string {
	t.Helper()
	for _, m := range hiddenRe.FindAllStringSubmatch(page, -1) {
		if m[1] == name {
			return html.UnescapeString(m[2])
		}
	}
	t.Fatalf("no hidden %s input in:\n%s", name, page)
	return ""
}

func jsonInto(b []byte, v any) error { return json.Unmarshal(b, v) }

func mustJSON(t testing.TB, v any) []byte {
	b, err := json.Marshal(v)
	must(t, err)
	return b
}

// asTest runs a step written for testing.TB (so benchmarks share it) as a
// subtest.
func asTest(step func(testing.TB)) func(*testing.T) {
	return func(t *testing.T) { step(t) }
}

// adminConfig is the management root's SDK configuration with the CLI's
// client (it takes t, so benchmarks share it).
func (w *webFlow) adminConfig(t testing.TB) aws.Config {
	c := readAdminCredentials(t, w.s.dataDir)
	return aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(w.s.url), HTTPClient: w.cli.c,
		Credentials: credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, "")}
}

// TestOktaAWSCLIDeviceStartsAreLimitedPerAddressNotPerOrg: an org's
// okta-aws-cli app is one public client that every person uses, so the
// device authorizations it may start are counted per address. The real
// okta-aws-cli 2.6.0 run by 35 people in one minute got "authorize received
// API response 429" from the 31st on when they were counted per client.
// The people here come through a trusted proxy that names them.
func TestOktaAWSCLIDeviceStartsAreLimitedPerAddressNotPerOrg(t *testing.T) {
	s := startTLS(t, func(c *config.Config) { c.AWS.TrustedProxies = []string{"127.0.0.1/32"} })
	org, token := bootstrapToken(t, s.dataDir)
	admin := oktaClientTrusting(t, org, s.main.IdPAddr(), token, s.roots)
	app := must2[*okta.ListApplications200ResponseInner](t, "create the CLI app")(admin.ApplicationAPI.CreateApplication(context.Background()).
		Application(oidcApp("okta-aws-cli", "native", "none", []string{"urn:ietf:params:oauth:grant-type:device_code"}, nil, nil)).Execute())
	cli := &oktaAWSCLI{s: s, c: s.oktaAWSCLIClient(), clientID: app.OpenIdConnectApplication.GetId(), op: "web"}
	start := func(from string) int {
		body := url.Values{"client_id": {cli.clientID}, "scope": {"openid okta.apps.sso okta.apps.read okta.users.read.self"}}.Encode()
		req, err := http.NewRequest(http.MethodPost, s.main.OrgURL+"/oauth2/v1/device/authorize", strings.NewReader(body))
		must(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("X-Forwarded-For", from)
		status, _, _ := cli.send(t, req)
		return status
	}
	for i := range 40 {
		if status := start(fmt.Sprintf("198.51.100.%d", i+1)); status != http.StatusOK {
			t.Fatalf("person %d of the org starting the device flow: %d, want 200", i+1, status)
		}
	}
	for i := range 30 {
		if status := start("203.0.113.9"); status != http.StatusOK {
			t.Fatalf("start %d from one address: %d, want 200", i+1, status)
		}
	}
	if status := start("203.0.113.9"); status != http.StatusTooManyRequests {
		t.Errorf("the 31st start in a minute from one address: %d, want 429", status)
	}
}
