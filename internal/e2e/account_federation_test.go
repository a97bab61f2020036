package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/okta/okta-sdk-golang/v5/okta"
)

const (
	contractor         = "carol@contractor.example"
	contractorPassword = "two roles one login"
	// samlTrust trusts the Keyward SAML provider of account ACCOUNT for
	// assertions addressed to AWS's sign-in, as AWS's console writes it.
	samlTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::ACCOUNT:saml-provider/Keyward"},` +
		`"Action":"sts:AssumeRoleWithSAML","Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}]}`
)

// accountFederation is the contractor's part of the story.
type accountFederation struct {
	account string // the Contractors member account
	creds   []string
	appID   string
	tile    string // the dashboard tile's path
}

// The contractor's steps of TestTheIAMStory: he federates straight into
// one account with SAML through the identity provider's AWS Account
// Federation app, picks the second of his two roles in the /saml sign-in's
// chooser and lands in the console as it; the same assertion through
// `aws sts assume-role-with-saml` gives the CLI credentials of that role
// session.

func (is *iamStory) adminCreatesTheFederationApp(t *testing.T) {
	is.af.account = is.c.createAccount(t, "Contractors", "contractors@example.com")
	created := must2[*okta.ListApplications200ResponseInner](t, "create the app")(is.s.inSubtest(t).oktaAdmin().ApplicationAPI.
		CreateApplication(context.Background()).Application(federationApp(is.s, map[string]any{"sessionDuration": 3600})).Execute())
	is.af.appID = created.SamlApplication.GetId()
	is.af.tile = "/app/amazon_aws/" + is.af.appID + "/sso/saml"
}

func (is *iamStory) adminTrustsTheFederationApp(t *testing.T) {
	c, af := is.c, &is.af
	var assumed struct {
		Credentials struct{ AccessKeyId, SecretAccessKey, SessionToken string }
	}
	c.admin(t, &assumed, "sts", "assume-role", "--role-arn", "arn:aws:iam::"+af.account+":role/OrganizationAccountAccessRole",
		"--role-session-name", "admin")
	af.creds = []string{"AWS_ACCESS_KEY_ID=" + assumed.Credentials.AccessKeyId, "AWS_SECRET_ACCESS_KEY=" + assumed.Credentials.SecretAccessKey,
		"AWS_SESSION_TOKEN=" + assumed.Credentials.SessionToken}
	metadata := filepath.Join(t.TempDir(), "idp-metadata.xml")
	admin := is.s.inSubtest(t).oktaAdmin()
	must(t, os.WriteFile(metadata, []byte(orgGET(t, is.s, admin.token, "/api/v1/apps/"+af.appID+"/sso/saml/metadata")), 0o600))
	var provider struct{ SAMLProviderArn string }
	c.inAccount(t, *af, &provider, "iam", "create-saml-provider", "--name", "Keyward", "--saml-metadata-document", "file://"+metadata)
	if provider.SAMLProviderArn != "arn:aws:iam::"+af.account+":saml-provider/Keyward" {
		t.Fatalf("create-saml-provider printed %+v", provider)
	}
	for _, role := range []string{"Auditor", "Deployer"} {
		c.inAccount(t, *af, nil, "iam", "create-role", "--role-name", role,
			"--assume-role-policy-document", strings.ReplaceAll(samlTrust, "ACCOUNT", af.account))
	}
	c.inAccount(t, *af, nil, "iam", "create-account-alias", "--account-alias", "contractors")
}

func (is *iamStory) adminMapsTheContractorsGroups(t *testing.T) {
	admin, ctx := is.s.inSubtest(t).oktaAdmin(), context.Background()
	var groups []string
	for _, role := range []string{"Auditor", "Deployer"} {
		g := must2[*okta.Group](t, "create "+role)(admin.GroupAPI.CreateGroup(ctx).Group(newGroup("aws#contractors#"+role+"#"+is.af.account, "")).Execute())
		groups = append(groups, g.GetId())
		must2[*okta.ApplicationGroupAssignment](t, "assign "+role)(admin.ApplicationGroupsAPI.AssignGroupToApplication(ctx, is.af.appID, g.GetId()).Execute())
	}
	must2[*okta.User](t, "create the contractor")(admin.UserAPI.CreateUser(ctx).
		Body(withPassword(newPerson(contractor, "Carol", "Contractor", groups...), contractorPassword)).Execute())
}

