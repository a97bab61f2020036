package e2e

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/okta/okta-sdk-golang/v5/okta"

	"github.com/keyward/keyward/internal/cred/awsenv"
	"github.com/keyward/keyward/internal/cred/credtest"
	credokta "github.com/keyward/keyward/internal/cred/okta"
	"github.com/keyward/keyward/internal/cred/provider"
)

// TestCredentialCLIOktaSource is issue 10's Okta source against keyward
// as an Okta org: the credential CLI signs in with the device flow
// (approved in a browser), finds the AWS Account Federation app through
// appLinks, reads the role from a fresh assertion and takes it with
// AssumeRoleWithSAML at the STS endpoint AWS_ENDPOINT_URL_STS names; twenty
// processes finding the tokens expired cause one refresh; a lost role, a
// lost app and a deactivated person are errors that say so.
func TestCredentialCLIOktaSource(t *testing.T) {
	w := &webFlow{s: startTLS(t)}
	step := steps(t)
	step("the administrator registers the CLI app, the federation app with the CLI as its web-SSO client, and the role", asTest(w.setUp))
	// The person's machine trusts keyward's CA and points STS at keyward.
	saved := awsenv.HTTPClient.Transport
	awsenv.HTTPClient.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: w.s.roots}}
	t.Cleanup(func() { awsenv.HTTPClient.Transport = saved })
	t.Setenv("AWS_ENDPOINT_URL_STS", w.s.url)
	keep := &credtest.Keeper{}
	src := credokta.Source{Name: "corp", OrgURL: w.s.main.OrgURL, ClientID: w.cli.clientID}
	c := credokta.New(src, keep)
	ctx := context.Background()
	var role credokta.Role

	step("before signing in, Roles says what to run", func(t *testing.T) {
		_, err := c.Roles(ctx)
		wantSignIn(t, err, "was never made")
	})
	step("login: the device flow, approved by the person in a browser", func(t *testing.T) {
		must(t, c.Login(ctx, approveFunc(func(verification, code string) error {
			if !strings.Contains(verification, code) {
				t.Errorf("the verification URL %s does not carry the code %s", verification, code)
			}
			w.approve(t, verification)
			return nil
		})))
	})
	step("Apps finds the AWS Account Federation app through appLinks", func(t *testing.T) {
		apps, err := c.Apps(ctx)
		must(t, err)
		if len(apps) != 1 || apps[0].ID != w.fedApp || apps[0].Label != "AWS Account Federation" {
			t.Fatalf("apps = %+v, want the federation app %s", apps, w.fedApp)
		}
	})
	step("Roles lists the federation app's role from its assertion", func(t *testing.T) {
		roles, err := c.Roles(ctx)
		must(t, err)
		want := credokta.Role{AppID: w.fedApp, AppLabel: "AWS Account Federation", AccountID: w.account, RoleName: "ReadOnly",
			RoleARN: w.role, PrincipalARN: w.provider, MaxDuration: time.Hour}
		if len(roles) != 1 || roles[0] != want {
			t.Fatalf("roles = %+v, want [%+v]", roles, want)
		}
		role = roles[0]
	})
	step("RoleCredentials are the assumed role's, as GetCallerIdentity answers", func(t *testing.T) {
		creds, err := c.RoleCredentials(ctx, role, "eu-west-1", 15*time.Minute)
		must(t, err)
		if left := time.Until(creds.Expiration); left < 10*time.Minute || left > 16*time.Minute {
			t.Errorf("the credentials expire in %s, want the 15 minutes asked for", left)
		}
		cfg := aws.Config{Region: "eu-west-1", BaseEndpoint: aws.String(w.s.url), HTTPClient: w.s.client,
			Credentials: credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken)}
		id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		must(t, err)
		if want := "arn:aws:sts::" + w.account + ":assumed-role/ReadOnly/" + cliPerson; aws.ToString(id.Arn) != want {
			t.Errorf("GetCallerIdentity = %s, want %s", aws.ToString(id.Arn), want)
		}
	})
	step("a profile naming the sign-in and the role resolves to its credentials, cached", func(t *testing.T) {
		r := &provider.Resolver{Keep: keep, Profiles: configFile{
			"profile okta-dev":  {"keyward_okta_session": "corp", "keyward_role_arn": w.role, "region": "eu-west-1"},
			"keyward-okta corp": {"okta_org_url": src.OrgURL, "okta_client_id": src.ClientID},
		}}
		first, err := r.Credentials(ctx, "okta-dev")
		must(t, err)
		again, err := r.Credentials(ctx, "okta-dev")
		must(t, err)
		if again.AccessKeyID != first.AccessKeyID || first.Region != "eu-west-1" {
			t.Errorf("the second resolution made new credentials (%s, then %s) or lost the region %q",
				first.AccessKeyID, again.AccessKeyID, first.Region)
		}
		cfg := aws.Config{Region: "eu-west-1", BaseEndpoint: aws.String(w.s.url), HTTPClient: w.s.client,
			Credentials: credentials.NewStaticCredentialsProvider(first.AccessKeyID, first.SecretAccessKey, first.SessionToken)}
		id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		must(t, err)
		if !strings.HasSuffix(aws.ToString(id.Arn), ":assumed-role/ReadOnly/"+cliPerson) {
			t.Errorf("the profile's credentials are %s, want the ReadOnly role's", aws.ToString(id.Arn))
		}
	})
	step("twenty processes that find the tokens expired cause one refresh", func(t *testing.T) {
		before := refreshGrants(t, w)
		later := func() time.Time { return time.Now().Add(2 * time.Hour) }
		var wg sync.WaitGroup
		errs := make([]error, 20)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ci := credokta.New(src, keep)
				ci.Now = later
				_, errs[i] = ci.Apps(ctx)
			}()
		}
		wg.Wait()
		must(t, errors.Join(errs...))
		if got := refreshGrants(t, w) - before; got != 1 {
			t.Errorf("%d refresh grants reached keyward, want 1", got)
		}
		if _, err := c.RoleCredentials(ctx, role, "", 0); err != nil {
			t.Errorf("the refreshed tokens do not make credentials: %v", err)
		}
	})
	step("a role the assertion does not carry is a lost role, named", func(t *testing.T) {
		other := role
		other.RoleARN = "arn:aws:iam::" + w.account + ":role/Admin"
		_, err := c.RoleCredentials(ctx, other, "", 0)
		var lost *credokta.LostAccessError
		if !errors.As(err, &lost) || !strings.Contains(err.Error(), other.RoleARN) {
			t.Fatalf("err = %v, want a LostAccessError naming %s", err, other.RoleARN)
		}
	})
	step("after the person leaves the app's group, the app is lost, named", func(t *testing.T) {
		groups := must2[[]okta.Group](t, "the person's groups")(w.admin.UserAPI.ListUserGroups(ctx, w.person).Execute())
		for _, g := range groups {
			if strings.HasPrefix(g.Profile.GetName(), "aws#") {
				mustOK(t, "remove the person")(w.admin.GroupAPI.UnassignUserFromGroup(ctx, g.GetId(), w.person).Execute())
			}
		}
		_, err := c.RoleCredentials(ctx, role, "", 0)
		var lost *credokta.LostAccessError
		if !errors.As(err, &lost) || lost.App.ID != w.fedApp || !strings.Contains(err.Error(), w.fedApp) {
			t.Fatalf("err = %v, want a LostAccessError naming the app %s", err, w.fedApp)
		}
	})
	step("after the person is deactivated, the exchange and the refresh say to sign in again", func(t *testing.T) {
		mustOK(t, "deactivate the person")(w.admin.UserAPI.DeactivateUser(ctx, w.person).Execute())
		_, err := c.Roles(ctx)
		wantSignIn(t, err, "ended (")
		late := credokta.New(src, keep)
		late.Now = func() time.Time { return time.Now().Add(5 * time.Hour) }
		_, err = late.Apps(ctx)
		wantSignIn(t, err, "ended (")
	})
	step("logout forgets the sign-in", func(t *testing.T) {
		must(t, c.Logout(ctx))
		_, err := c.Apps(ctx)
		wantSignIn(t, err, "was never made")
	})
}

