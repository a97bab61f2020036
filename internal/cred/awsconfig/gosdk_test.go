package awsconfig

import (
	"context"
	"testing"

	sdkconfig "github.com/aws/aws-sdk-go-v2/config"
)

// TestGoSDKReadsWhatWeWrite loads a synced profile with aws-sdk-go-v2's
// own shared-config reader.
func TestGoSDKReadsWhatWeWrite(t *testing.T) {
	p := testPaths(t)
	writeFile(t, p.Config, personal, 0o600)
	sh, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	r := role("111122223333", "Acme Prod", "AdministratorAccess")
	r.Region = "eu-north-1"
	plan(t, sh.Config, corp, []Role{r}, SyncOptions{Template: "{{kebab .AccountName}}"}).Apply(sh.Config)
	if err := sh.Config.Save(); err != nil {
		t.Fatal(err)
	}
	sc, err := sdkconfig.LoadSharedConfigProfile(context.Background(), "acme-prod", func(o *sdkconfig.LoadSharedConfigOptions) {
		o.ConfigFiles, o.CredentialsFiles = []string{p.Config}, []string{p.Credentials}
	})
	if err != nil {
		t.Fatal(err)
	}
	got := [...]string{sc.SSOSessionName, sc.SSOAccountID, sc.SSORoleName, sc.Region}
	if want := [...]string{"corp", "111122223333", "AdministratorAccess", "eu-north-1"}; got != want {
		t.Errorf("the Go SDK read %q, want %q", got, want)
	}
	if sc.SSOSession == nil || sc.SSOSession.SSOStartURL != "https://corp.awsapps.com/start" {
		t.Errorf("the Go SDK's sso-session: %+v", sc.SSOSession)
	}
}
