package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/keyward/keyward/internal/cred/awsconfig"
	"github.com/keyward/keyward/internal/cred/okta"
)

// The Okta source: okta-aws-cli's path (device authorization, a web-SSO
// token, the AWS Account Federation app's SAML assertion,
// AssumeRoleWithSAML), kept as a [keyward-okta NAME] section.

const oktaKind = "keyward-okta"

func oktaSection(name string) awsconfig.Section { return awsconfig.Section{Type: oktaKind, Name: name} }

type oktaFlags struct {
	org, clientID, appID, session string
}

func (o *oktaFlags) add(cmd *cobra.Command, login bool) {
	f := cmd.Flags()
	f.StringVar(&o.session, "okta-session", "", "the Okta sign-in's name (default: the org's host)")
	if !login {
		return
	}
	f.StringVar(&o.org, "okta-org", "", "sign in at this Okta org (example.okta.com) instead of IAM Identity Center")
	f.StringVar(&o.clientID, "okta-client-id", "", "with --okta-org: the OIDC native app's client id")
	f.StringVar(&o.appID, "okta-app-id", "", "with --okta-org: the AWS Account Federation app's id (default: every one you are assigned)")
}

// loginOkta signs in at an Okta org, saving the sign-in first.
func (e *credEnv) loginOkta(cmd *cobra.Command, o oktaFlags, noBrowser bool) error {
	if o.clientID == "" {
		return fmt.Errorf("--okta-org needs --okta-client-id, the client id of the OIDC native app for the CLI")
	}
	src := okta.Source{Name: o.session, OrgURL: okta.OrgURL(o.org), ClientID: o.clientID, AppID: o.appID}
	if src.Name == "" {
		src.Name = sessionName(src.OrgURL)
	}
	if err := src.Check(); err != nil {
		return err
	}
	if err := okta.New(src, e.keep).Login(cmd.Context(), newPrompt(e.stdio.Err, noBrowser)); err != nil {
		return err
	}
	if err := e.forgetCredentials(cmd.Context(), oktaKind+" "+src.Name); err != nil { // as login does
		return err
	}
	kvs := []awsconfig.KV{{Key: "okta_org_url", Value: src.OrgURL}, {Key: "okta_client_id", Value: src.ClientID}}
	if src.AppID != "" {
		kvs = append(kvs, awsconfig.KV{Key: "okta_app_id", Value: src.AppID})
	}
	e.shared.Config.PutSection(oktaSection(src.Name), kvs)
	if err := e.shared.Config.Save(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdio.Err, "Signed in to %s as keyward-okta %s.\n", src.OrgURL, src.Name)
	fmt.Fprintf(e.stdio.Err, "Next: `keyward profiles sync --okta-session %s` writes a profile per role.\n", src.Name)
	return nil
}

// syncOktaRoles lists the Okta sign-in's roles as profiles to sync. The
// AWS CLI and SDKs cannot read an Okta sign-in, so every profile runs
// keyward as its credential_process.
func (e *credEnv) syncOktaRoles(cmd *cobra.Command, name, region string, namer *awsconfig.Namer) (awsconfig.Source, []awsconfig.Role, error) {
	src, err := e.resolver.OktaSource(name)
	if err != nil {
		return awsconfig.Source{}, nil, err
	}
	roles, err := okta.New(src, e.keep).Roles(cmd.Context())
	if err != nil {
		return awsconfig.Source{}, nil, err
	}
	if region == "" {
		region = "us-east-1"
	}
	want := make([]awsconfig.Role, len(roles))
	for i, r := range roles {
		want[i] = awsconfig.Role{AccountID: r.AccountID, AccountName: strings.TrimSpace(r.AppLabel), RoleName: r.RoleName, Region: region}
		profile, err := namer.Name(want[i])
		if err != nil {
			return awsconfig.Source{}, nil, err
		}
		want[i].Keys = []awsconfig.KV{{Key: "credential_process", Value: processCommand(profile)},
			{Key: "keyward_okta_session", Value: name}, {Key: "keyward_role_arn", Value: r.RoleARN},
			{Key: "keyward_principal_arn", Value: r.PrincipalARN}, {Key: "keyward_app_id", Value: r.AppID},
			{Key: "region", Value: region}}
	}
	return awsconfig.Source{Name: oktaKind + " " + name, DefaultRegion: region}, want, nil
}