func (is *iamStory) adminIsRefusedATwelveHourSession(t *testing.T) {
	c, af := is.c, is.af
	c.inAccount(t, af, nil, "iam", "create-user", "--user-name", "okta-integration")
	c.inAccount(t, af, nil, "iam", "put-user-policy", "--user-name", "okta-integration", "--policy-name", "list-roles",
		"--policy-document", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListRoles","iam:ListAccountAliases"],"Resource":"*"}]}`)
	var key struct {
		AccessKey struct{ AccessKeyId, SecretAccessKey string }
	}
	c.inAccount(t, af, &key, "iam", "create-access-key", "--user-name", "okta-integration")
	admin := is.s.inSubtest(t).oktaAdmin()
	put := func(duration int) error {
		app := federationApp(is.s, map[string]any{"sessionDuration": duration,
			"accessKey": key.AccessKey.AccessKeyId, "secretKey": key.AccessKey.SecretAccessKey})
		_, _, err := admin.ApplicationAPI.ReplaceApplication(context.Background(), af.appID).Application(app).Execute()
		return err
	}
	err := put(43200)
	if err == nil || !strings.Contains(oktaErrorText(err), "role arn:aws:iam::"+af.account+":role/Auditor (3600 seconds)") {
		t.Fatalf("a 12-hour session: %v (%s), want a refusal naming Auditor's one-hour maximum", err, oktaErrorText(err))
	}
	must(t, put(3600))
}

func (is *iamStory) contractorLandsInTheConsole(t *testing.T) {
	is.fed = newFederatedBrowser(t)
	where, _, body := is.fed.visit(is.s.main.OrgURL+is.af.tile, nil)
	_, _, chooser := is.fed.signInAtIdP(where, body, contractor, contractorPassword)
	is.fed.chooseRole(t, is.s, chooser, "Deployer", is.af.account)
}

func (is *iamStory) contractorGetsCLICredentials(t *testing.T) {
	b, c, account := is.fed, is.c, is.af.account
	b.t = t
	assertion := b.assertionFromTile(t, is.s.main.OrgURL+is.af.tile)
	_, _, chooser := b.visit(is.s.url+"/saml", url.Values{"SAMLResponse": {assertion}})
	b.chooseRole(t, is.s, chooser, "Deployer", account)

	var out struct {
		Credentials                    struct{ AccessKeyId, SecretAccessKey, SessionToken string }
		Subject, SubjectType, Audience string
		AssumedRoleUser                struct{ Arn string }
	}
	file := filepath.Join(t.TempDir(), "assertion")
	must(t, os.WriteFile(file, []byte(assertion), 0o600))
	c.asCredentials(t, nil, &out, "sts", "assume-role-with-saml", "--role-arn", "arn:aws:iam::"+account+":role/Deployer",
		"--principal-arn", "arn:aws:iam::"+account+":saml-provider/Keyward", "--saml-assertion", "file://"+file)
	want := "arn:aws:sts::" + account + ":assumed-role/Deployer/" + contractor
	if out.AssumedRoleUser.Arn != want || out.Subject != contractor || out.Audience != "https://signin.aws.amazon.com/saml" {
		t.Fatalf("assume-role-with-saml printed %+v, want %s", out, want)
	}
	var who struct{ Arn string }
	c.asCredentials(t, []string{"AWS_ACCESS_KEY_ID=" + out.Credentials.AccessKeyId, "AWS_SECRET_ACCESS_KEY=" + out.Credentials.SecretAccessKey,
		"AWS_SESSION_TOKEN=" + out.Credentials.SessionToken}, &who, "sts", "get-caller-identity")
	if who.Arn != want {
		t.Errorf("get-caller-identity Arn = %s, want %s", who.Arn, want)
	}
	again := c.mustFail(t, "sts", "assume-role-with-saml", "--role-arn", "arn:aws:iam::"+account+":role/Auditor",
		"--principal-arn", "arn:aws:iam::"+account+":saml-provider/Keyward", "--saml-assertion", "file://"+file,
		"--region", "us-east-1", "--no-sign-request")
	if !strings.Contains(again, "InvalidIdentityToken") || !strings.Contains(again, "already been used") {
		t.Errorf("the assertion used twice: %s", again)
	}
}

// federationApp is the AWS Account Federation app as the Okta SDK sends
// it: group mapping on for groups named aws#<account name>#<role>#<account
// id>, posting to keyward's /saml, with the extra settings.
func federationApp(s *server, extra map[string]any) okta.ListApplications200ResponseInner {
	props := map[string]any{"useGroupMapping": true, "groupFilter": `aws\#\S+\#(?{{role}}[\w\-]+)\#(?{{accountid}}\d+)`,
		"roleValuePattern": "arn:aws:iam::${accountid}:saml-provider/Keyward,arn:aws:iam::${accountid}:role/${role}",
		"loginURL":         s.url + "/saml", "awsEnvironmentType": "aws.amazon"}
	for k, v := range extra {
		props[k] = v
	}
	app := okta.NewSamlApplication("AWS Account Federation", "SAML_2_0")
	app.SetName("amazon_aws")
	settings := okta.NewSamlApplicationSettings()
	settings.SetApp(okta.SamlApplicationSettingsApplication{AdditionalProperties: props})
	app.SetSettings(*settings)
	return okta.SamlApplicationAsListApplications200ResponseInner(app)
}

// inAccount runs a CLI command in the member account (as its
// OrganizationAccountAccessRole session) and decodes its JSON into v.
func (c *awsCLI) inAccount(t *testing.T, af accountFederation, v any, args ...string) {
	t.Helper()
	c.asCredentials(t, af.creds, v, args...)
}

// asCredentials runs a CLI command with env's credentials (none: unsigned
// where the CLI allows it) and decodes its JSON into v.
func (c *awsCLI) asCredentials(t *testing.T, env []string, v any, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), awsCLITimeout)
	defer cancel()
	cmd := c.command(ctx, env, append(args, "--region", "us-east-1", "--output", "json")...)
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(interface{ Stderr() []byte }); ok {
			stderr = string(ee.Stderr())
		}
		t.Fatalf("aws %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr)
	}
	if v != nil && len(out) > 0 {
		must(t, json.Unmarshal(out, v))
	}
}

