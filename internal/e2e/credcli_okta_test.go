package e2e

import (
	"regexp"
	"strings"
	"testing"
)

// TestCredentialCLIOktaStory is issue 10's story with the Okta source:
// keyward login --okta-org (okta-aws-cli's device authorization, web-SSO
// token and SAML assertion), profiles sync, credentials, whoami, exec,
// and the real AWS CLI v2 through credential_process, over TLS with
// keyward's CA as the person's trust store.
func TestCredentialCLIOktaStory(t *testing.T) {
	w := &webFlow{s: startTLS(t)}
	step := steps(t)
	step("the administrator registers the CLI app, the federation app and the role", asTest(w.setUp))
	c := newAWSCLI(t, w.s.server)
	k := newCredCLI(t, w.s.server, c)
	tls := []string{"SSL_CERT_FILE=" + w.s.caFile, "AWS_CA_BUNDLE=" + w.s.caFile}
	k.env = append(k.env, tls...)
	c.env = append(c.env, tls...)
	roleARN := regexp.MustCompile(`^arn:aws:sts::` + w.account + `:assumed-role/ReadOnly/` + regexp.QuoteMeta(cliPerson) + `$`)
	const profile = "AWS-Account-Federation-ReadOnly"

	step("keyward login --okta-org signs dana in with the device flow and saves the sign-in", func(t *testing.T) {
		printed := k.loginWith(t, func(opened string) { w.approve(t, opened) },
			"--okta-org", w.s.main.OrgURL, "--okta-client-id", w.cli.clientID, "--okta-session", "corp")
		if !strings.Contains(printed, "Signed in to "+w.s.main.OrgURL+" as keyward-okta corp") {
			t.Errorf("login printed:\n%s", printed)
		}
		if conf := k.config(t); !strings.Contains(conf, "[keyward-okta corp]") || !strings.Contains(conf, "okta_client_id = "+w.cli.clientID) {
			t.Errorf("~/.aws/config after login:\n%s", conf)
		}
	})
	step("profiles sync --okta-session writes a credential_process profile per role", func(t *testing.T) {
		k.mustRun(t, "profiles", "sync", "--okta-session", "corp")
		conf := k.config(t)
		for _, want := range []string{"[profile " + profile + "]", "credential_process = keyward credentials " + profile,
			"keyward_okta_session = corp", "keyward_role_arn = " + w.role} {
			if !strings.Contains(conf, want) {
				t.Errorf("~/.aws/config lacks %q:\n%s", want, conf)
			}
		}
	})
	step("credentials, whoami and exec hand out dana's ReadOnly session", func(t *testing.T) {
		creds := k.credentials(t, profile)
		if creds.Version != 1 || creds.SessionToken == "" || creds.Expiration == "" {
			t.Errorf("credentials = %+v", creds)
		}
		who := k.mustRun(t, "whoami", profile)
		if m := regexp.MustCompile(`ARN:\s+(\S+)`).FindStringSubmatch(who); m == nil || !roleARN.MatchString(m[1]) {
			t.Errorf("whoami:\n%s\nwant %s", who, roleARN)
		}
		if _, errOut, code := k.run("", "exec", profile, "--", "sh", "-c", `test "$AWS_ACCESS_KEY_ID" = "`+creds.AccessKeyId+`"`); code != 0 {
			t.Errorf("exec exited %d: %s", code, errOut)
		}
	})
	step("the AWS CLI v2 uses the profile through credential_process", func(t *testing.T) {
		appendConfig(t, k, "[profile okta-process]\nregion = us-east-1\ncredential_process = "+k.bin+" credentials "+profile+"\n")
		out := c.mustRun(t, "sts", "get-caller-identity", "--profile", "okta-process", "--query", "Arn", "--output", "text")
		if !roleARN.MatchString(strings.TrimSpace(out)) {
			t.Errorf("aws sts get-caller-identity: %s, want %s", out, roleARN)
		}
	})
	step("logout forgets the sign-in and its cached credentials: the next fetch says to sign in again", func(t *testing.T) {
		k.mustRun(t, "logout", "--okta-session", "corp")
		msg := k.mustFail(t, "credentials", profile)
		if !strings.Contains(msg, "keyward login --okta-org") {
			t.Errorf("credentials after logout:\n%s", msg)
		}
	})
}
