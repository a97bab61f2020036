package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// federationDir is a served data directory with an AWS Account Federation
// app and a group aws-Admin; it returns the directory and the app's id.
func federationDir(t *testing.T) (string, string) {
	t.Helper()
	dir := served(t)
	var id string
	withDirIdP(t, dir, func(s store.IdP) {
		f, _ := directory.ReadAWSFederation(map[string]string{directory.AWSFedIdentityProviderARN: "arn:aws:iam::222222222222:saml-provider/Keyward"})
		a, err := s.CreateApp(t.Context(), directory.App{Name: directory.AWSAccountFederationApp, Label: "AWS Account Federation",
			SignOnMode: directory.SAML2, Status: directory.AppActive, SAML: f.SAML().WithDefaults(),
			Settings: map[string]string{directory.AWSFedIdentityProviderARN: "arn:aws:iam::222222222222:saml-provider/Keyward"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateGroup(t.Context(), directory.Group{Type: directory.OktaGroup, Name: "aws-Admin"}); err != nil {
			t.Fatal(err)
		}
		id = a.ID
	})
	return dir, id
}

// fakeIAM answers ListRoles with Admin, whose maximum session is an hour.
func fakeIAM(t *testing.T) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(`<ListRolesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListRolesResult><IsTruncated>false</IsTruncated><Roles>` +
			`<member><Arn>arn:aws:iam::222222222222:role/Admin</Arn><RoleName>Admin</RoleName><Path>/</Path><RoleId>AROAADMIN</RoleId>` +
			`<CreateDate>2026-01-01T00:00:00Z</CreateDate><MaxSessionDuration>3600</MaxSessionDuration></member></Roles></ListRolesResult></ListRolesResponse>`))
	}))
	t.Cleanup(s.Close)
	return s
}

func TestAWSFederationSettingsAreCheckedAgainstTheRolesWhenSet(t *testing.T) {
	dir, id := federationDir(t)
	iam := fakeIAM(t)
	secret := tokenFile(t, "wJalrXUtnFEMI/K7MDENG\n", 0o600)
	base := []string{"admin", "apps", "aws-federation", id, "--data-dir", dir, "--group-filter", `aws-(?{{role}}\w+)`,
		"--login-url", iam.URL + "/saml", "--access-key", "AKIAEXAMPLE", "--secret-key-file", secret}

	code, out, errOut := run(t, "", nil, append(base, "--session-duration", "7200")...)
	if code == 0 || !strings.Contains(errOut, "arn:aws:iam::222222222222:role/Admin (3600 seconds)") {
		t.Fatalf("a session above Admin's maximum: exit %d, %q %q; want a refusal naming Admin's maximum", code, out, errOut)
	}
	if a := storedApp(t, dir, id); a.Settings[directory.AWSFedSessionDuration] != "" {
		t.Fatalf("the refused settings were stored: %v", a.Settings)
	}

	code, out, errOut = run(t, "", nil, append(base, "--session-duration", "1800")...)
	if code != 0 || strings.Contains(out+errOut, "wJalrXUtnFEMI") {
		t.Fatalf("exit %d, %q %q (the secret must never be printed)", code, out, errOut)
	}
	a := storedApp(t, dir, id)
	if a.SAML.ACSURL != iam.URL+"/saml" || a.Settings[directory.AWSFedSessionDuration] != "1800" ||
		strings.Contains(a.Settings[directory.SealedSecretSetting], "wJalr") || a.Settings[directory.SealedSecretSetting] == "" {
		t.Errorf("stored %v, ACS %s", a.Settings, a.SAML.ACSURL)
	}

	code, _, errOut = run(t, "", nil, "admin", "apps", "aws-federation", id, "--data-dir", dir, "--session-duration", "60")
	if code == 0 || !strings.Contains(errOut, "settings.app.sessionDuration: Must be a number of seconds between 900 and 43200") {
		t.Errorf("a 60-second session: exit %d, %q", code, errOut)
	}
}
