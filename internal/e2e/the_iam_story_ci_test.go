package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

// ciJobAssumesARoleWithWebIdentity registers the story's OIDC issuer in
// Dev and a role trusting its tokens for one repository; boto3, as the CI
// job, trades the issuer's token for that role's session unsigned.
func (is *iamStory) ciJobAssumesARoleWithWebIdentity(t *testing.T) {
	iss := is.iss
	var provider struct{ OpenIDConnectProviderArn string }
	is.dev.decode(t, &provider, "iam", "create-open-id-connect-provider", "--url", iss.URL,
		"--client-id-list", "sts.amazonaws.com", "--thumbprint-list", iss.Thumbprint())
	trust := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"` + provider.OpenIDConnectProviderArn + `"},
		"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"example.com/tenant:sub":"repo:acme/app"}}}}`
	var role struct{ Role struct{ Arn string } }
	is.dev.decode(t, &role, "iam", "create-role", "--role-name", "WebApp", "--assume-role-policy-document", trust)

	token := iss.Sign(t, iss.RSA, jose.RS256, "rsa-1", iss.Claims("repo:acme/app", "sts.amazonaws.com"))
	req, err := json.Marshal(map[string]string{"RoleArn": role.Role.Arn, "WebIdentityToken": token})
	must(t, err)
	must(t, os.WriteFile(filepath.Join(is.c.home, "webidentity.json"), req, 0o600))
	var got struct{ Arn, Subject, Audience, CallerArn string }
	out := is.c.runBoto3(t, is.s, "boto3_web_identity.py", []string{"sts/2011-06-15"})
	must(t, json.Unmarshal(out, &got))
	want := "arn:aws:sts::" + is.st.AccountID + ":assumed-role/WebApp/boto3-run"
	if got.Arn != want || got.CallerArn != want || got.Subject != "repo:acme/app" || got.Audience != "sts.amazonaws.com" {
		t.Errorf("boto3 printed %+v, want the WebApp session %s for repo:acme/app", got, want)
	}
}
