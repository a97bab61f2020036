package e2e

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Unchanged third-party clients (issue 9, item 3): aws-vault v7.2.0 and
// granted v0.38.0 ignore AWS_ENDPOINT_URL_* and dial the real AWS host
// names (oidc.us-east-1.amazonaws.com, portal.sso.us-east-1.amazonaws.com).
// They reach keyward only through its HTTPS proxy mode: their environment
// is HOME, PATH, HTTPS_PROXY and SSL_CERT_FILE (Go reads both), plus what
// keeps their secrets in a file instead of a desktop keyring. The binaries
// are the modules' own code, built by scripts/build-thirdparty.

// thirdPartyTimeout bounds one run of a tool, a whole device login included.
const thirdPartyTimeout = 60 * time.Second

// thirdPartyTool is the path of a binary scripts/build-thirdparty built.
// In CI a missing one fails the test; elsewhere it skips.
func thirdPartyTool(t *testing.T, name, version, bin string) string {
	t.Helper()
	dir := os.Getenv("KEYWARD_TOOLS_DIR")
	if dir == "" {
		home, err := os.UserHomeDir()
		must(t, err)
		dir = filepath.Join(home, ".cache", "keyward-tools")
	}
	return requireTool(t, filepath.Join(dir, name+"-"+version, "bin", bin), "build it with scripts/build-thirdparty")
}

// thirdPartyEnv is a tool's whole environment: no AWS_ENDPOINT_URL*, no
// AWS_CA_BUNDLE, nothing inherited from the test.
func (s *tlsServer) thirdPartyEnv(home string, extra ...string) []string {
	return append([]string{"HOME=" + home, "PATH=/usr/bin:/bin",
		"HTTPS_PROXY=" + s.main.ProxyURL, "SSL_CERT_FILE=" + s.caFile}, extra...)
}

// writeSSOProfile writes a legacy SSO profile (start URL in the profile,
// no sso-session), the form both tools read.
func writeSSOProfile(t *testing.T, home, startURL string, st story) {
	t.Helper()
	conf := "[profile dev]\nsso_start_url = " + startURL + "\nsso_region = us-east-1\nsso_account_id = " + st.AccountID +
		"\nsso_role_name = DevOps\nregion = eu-west-1\n"
	must(t, os.MkdirAll(filepath.Join(home, ".aws"), 0o700))
	must(t, os.WriteFile(filepath.Join(home, ".aws", "config"), []byte(conf), 0o600))
}

// tlsBrowser is the person's browser: it trusts keyward's CA, as a
// browser on a machine that imported it does.
func (s *tlsServer) tlsBrowser(t *testing.T) *browser {
	b := s.server.inSubtest(t).browser()
	b.c.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.roots}}
	return b
}

// approveAsAlice opens the verification URL a tool printed, signs alice
// in and allows the request. It returns the client name the page showed.
func (s *tlsServer) approveAsAlice(t *testing.T, verificationURL string) string {
	t.Helper()
	if !strings.HasPrefix(verificationURL, s.url+"/device?user_code=") || !strings.HasPrefix(s.url, "https://") {
		t.Fatalf("verification URL %q, want keyward's https portal %s/device?user_code=…", verificationURL, s.url)
	}
	b := s.tlsBrowser(t)
	b.signIn(aliceName, alicePassword)
	return b.approve(verificationURL, true)
}

// deviceLogin is one run of a tool that logs in with the device flow.
type deviceLogin struct {
	cmd            *exec.Cmd
	stdout, stderr *lockedBuffer
	// verificationURL returns the URL the tool gave the person, or "" until
	// it has.
	verificationURL func() string
}

// newDeviceLogin is bin run with env, its output captured.
func newDeviceLogin(ctx context.Context, home string, env []string, bin string, args ...string) *deviceLogin {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env, cmd.Dir, cmd.WaitDelay = env, home, 5*time.Second
	d := &deviceLogin{cmd: cmd, stdout: &lockedBuffer{}, stderr: &lockedBuffer{}}
	cmd.Stdout, cmd.Stderr = d.stdout, d.stderr
	return d
}