// wantSignIn checks err is the Okta source's sign-in error, saying why
// and what to run.
func wantSignIn(t *testing.T, err error, why string) {
	t.Helper()
	var si *credokta.SignInError
	if !errors.As(err, &si) || !strings.Contains(err.Error(), why) || !strings.Contains(err.Error(), "run: keyward login --okta-org "+si.Source.OrgURL) {
		t.Fatalf("err = %v, want a sign-in error saying %q and what to run", err, why)
	}
}

// refreshGrants counts the refresh grants of the CLI app in the system log.
func refreshGrants(t *testing.T, w *webFlow) int {
	t.Helper()
	events := must2[[]okta.LogEvent](t, "grant events")(w.admin.SystemLogAPI.ListLogEvents(context.Background()).
		Filter(`eventType eq "app.oauth2.token.grant.access_token" and target.id eq "` + w.cli.clientID + `"`).Limit(1000).Execute())
	n := 0
	for _, e := range events {
		if e.DebugContext.GetDebugData()["grantType"] == "refresh_token" {
			n++
		}
	}
	return n
}

// configFile is an AWS config file in memory, by section name.
type configFile map[string]map[string]string

func (f configFile) Profile(name string) (map[string]string, bool) { return f.Section("profile", name) }
func (f configFile) SSOSession(name string) (map[string]string, bool) {
	return f.Section("sso-session", name)
}
func (f configFile) Section(kind, name string) (map[string]string, bool) {
	v, ok := f[kind+" "+name]
	return v, ok
}

