package e2e

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestCredentialCLIStory is issue 10's story for the Identity Center
// source, command by command, with the real AWS CLI v2, boto3 and
// aws-sdk-go-v2 using what keyward hands out.
func TestCredentialCLIStory(t *testing.T) {
	s := start(t)
	c := newAWSCLI(t, s)
	step := steps(t)
	var sdk story
	var st cliStory
	var k *credCLI
	var roleARN *regexp.Regexp
	const profile = "Dev-DevOps"
	step("the administrator sets up Dev, alice, Developers and DevOps", func(t *testing.T) {
		sdk = s.inSubtest(t).setUpStory()
		st = sdk.cli()
		k = newCredCLI(t, s, c)
		roleARN = regexp.MustCompile(`^arn:aws:sts::` + st.AccountID + `:assumed-role/AWSReservedSSO_DevOps_[0-9a-f]{16}/alice$`)
	})
	step("keyward login signs alice in with the device flow and saves the sso-session", func(t *testing.T) {
		printed := k.login(t, s, "--start-url", s.main.StartURL, "--region", "us-east-1", "--sso-session", "kw")
		if !strings.Contains(printed, "Signed in to "+s.main.StartURL+" as sso-session kw") {
			t.Errorf("login printed\n%s", printed)
		}
		conf := k.config(t)
		if !strings.Contains(conf, "[sso-session kw]") || !strings.Contains(conf, "sso_start_url = "+s.main.StartURL) {
			t.Errorf("~/.aws/config after login:\n%s", conf)
		}
		// The AWS CLI's own cache holds the access token too, so `aws` shares
		// the sign-in; the refresh token stays in the vault, and the vault
		// holds nothing in the clear.
		cache, err := os.ReadFile(c.tokenCache())
		must(t, err)
		var tok struct{ StartURL, AccessToken, RefreshToken, ClientSecret string }
		must(t, json.Unmarshal(cache, &tok))
		if tok.StartURL != s.main.StartURL || tok.AccessToken == "" || tok.RefreshToken != "" || tok.ClientSecret != "" {
			t.Errorf("the AWS CLI's token cache:\n%s\nwant the start URL and access token, and no refresh token or client secret", cache)
		}
		vault, err := os.ReadFile(filepath.Join(k.home, ".config", "keyward", "vault"))
		must(t, err)
		if strings.Contains(string(vault), tok.AccessToken) {
			t.Error("the vault file holds the access token in the clear")
		}
		if fi, err := os.Stat(filepath.Join(k.home, ".config", "keyward", "vault")); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("the vault file's mode: %v %v, want 0600", fi.Mode(), err)
		}
	})
	step("profiles sync --dry-run shows the profile and writes nothing; sync writes it", func(t *testing.T) {
		before := k.config(t)
		diff := k.mustRun(t, "profiles", "sync", "--dry-run")
		if !strings.Contains(diff, profile) || k.config(t) != before {
			t.Fatalf("dry run printed\n%s\nand the config changed: %v", diff, k.config(t) != before)
		}
		k.mustRun(t, "profiles", "sync")
		conf := k.config(t)
		for _, want := range []string{"[profile " + profile + "]", "sso_session = kw", "sso_account_id = " + st.AccountID, "sso_role_name = DevOps"} {
			if !strings.Contains(conf, want) {
				t.Errorf("~/.aws/config after sync lacks %q:\n%s", want, conf)
			}
		}
		list := k.mustRun(t, "profiles", "list")
		if !strings.Contains(list, profile) || !strings.Contains(list, "sso-session kw") {
			t.Errorf("profiles list:\n%s", list)
		}
	})
	var creds processCredentials
	step("keyward credentials answers credential_process JSON, version 1 with an expiration", func(t *testing.T) {
		creds = k.credentials(t, profile)
		if creds.Version != 1 || !strings.HasPrefix(creds.AccessKeyId, "ASIA") || creds.SessionToken == "" || creds.Expiration == "" {
			t.Errorf("credentials = %+v", creds)
		}
	})
	step("the AWS CLI v2 uses the synced profile through the shared SSO cache, and credential_process", func(t *testing.T) {
		if arn := c.callerARNAs(t, st, profile); !roleARN.MatchString(arn) {
			t.Errorf("aws --profile %s: %s, want %s", profile, arn, roleARN)
		}
		appendConfig(t, k, "[profile via-process]\nregion = us-east-1\ncredential_process = "+k.bin+" credentials "+profile+"\n")
		if arn := c.callerARNAs(t, st, "via-process"); !roleARN.MatchString(arn) {
			t.Errorf("aws --profile via-process: %s, want %s", arn, roleARN)
		}
	})
	step("boto3 and aws-sdk-go-v2 use it through credential_process", func(t *testing.T) {
		c.env = append(c.env, "BOTO3_PROFILE=via-process")
		if arn := c.boto3CallerARN(t, s); !roleARN.MatchString(arn) {
			t.Errorf("boto3: %s, want %s", arn, roleARN)
		}
		ctx := context.Background()
		for _, kv := range k.env {
			key, v, _ := strings.Cut(kv, "=")
			t.Setenv(key, v)
		}
		cfg, err := config.LoadDefaultConfig(ctx, config.WithSharedConfigProfile("via-process"), config.WithRegion("us-east-1"),
			config.WithBaseEndpoint(s.url))
		must(t, err)
		who, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		must(t, err)
		if !roleARN.MatchString(aws.ToString(who.Arn)) {
			t.Errorf("aws-sdk-go-v2: %s, want %s", aws.ToString(who.Arn), roleARN)
		}
	})
	step("keyward exec runs the command with the credentials and exits with its code", func(t *testing.T) {
		_, errOut, code := k.run("", "exec", profile, "--", "sh", "-c",
			`test "$AWS_ACCESS_KEY_ID" = "`+creds.AccessKeyId+`" && test -n "$AWS_SESSION_TOKEN" && test -z "$AWS_PROFILE" && exit 7`)
		if code != 7 || errOut != "" {
			t.Errorf("exec exited %d (want 7), stderr %q", code, errOut)
		}
	})
	step("keyward env prints exports bash evaluates", func(t *testing.T) {
		bash := exec.Command("bash", "-c", `eval "$(`+k.bin+` env `+profile+`)" && echo "$AWS_ACCESS_KEY_ID"`)
		bash.Env = k.env
		out, err := bash.CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != creds.AccessKeyId {
			t.Errorf("bash evaluating keyward env: %v\n%s\nwant %s", err, out, creds.AccessKeyId)
		}
	})
	step("keyward console --print prints a one-time federation sign-in URL; whoami names the role", func(t *testing.T) {
		u := strings.TrimSpace(k.mustRun(t, "console", profile, "--print"))
		if !strings.HasPrefix(u, s.url+"/federation?Action=login&") || !strings.Contains(u, "SigninToken=") {
			t.Errorf("console --print: %q", u)
		}
		who := k.mustRun(t, "whoami", profile)
		if m := regexp.MustCompile(`ARN:\s+(\S+)`).FindStringSubmatch(who); m == nil || !roleARN.MatchString(m[1]) {
			t.Errorf("whoami:\n%s", who)
		}
	})
	step("keyward use without a terminal offers a numbered list and prints the chosen exports", func(t *testing.T) {
		out, errOut, code := k.run("1\n", "use", "--export")
		if code != 0 || !strings.Contains(errOut, "1) "+profile) || !strings.Contains(out, "export AWS_ACCESS_KEY_ID=") {
			t.Errorf("use --export exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
		}
	})
	step("shell completion offers the profiles", func(t *testing.T) {
		out := k.mustRun(t, "__complete", "credentials", "Dev")
		if !strings.Contains(out, profile+"\n") {
			t.Errorf("__complete credentials Dev:\n%s", out)
		}
		for _, sh := range []string{"bash", "zsh", "fish"} {
			if script := k.mustRun(t, "completion", sh); !strings.Contains(script, "keyward") {
				t.Errorf("completion %s printed no script", sh)
			}
		}
	})
	step("--verbose shows each HTTP exchange with every secret redacted", func(t *testing.T) {
		out, errOut, code := k.run("", "credentials", profile, "--refresh", "--verbose")
		var fresh processCredentials
		if code != 0 || json.Unmarshal([]byte(out), &fresh) != nil {
			t.Fatalf("credentials --verbose exited %d:\n%s\n%s", code, out, errOut)
		}
		cache, err := os.ReadFile(c.tokenCache())
		must(t, err)
		var tok struct{ AccessToken string }
		must(t, json.Unmarshal(cache, &tok))
		if !strings.Contains(errOut, "> GET "+s.url+"/federation/credentials?") || !strings.Contains(errOut, "< 200 OK") ||
			!strings.Contains(errOut, "[redacted]") {
			t.Errorf("the trace does not show the portal exchange:\n%s", errOut)
		}
		for name, secret := range map[string]string{"secret key": fresh.SecretAccessKey, "session token": fresh.SessionToken,
			"access token": tok.AccessToken} {
			if secret == "" || strings.Contains(errOut, secret) {
				t.Errorf("the trace shows the %s (%q)", name, secret)
			}
		}
	})
	step("credentials --write-aws-credentials writes one section of ~/.aws/credentials and keeps the rest", func(t *testing.T) {
		path := filepath.Join(k.home, ".aws", "credentials")
		const mine = "# my own keys\n[personal]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = kept-as-is\n"
		must(t, os.WriteFile(path, []byte(mine), 0o600))
		k.mustRun(t, "credentials", profile, "--write-aws-credentials", "--credentials-profile", "dev-creds")
		current := k.credentials(t, profile)
		b, err := os.ReadFile(path)
		must(t, err)
		if !strings.HasPrefix(string(b), mine) || !strings.Contains(string(b), "[dev-creds]\naws_access_key_id = "+current.AccessKeyId) ||
			!strings.Contains(string(b), "x_security_token_expires = ") {
			t.Errorf("~/.aws/credentials:\n%s", b)
		}
		ctx, cancel := context.WithTimeout(context.Background(), awsCLITimeout)
		defer cancel()
		out, err := c.command(ctx, []string{"AWS_SHARED_CREDENTIALS_FILE=" + path}, "sts", "get-caller-identity",
			"--profile", "dev-creds", "--region", "us-east-1", "--query", "Arn", "--output", "text").CombinedOutput()
		if err != nil || !roleARN.MatchString(strings.TrimSpace(string(out))) {
			t.Errorf("aws with [dev-creds]: %v\n%s", err, out)
		}
	})
	step("when alice loses the role, the next fetch says so plainly and sync --prune removes it", func(t *testing.T) {
		s.inSubtest(t).unassign(sdk)
		msg := k.mustFail(t, "credentials", profile, "--refresh")
		if !strings.Contains(msg, "no longer have access to role DevOps in account "+st.AccountID) {
			t.Errorf("credentials after the unassignment:\n%s", msg)
		}
		k.mustRun(t, "profiles", "sync", "--prune")
		if conf := k.config(t); strings.Contains(conf, "[profile "+profile+"]") || !strings.Contains(conf, "[profile via-process]") {
			t.Errorf("after sync --prune:\n%s", conf)
		}
	})
	step("after logout, the next fetch says the sign-in is gone and what to run", func(t *testing.T) {
		k.mustRun(t, "logout")
		appendConfig(t, k, "[profile by-hand]\nsso_session = kw\nsso_account_id = "+st.AccountID+"\nsso_role_name = DevOps\n")
		msg := k.mustFail(t, "credentials", "by-hand")
		if !strings.Contains(msg, "sign in again with `keyward login --sso-session kw`") {
			t.Errorf("credentials after logout:\n%s", msg)
		}
		if _, err := os.Stat(c.tokenCache()); !os.IsNotExist(err) {
			t.Errorf("the AWS CLI's token cache is still there after logout: %v", err)
		}
	})
}

// appendConfig adds text to the config file, as a person editing it would.
func appendConfig(t *testing.T, k *credCLI, text string) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(k.home, ".aws", "config"), os.O_APPEND|os.O_WRONLY, 0)
	must(t, err)
	_, err = f.WriteString("\n" + text)
	must(t, err)
	must(t, f.Close())
}