// run starts the tool, waits for its verification URL, lets approve play
// the person, and waits for the tool to exit 0. It returns what the tool
// printed on standard output.
func (d *deviceLogin) run(t *testing.T, approve func(verificationURL string)) string {
	t.Helper()
	must(t, d.cmd.Start())
	exited, exitErr := make(chan struct{}), error(nil)
	go func() { exitErr = d.cmd.Wait(); close(exited) }()
	failed := func(why any) {
		t.Helper()
		_ = d.cmd.Process.Kill()
		<-exited
		t.Fatalf("%s: %v (exit: %v)\nstdout:\n%s\nstderr:\n%s", strings.Join(d.cmd.Args, " "), why, exitErr, d.stdout, d.stderr)
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(thirdPartyTimeout)
	for u := ""; u == ""; u = d.verificationURL() {
		select {
		case <-exited:
			failed("it exited before giving a verification URL")
		case <-deadline:
			failed("it gave no verification URL")
		case <-tick.C:
		}
	}
	approve(d.verificationURL())
	<-exited
	if exitErr != nil {
		failed(exitErr)
	}
	return d.stdout.String()
}

// printedURL finds the first https URL with a user code on a line of out.
var printedURL = regexp.MustCompile(`(?m)^.*?(https://\S+/device\?user_code=\S+)`)

func firstPrintedURL(out *lockedBuffer) func() string {
	return func() string {
		if m := printedURL.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		return ""
	}
}

// callerOf asks keyward's STS, over TLS, who the credentials belong to.
func (s *tlsServer) callerOf(t *testing.T, keyID, secret, token string) string {
	t.Helper()
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(s.url), HTTPClient: s.oktaAWSCLIClient(),
		Credentials: credentials.NewStaticCredentialsProvider(keyID, secret, token)}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity with the tool's credentials %s: %v", keyID, err)
	}
	return aws.ToString(out.Arn)
}

// devOpsARN matches alice's session in the DevOps permission set's role.
func devOpsARN(st story) *regexp.Regexp {
	return regexp.MustCompile(`^arn:aws:sts::` + st.AccountID + `:assumed-role/AWSReservedSSO_DevOps_[0-9a-f]{16}/alice$`)
}

// envOf parses `env` output.
func envOf(out string) map[string]string {
	vars := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			vars[k] = v
		}
	}
	return vars
}

// startForTool is keyward with TLS and the proxy mode, the story set up,
// and a HOME for the tool whose ~/.aws/config has alice's SSO profile.
func startForTool(t *testing.T) (s *tlsServer, st story, home string) {
	t.Helper()
	s = startTLS(t)
	st = s.setUpStory()
	home = t.TempDir()
	writeSSOProfile(t, home, s.main.StartURL, st)
	return s, st, home
}

