package e2e

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okta/okta-sdk-golang/v5/okta"
)

// The contractor's steps of TestTheIAMStory: he federates straight into
// one account with SAML through the identity provider's AWS Account
// Federation app, picks the second of his two roles in the /saml sign-in's
// chooser and lands in the console as it; the same assertion through
// `aws sts assume-role-with-saml` gives the CLI credentials of that role
// session.

// adminCreatesTheFederationApp creates the contractors' account and the
// app, posting to keyward's /saml with sessions of one hour.
func (is *iamStory) adminCreatesTheFederationApp(t *testing.T) {
	is.af.account = is.c.createAccount(t, "Contractors", "contractors@example.com")
	created := must2[*okta.ListApplications200ResponseInner](t, "create the app")(is.okta.ApplicationAPI.
		CreateApplication(context.Background()).Application(federationApp(is.s, map[string]any{"sessionDuration": 3600})).Execute())
	is.af.appID = created.SamlApplication.GetId()
	is.af.tile = "/app/amazon_aws/" + is.af.appID + "/sso/saml"
}

// adminTrustsTheFederationApp works in the contractors' account through
// its access role, as the administrator's CLI profile for it does.
func (is *iamStory) adminTrustsTheFederationApp(t *testing.T) {
	af := is.af
	is.contractors = is.c.assumedProfile(t, "contractors-admin", "arn:aws:iam::"+af.account+":role/OrganizationAccountAccessRole")
	metadata := filepath.Join(t.TempDir(), "idp-metadata.xml")
	must(t, os.WriteFile(metadata, []byte(orgGET(t, is.s, is.okta.token, "/api/v1/apps/"+af.appID+"/sso/saml/metadata")), 0o600))
	var provider struct{ SAMLProviderArn string }
	is.contractors.decode(t, &provider, "iam", "create-saml-provider", "--name", "Keyward", "--saml-metadata-document", "file://"+metadata)
	if provider.SAMLProviderArn != "arn:aws:iam::"+af.account+":saml-provider/Keyward" {
		t.Fatalf("create-saml-provider printed %+v", provider)
	}
	for _, role := range []string{"Auditor", "Deployer"} {
		is.contractors.run(t, "iam", "create-role", "--role-name", role,
			"--assume-role-policy-document", strings.ReplaceAll(samlTrust, "ACCOUNT", af.account))
	}
	is.contractors.run(t, "iam", "create-account-alias", "--account-alias", "contractors")
}

func (is *iamStory) adminMapsTheContractorsGroups(t *testing.T) {
	admin, ctx := is.okta, context.Background()
	var groups []string
	for _, role := range []string{"Auditor", "Deployer"} {
		g := must2[*okta.Group](t, "create "+role)(admin.GroupAPI.CreateGroup(ctx).Group(newGroup("aws#contractors#"+role+"#"+is.af.account, "")).Execute())
		groups = append(groups, g.GetId())
		must2[*okta.ApplicationGroupAssignment](t, "assign "+role)(admin.ApplicationGroupsAPI.AssignGroupToApplication(ctx, is.af.appID, g.GetId()).Execute())
	}
	must2[*okta.User](t, "create the contractor")(admin.UserAPI.CreateUser(ctx).
		Body(withPassword(newPerson(contractor, "Carol", "Contractor", groups...), contractorPassword)).Execute())
}

// adminIsRefusedATwelveHourSession gives the app the key of a user that
// may list the account's roles, as Okta's API integration does, so that a
// session duration beyond a mapped role's maximum is refused when saved,
// not at sign-in.
func (is *iamStory) adminIsRefusedATwelveHourSession(t *testing.T) {
	af, in := is.af, is.contractors
	in.run(t, "iam", "create-user", "--user-name", "okta-integration")
	in.run(t, "iam", "put-user-policy", "--user-name", "okta-integration", "--policy-name", "list-roles",
		"--policy-document", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListRoles","iam:ListAccountAliases"],"Resource":"*"}]}`)
	var key struct {
		AccessKey struct{ AccessKeyId, SecretAccessKey string }
	}
	in.decode(t, &key, "iam", "create-access-key", "--user-name", "okta-integration")
	put := func(duration int) error {
		app := federationApp(is.s, map[string]any{"sessionDuration": duration,
			"accessKey": key.AccessKey.AccessKeyId, "secretKey": key.AccessKey.SecretAccessKey})
		_, _, err := is.okta.ApplicationAPI.ReplaceApplication(context.Background(), af.appID).Application(app).Execute()
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

// contractorGetsCLICredentials reads the assertion the tile posts, as
// saml2aws does: the /saml chooser takes it, and so does
// assume-role-with-saml, once.
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
	// Spent once per role: the same role again is a replay.
	again := c.mustFail(t, "sts", "assume-role-with-saml", "--role-arn", "arn:aws:iam::"+account+":role/Deployer",
		"--principal-arn", "arn:aws:iam::"+account+":saml-provider/Keyward", "--saml-assertion", "file://"+file,
		"--region", "us-east-1", "--no-sign-request")
	if !strings.Contains(again, "InvalidIdentityToken") || !strings.Contains(again, "already been used") {
		t.Errorf("the assertion used twice: %s", again)
	}
}
