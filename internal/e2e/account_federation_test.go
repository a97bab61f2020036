package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"html"
	"io"
	"net/http"
	"net/url"
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
	appID   string
	tile    string // the dashboard tile's path
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