func TestAWSVaultExecWithAnSSOProfileThroughTheProxy(t *testing.T) {
	bin := thirdPartyTool(t, "aws-vault", "v7.2.0", "aws-vault")
	s, st, home := startForTool(t)
	// No desktop keyring here: the file backend, its passphrase from the
	// environment so that it never prompts.
	env := s.thirdPartyEnv(home, "AWS_VAULT_BACKEND=file", "AWS_VAULT_FILE_PASSPHRASE=correct horse battery staple")
	vaultExec := func(ctx context.Context) *deviceLogin {
		// --stdout prints the verification URL instead of running xdg-open
		// (which this machine has, and which would start a real browser).
		d := newDeviceLogin(ctx, home, env, bin, "exec", "--stdout", "dev", "--", "/usr/bin/env")
		d.verificationURL = firstPrintedURL(d.stderr)
		return d
	}
	want := devOpsARN(st)
	var first map[string]string

	t.Run("exec logs in with the device flow, approved in the browser, and the child gets alice's DevOps credentials", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), thirdPartyTimeout)
		defer cancel()
		var client string
		d := vaultExec(ctx)
		first = envOf(d.run(t, func(u string) { client = s.approveAsAlice(t, u) }))
		if client != "aws-vault" {
			t.Errorf("the approval page named the client %q, want aws-vault (the name it registers)", client)
		}
		if first["AWS_VAULT"] != "dev" || first["AWS_REGION"] != "eu-west-1" || !strings.HasPrefix(first["AWS_ACCESS_KEY_ID"], "ASIA") {
			t.Errorf("the child's environment has AWS_VAULT=%q AWS_REGION=%q AWS_ACCESS_KEY_ID=%q, want dev, eu-west-1 and ASIA… credentials",
				first["AWS_VAULT"], first["AWS_REGION"], first["AWS_ACCESS_KEY_ID"])
		}
		// GetRoleCredentials lasts the permission set's session duration.
		if exp, err := time.Parse(time.RFC3339, first["AWS_CREDENTIAL_EXPIRATION"]); err != nil || time.Until(exp) < 4*time.Hour-2*time.Minute {
			t.Errorf("AWS_CREDENTIAL_EXPIRATION=%q, want DevOps's 4 hours from now", first["AWS_CREDENTIAL_EXPIRATION"])
		}
		if arn := s.callerOf(t, first["AWS_ACCESS_KEY_ID"], first["AWS_SECRET_ACCESS_KEY"], first["AWS_SESSION_TOKEN"]); !want.MatchString(arn) {
			t.Errorf("the child's credentials are %s, want %s", arn, want)
		}
	})
	if first == nil {
		t.FailNow()
	}

	t.Run("a second exec reuses the session aws-vault stored in its file keyring and asks nothing", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		d := vaultExec(ctx)
		if err := d.cmd.Run(); err != nil {
			t.Fatalf("second aws-vault exec: %v\nstderr:\n%s", err, d.stderr)
		}
		again := envOf(d.stdout.String())
		if again["AWS_ACCESS_KEY_ID"] != first["AWS_ACCESS_KEY_ID"] || strings.Contains(d.stderr.String(), "user_code=") {
			t.Errorf("second exec gave %q and printed\n%s\nwant the cached %q and no new device login",
				again["AWS_ACCESS_KEY_ID"], d.stderr, first["AWS_ACCESS_KEY_ID"])
		}
	})
}

// grantedConfig is ~/.granted/config: the file keyring, and a "browser"
// that only records the URL it is asked to open (without one granted runs
// xdg-open, which this machine has). The test plays the person who opens
// that URL.
func writeGrantedConfig(t *testing.T, home, browserScript string) {
	t.Helper()
	conf := "CustomSSOBrowserPath = \"" + browserScript + "\"\nDisableUsageTips = true\n\n[Keyring]\nBackend = \"file\"\n"
	must(t, os.MkdirAll(filepath.Join(home, ".granted"), 0o700))
	must(t, os.WriteFile(filepath.Join(home, ".granted", "config"), []byte(conf), 0o600))
}

// recordingBrowser is a script that appends the URL it is given to a
// file, and a func returning every URL it was given so far.
func recordingBrowser(t *testing.T) (script string, opened func() []string) {
	t.Helper()
	dir := t.TempDir()
	script = filepath.Join(dir, "browser")
	must(t, os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s\\n' \"$1\" >> \"$(dirname \"$0\")/opened-urls\"\n"), 0o755))
	return script, func() []string {
		b, err := os.ReadFile(filepath.Join(dir, "opened-urls"))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Error(err)
		}
		lines := strings.SplitAfter(string(b), "\n")
		return lines[:len(lines)-1] // complete lines only
	}
}

// processCredentials is credential_process's JSON.
type processCredentials struct {
	Version                                                int
	AccessKeyId, SecretAccessKey, SessionToken, Expiration string
}