type approveFunc func(verificationURL, userCode string) error

func (p approveFunc) Approve(verificationURL, userCode string) error {
	return p(verificationURL, userCode)
}

// TestAWSToolsReadAConfigWithAKeywardOktaSection checks that the Okta
// source's [keyward-okta NAME] section and its profile keys leave the AWS
// config file readable by the AWS CLI and the Go SDK: they list the same
// profiles and read the profile's own keys.
func TestAWSToolsReadAConfigWithAKeywardOktaSection(t *testing.T) {
	requireTool(t, awsCLIPath, "apt-get install awscli")
	home := t.TempDir()
	file := filepath.Join(home, "config")
	must(t, os.WriteFile(file, []byte("[default]\nregion = us-east-1\n\n"+
		"[keyward-okta corp]\nokta_org_url = https://corp.okta.com\nokta_client_id = 0oa1cli\nokta_app_id = 0oa2aws\n\n"+
		"[profile okta-dev]\nregion = eu-west-1\nkeyward_okta_session = corp\n"+
		"keyward_role_arn = arn:aws:iam::111122223333:role/Dev\ncredential_process = keyward credential-process --profile okta-dev\n"), 0o600))
	env := []string{"HOME=" + home, "PATH=/usr/bin:/bin", "LANG=C.UTF-8", "AWS_CONFIG_FILE=" + file,
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "none"), "AWS_PAGER="}
	runAWS := func(args ...string) string {
		cmd := exec.Command(awsCLIPath, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if got := runAWS("configure", "list-profiles"); got != "default\nokta-dev" {
		t.Errorf("aws configure list-profiles = %q, want default and okta-dev", got)
	}
	if got := runAWS("configure", "get", "keyward_role_arn", "--profile", "okta-dev"); got != "arn:aws:iam::111122223333:role/Dev" {
		t.Errorf("aws configure get keyward_role_arn = %q", got)
	}
	cfg, err := config.LoadSharedConfigProfile(context.Background(), "okta-dev", func(o *config.LoadSharedConfigOptions) {
		o.ConfigFiles, o.CredentialsFiles = []string{file}, []string{}
	})
	must(t, err)
	if cfg.Region != "eu-west-1" || cfg.CredentialProcess == "" {
		t.Errorf("the Go SDK reads the profile as region %q, credential_process %q", cfg.Region, cfg.CredentialProcess)
	}
}