var (
	choiceRe      = regexp.MustCompile(`name="choice" value="([^"]+)"`)
	consoleRoleRe = regexp.MustCompile(`id="console-role">([^<]*)<`)
)

// chooseRole picks role in the chooser page and checks the console shows it.
func (p *fedBrowser) chooseRole(t *testing.T, s *server, chooser, role, account string) {
	t.Helper()
	m := choiceRe.FindStringSubmatch(chooser)
	if m == nil || !strings.Contains(chooser, "contractors") || strings.Count(chooser, `name="role"`) != 2 {
		t.Fatalf("expected the role chooser offering two roles in contractors:\n%s", chooser)
	}
	where, _, console := p.visit(s.url+"/saml/role", url.Values{"choice": {html.UnescapeString(m[1])},
		"role": {"arn:aws:iam::" + account + ":role/" + role}})
	got := consoleRoleRe.FindStringSubmatch(console)
	if !strings.HasPrefix(where, s.url+"/console") || got == nil || got[1] != role {
		t.Fatalf("choosing %s ended at %s:\n%s", role, where, console)
	}
}

// assertionFromTile opens the app's tile within the identity provider's
// session and reads the SAMLResponse it would post, as saml2aws does.
func (p *fedBrowser) assertionFromTile(t *testing.T, tile string) string {
	t.Helper()
	resp, err := p.c.Get(tile)
	must(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	for _, h := range hiddenRe.FindAllStringSubmatch(string(b), -1) {
		if h[1] == "SAMLResponse" {
			return html.UnescapeString(h[2])
		}
	}
	t.Fatalf("the tile posts no SAMLResponse (%d):\n%s", resp.StatusCode, b)
	return ""
}

// oktaErrorText is the body of the Okta SDK's error, where its causes are.
func oktaErrorText(err error) string {
	var e *okta.GenericOpenAPIError
	if errors.As(err, &e) {
		return string(e.Body())
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

// orgGET reads a path of the org URL with an API token.
func orgGET(t *testing.T, s *server, token, path string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.main.OrgURL+path, nil)
	req.Header.Set("Authorization", "SSWS "+token)
	return readOK(t, req)
}