func TestGrantedSSOLoginAndCredentialProcessThroughTheProxy(t *testing.T) {
	bin := thirdPartyTool(t, "granted", "v0.38.0", "granted")
	s, st, home := startForTool(t)
	script, opened := recordingBrowser(t)
	writeGrantedConfig(t, home, script)
	// CF_KEYRING_FILE_PASSWORD is the file keyring's passphrase; the update
	// check would only be refused by the proxy.
	env := s.thirdPartyEnv(home, "CF_KEYRING_FILE_PASSWORD=correct horse battery staple", "GRANTED_DISABLE_UPDATE_CHECK=true")
	run := func(t *testing.T, args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), thirdPartyTimeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Env, cmd.Dir, cmd.WaitDelay = env, home, 5*time.Second
		var stderr lockedBuffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("granted %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out, &stderr)
		}
		return string(out)
	}
	step := steps(t)

	// Without --sso-region granted GETs the start URL (over TLS, trusting
	// SSL_CERT_FILE) and reads the region from its <meta name="region">.
	step("granted sso login with only the start URL completes after alice approves in the browser", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), thirdPartyTimeout)
		defer cancel()
		d := newDeviceLogin(ctx, home, env, bin, "sso", "login", "--sso-start-url", s.main.StartURL)
		d.verificationURL = func() string {
			if urls := opened(); len(urls) > 0 {
				return strings.TrimSuffix(urls[0], "\n")
			}
			return ""
		}
		var client string
		d.run(t, func(u string) { client = s.approveAsAlice(t, u) })
		if client != "Granted CLI" {
			t.Errorf("the approval page named the client %q, want Granted CLI (the name it registers)", client)
		}
		if !strings.Contains(d.stderr.String(), "Successfully logged into Start URL: "+s.main.StartURL) {
			t.Errorf("granted sso login printed\n%s\nwant Successfully logged into Start URL: %s", d.stderr, s.main.StartURL)
		}
	})
	var creds processCredentials
	step("granted credential-process prints alice's DevOps credentials as credential_process JSON", func(t *testing.T) {
		must(t, json.Unmarshal([]byte(run(t, "credential-process", "--profile", "dev")), &creds))
		exp, err := time.Parse(time.RFC3339, creds.Expiration)
		if creds.Version != 1 || !strings.HasPrefix(creds.AccessKeyId, "ASIA") || creds.SessionToken == "" || err != nil ||
			time.Until(exp) < 4*time.Hour-2*time.Minute {
			t.Errorf("credential-process printed %+v, want Version 1, ASIA… credentials with a session token for DevOps's 4 hours", creds)
		}
		if arn := s.callerOf(t, creds.AccessKeyId, creds.SecretAccessKey, creds.SessionToken); !devOpsARN(st).MatchString(arn) {
			t.Errorf("credential-process's credentials are %s, want %s", arn, devOpsARN(st))
		}
	})
	step("a second credential-process answers from granted's cache without a login", func(t *testing.T) {
		var again processCredentials
		must(t, json.Unmarshal([]byte(run(t, "credential-process", "--profile", "dev")), &again))
		if again.AccessKeyId != creds.AccessKeyId {
			t.Errorf("second credential-process gave %s, want the cached %s", again.AccessKeyId, creds.AccessKeyId)
		}
	})
	step("with its cache off, credential-process gets fresh credentials with the stored SSO token", func(t *testing.T) {
		var fresh processCredentials
		must(t, json.Unmarshal([]byte(run(t, "credential-process", "--profile", "dev", "--no-cache")), &fresh))
		if fresh.AccessKeyId == creds.AccessKeyId || !devOpsARN(st).MatchString(s.callerOf(t, fresh.AccessKeyId, fresh.SecretAccessKey, fresh.SessionToken)) {
			t.Errorf("credential-process --no-cache gave %s (first was %s), want new DevOps credentials", fresh.AccessKeyId, creds.AccessKeyId)
		}
		if urls := opened(); len(urls) != 1 {
			t.Errorf("granted opened the browser for %q, want only the first login", urls)
		}
	})
}
