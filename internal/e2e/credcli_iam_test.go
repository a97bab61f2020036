package e2e

import (
	"bytes"
	"context"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/keyward/keyward/internal/authn/totp"
)

// TestCredentialCLIIAMKeys is issue 10's story for people who hold IAM
// user keys: `keyward add` keeps bob's secret in the vault, GetSessionToken
// with his MFA code gives his tools a session, hand-written role profiles
// chain from it (AssumeRole with an ExternalId and MFA), the AWS CLI v2
// takes them through credential_process, asking for a code on the
// terminal once, and no secret shows in a process list.
func TestCredentialCLIIAMKeys(t *testing.T) {
	s := start(t)
	c := newAWSCLI(t, s)
	admin := iam.NewFromConfig(s.adminConfig())
	step := steps(t)
	var bob iamKeysUser
	step("the administrator creates bob with a key and an MFA device, and Deployer needing an ExternalId and MFA", func(t *testing.T) {
		bob = createIAMKeysUser(t, admin, "bob", "deploy-7f3a")
	})
	k := newCredCLI(t, s, c)
	d := k.detached(t)
	config := func(text string) { appendConfig(t, k, text) }

	step("keyward add keeps the secret in the vault and writes a profile holding none", func(t *testing.T) {
		_, errOut, code := d.run(bob.secret+"\n", "add", "bob", "--access-key-id", bob.keyID, "--region", "us-east-1",
			"--mfa-serial", bob.serial)
		if code != 0 || !strings.Contains(errOut, "Kept the keys of "+bob.keyID+" for profile bob") {
			t.Fatalf("keyward add exited %d:\n%s", code, errOut)
		}
		conf := k.config(t)
		for _, want := range []string{"[profile bob]", "credential_process = keyward credentials bob", "region = us-east-1",
			"mfa_serial = " + bob.serial} {
			if !strings.Contains(conf, want) {
				t.Errorf("~/.aws/config lacks %q:\n%s", want, conf)
			}
		}
		if strings.Contains(conf, bob.secret) || strings.Contains(conf, "aws_secret_access_key") {
			t.Errorf("~/.aws/config holds a secret:\n%s", conf)
		}
		if _, err := os.Stat(filepath.Join(k.home, ".aws", "credentials")); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("~/.aws/credentials: %v, want none", err)
		}
		checkNoSecretOnDisk(t, k, bob.secret)
		// The same keys again, for profiles whose role asks for the MFA code
		// itself.
		if _, errOut, code := d.run(bob.secret+"\n", "add", "bob-plain", "--access-key-id", bob.keyID, "--region", "us-east-1"); code != 0 {
			t.Fatalf("keyward add bob-plain exited %d:\n%s", code, errOut)
		}
	})

	step("keyward add refuses what the config file cannot hold, and changes nothing", func(t *testing.T) {
		vault := filepath.Join(k.home, ".config", "keyward", "vault")
		conf, before := k.config(t), readFile(t, vault)
		for _, c := range []struct {
			stdin, want string
			args        []string
		}{
			{bob.secret + "\n", `"[profile bad]name]" is not a usable section name`, []string{"bad]name"}},
			{bob.secret + "\n", "the value of mfa_serial holds a line break", []string{"eve", "--mfa-serial", "arn:x\ncredential_process = sh"}},
			{strings.Repeat("x", 5000), "that is not a secret access key", []string{"eve"}},
			{"", "no secret access key was given", []string{"eve"}},
		} {
			_, errOut, code := d.run(c.stdin, append(append([]string{"add"}, c.args...), "--access-key-id", bob.keyID)...)
			if code != 1 || !strings.Contains(errOut, c.want) {
				t.Errorf("keyward add %q exited %d:\n%s\nwant %q", c.args, code, errOut, c.want)
			}
		}
		if k.config(t) != conf || !bytes.Equal(readFile(t, vault), before) {
			t.Errorf("refused adds changed the config (%v) or the vault (%v)", k.config(t) != conf, !bytes.Equal(readFile(t, vault), before))
		}
	})
	step("without --mfa-code and no terminal, credentials bob says to pass --mfa-code", func(t *testing.T) {
		msg := d.mustFail(t, "credentials", "bob")
		if !strings.Contains(msg, bob.serial+" needs an MFA code and there is no terminal to ask on: pass --mfa-code") {
			t.Errorf("credentials bob without a code:\n%s", msg)
		}
	})
	step("a wrong code is refused plainly", func(t *testing.T) {
		msg := d.mustFail(t, "credentials", "bob", "--mfa-code", bob.mfa.wrong())
		if !strings.Contains(msg, "GetSessionToken: the MFA code was refused (MultiFactorAuthentication failed with invalid MFA one time pass code.): wait for the next code") {
			t.Errorf("credentials bob with a wrong code:\n%s", msg)
		}
		if msg := d.mustFail(t, "credentials", "bob", "--mfa-code", "12345"); !strings.Contains(msg, "an MFA code is six digits") {
			t.Errorf("credentials bob with a five-digit code:\n%s", msg)
		}
	})
	var session, audit processCredentials
	step("credentials bob --mfa-code answers a GetSessionToken session", func(t *testing.T) {
		out := d.mustRun(t, "credentials", "bob", "--mfa-code", bob.mfa.code(t))
		must(t, json.Unmarshal([]byte(out), &session))
		exp, err := time.Parse(time.RFC3339, session.Expiration)
		if session.Version != 1 || !strings.HasPrefix(session.AccessKeyId, "ASIA") || session.SessionToken == "" ||
			session.SecretAccessKey == bob.secret || err != nil || !exp.After(time.Now().Add(time.Hour)) {
			t.Errorf("credentials bob = %s, want an ASIA session for hours", out)
		}
		// The session is kept: the next call needs no code.
		if again := d.mustRun(t, "credentials", "bob"); !strings.Contains(again, session.AccessKeyId) {
			t.Errorf("credentials bob again printed another session:\n%s", again)
		}
		who := d.mustRun(t, "whoami", "bob")
		if !strings.Contains(who, "ARN:     "+bob.arn+"\n") {
			t.Errorf("whoami bob:\n%s\nwant %s", who, bob.arn)
		}
	})

	roleProfile := func(name, source, externalID, extra string) string {
		return "[profile " + name + "]\nrole_arn = " + bob.roleARN + "\nsource_profile = " + source + "\nexternal_id = " + externalID +
			"\nregion = us-east-1\n" + extra
	}
	step("a chained profile assumes Deployer from bob's MFA session: whoami prints the assumed role", func(t *testing.T) {
		config(roleProfile("deploy", "bob", bob.externalID, "mfa_serial = "+bob.serial+"\n"))
		who := d.mustRun(t, "whoami", "deploy")
		want := regexp.MustCompile(`ARN:\s+arn:aws:sts::` + bob.account + `:assumed-role/Deployer/keyward-\d+\n`)
		if !want.MatchString(who) || !strings.Contains(who, "Expires: ") {
			t.Errorf("whoami deploy:\n%s\nwant %s", who, want)
		}
		list := d.mustRun(t, "profiles", "list")
		if !regexp.MustCompile(`deploy\s+role via bob\s+-\s+`+regexp.QuoteMeta(bob.roleARN)).MatchString(list) ||
			!regexp.MustCompile(`bob\s+IAM user keys\s+-\s+-\s+us-east-1\n`).MatchString(list) {
			t.Errorf("profiles list:\n%s", list)
		}
	})
	step("a wrong external_id is access denied, and so is the role without MFA", func(t *testing.T) {
		config(roleProfile("deploy-wrong-id", "bob", "not-"+bob.externalID, "mfa_serial = "+bob.serial+"\n"))
		msg := d.mustFail(t, "credentials", "deploy-wrong-id")
		if !strings.Contains(msg, "AssumeRole "+bob.roleARN+": access denied: ") || !strings.Contains(msg, "sts:AssumeRole") {
			t.Errorf("credentials deploy-wrong-id:\n%s", msg)
		}
		// Deployer's trust policy wants MFA: bob's session without it is refused.
		config(roleProfile("deploy-no-mfa", "bob-plain", bob.externalID, ""))
		msg = d.mustFail(t, "credentials", "deploy-no-mfa")
		if !strings.Contains(msg, "AssumeRole "+bob.roleARN+": access denied: ") {
			t.Errorf("credentials deploy-no-mfa:\n%s", msg)
		}
	})
	step("editing deploy's external_id in place is access denied at once, not served from the cache", func(t *testing.T) {
		deploy := roleProfile("deploy", "bob", bob.externalID, "")
		editConfig(t, k, deploy, strings.Replace(deploy, bob.externalID, "not-"+bob.externalID, 1))
		msg := d.mustFail(t, "credentials", "deploy")
		if !strings.Contains(msg, "AssumeRole "+bob.roleARN+": access denied: ") {
			t.Errorf("credentials deploy with the wrong external_id:\n%s", msg)
		}
		editConfig(t, k, strings.Replace(deploy, bob.externalID, "not-"+bob.externalID, 1), deploy)
		d.mustRun(t, "whoami", "deploy")
	})
	step("a profile chained from deploy takes Auditor, for at most the hour role chaining allows", func(t *testing.T) {
		_, err := admin.PutRolePolicy(t.Context(), &iam.PutRolePolicyInput{RoleName: aws.String("Deployer"), PolicyName: aws.String("assume-roles"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`)})
		must(t, err)
		_, err = admin.CreateRole(t.Context(), &iam.CreateRoleInput{RoleName: aws.String("Auditor"), AssumeRolePolicyDocument: aws.String(
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + bob.roleARN + `"},"Action":"sts:AssumeRole"}]}`)})
		must(t, err)
		config("[profile audit]\nrole_arn = arn:aws:iam::" + bob.account + ":role/Auditor\nsource_profile = deploy\n" +
			"role_session_name = bob-audit\nregion = us-east-1\n")
		if who := d.mustRun(t, "whoami", "audit"); !strings.Contains(who, "ARN:     arn:aws:sts::"+bob.account+":assumed-role/Auditor/bob-audit\n") {
			t.Errorf("whoami audit:\n%s", who)
		}
		must(t, json.Unmarshal([]byte(d.mustRun(t, "credentials", "audit")), &audit))
		if exp, err := time.Parse(time.RFC3339, audit.Expiration); err != nil || exp.After(time.Now().Add(time.Hour+time.Minute)) {
			t.Errorf("audit's credentials expire at %q (%v), want within the hour", audit.Expiration, err)
		}
	})
	step("a source_profile loop is refused at once", func(t *testing.T) {
		config(roleProfile("loop-a", "loop-b", bob.externalID, "") + "\n" + roleProfile("loop-b", "loop-a", bob.externalID, ""))
		began := time.Now()
		msg := d.mustFail(t, "credentials", "loop-a")
		if !strings.Contains(msg, `profile "loop-a": source_profile leads back to "loop-a"`) {
			t.Errorf("credentials loop-a:\n%s", msg)
		}
		if took := time.Since(began); took > 10*time.Second {
			t.Errorf("the loop took %v to refuse", took)
		}
	})

	step("the AWS CLI asks for the role's MFA code on the terminal once, then keyward serves its cache", func(t *testing.T) {
		requireTool(t, "/usr/bin/script", "apt-get install bsdutils")
		config(roleProfile("deploy-ci", "bob-plain", bob.externalID, "mfa_serial = "+bob.serial+"\nrole_session_name = bob-ci\n") +
			"\n[profile ci]\nregion = us-east-1\ncredential_process = keyward credentials deploy-ci\n")
		want := "arn:aws:sts::" + bob.account + ":assumed-role/Deployer/bob-ci"
		prompt := "MFA code for " + bob.serial + ": "

		screen, err := c.onTerminal(k, bob.mfa.code(t)+"\n", "sts", "get-caller-identity", "--profile", "ci", "--output", "json")
		if err != nil || !strings.Contains(screen, prompt) || !strings.Contains(screen, `"Arn": "`+want+`"`) {
			t.Fatalf("the first aws call: %v\nthe terminal showed:\n%s\nwant the prompt %q and %s", err, screen, prompt, want)
		}
		// Nothing is typed now: a prompt would wait until the call times out.
		screen, err = c.onTerminal(k, "", "sts", "get-caller-identity", "--profile", "ci", "--output", "json")
		if err != nil || strings.Contains(screen, "MFA code") || !strings.Contains(screen, `"Arn": "`+want+`"`) {
			t.Errorf("the second aws call: %v\nthe terminal showed:\n%s\nwant %s and no prompt", err, screen, want)
		}
		if list := d.mustRun(t, "profiles", "list"); !regexp.MustCompile(`ci\s+process\s+`).MatchString(list) {
			t.Errorf("profiles list shows ci as:\n%s\nwant process", list)
		}
		// Edited, the profile needs a new session, and so a code: with no
		// terminal, the AWS CLI shows keyward's word for it.
		ci := "role_session_name = bob-ci\n"
		editConfig(t, k, ci, "role_session_name = bob-ci-2\n")
		out, err := c.withKeyward(k, "", awsCLIPath, "sts", "get-caller-identity", "--profile", "ci", "--output", "json")
		if err == nil || !strings.Contains(out, bob.serial+" needs an MFA code and there is no terminal to ask on: pass --mfa-code") {
			t.Errorf("the AWS CLI with the edited profile and no terminal: %v\n%s", err, out)
		}
	})

	step("while keyward exec runs, neither it nor its child shows a secret in a process list", func(t *testing.T) {
		checkExecHidesSecrets(t, k, []string{bob.secret, session.SecretAccessKey, session.SessionToken}, bob.secret)
	})

	step("after the administrator rotates bob's key, keyward add with the new one is used at once", func(t *testing.T) {
		var old processCredentials
		must(t, json.Unmarshal([]byte(d.mustRun(t, "credentials", "bob-plain")), &old))
		key, err := admin.CreateAccessKey(t.Context(), &iam.CreateAccessKeyInput{UserName: aws.String("bob")})
		must(t, err)
		newID, newSecret := aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey)
		if _, errOut, code := d.run(newSecret+"\n", "add", "bob-plain", "--access-key-id", newID); code != 0 {
			t.Fatalf("keyward add bob-plain with the new key exited %d:\n%s", code, errOut)
		}
		_, err = admin.DeleteAccessKey(t.Context(), &iam.DeleteAccessKeyInput{UserName: aws.String("bob"), AccessKeyId: aws.String(bob.keyID)})
		must(t, err)
		var fresh processCredentials
		must(t, json.Unmarshal([]byte(d.mustRun(t, "credentials", "bob-plain")), &fresh))
		if fresh.AccessKeyId == old.AccessKeyId {
			t.Errorf("credentials bob-plain still hands out %s, the old key's session", old.AccessKeyId)
		}
		if who := d.mustRun(t, "whoami", "bob-plain"); !strings.Contains(who, "ARN:     "+bob.arn+"\n") {
			t.Errorf("whoami bob-plain:\n%s", who)
		}
		checkNoSecretOnDisk(t, k, bob.secret, newSecret, session.SecretAccessKey, session.SessionToken,
			fresh.SecretAccessKey, fresh.SessionToken, audit.SecretAccessKey, audit.SessionToken)
	})
}

// iamKeysUser is an IAM user with an access key and a virtual MFA device,
// and a role in his account that trusts him with an external ID and MFA.
type iamKeysUser struct {
	arn, account, keyID, secret, serial string
	roleARN, externalID                 string
	mfa                                 *authenticator
}

// createIAMKeysUser creates user name with a key, an enabled virtual MFA
// device and leave to assume roles, and the Deployer role trusting him
// only with externalID and MFA. The administrator uses the Go SDK: the AWS
// CLI's own IAM commands are TestIAMUsersThroughTheAWSCLI's.
func createIAMKeysUser(t *testing.T, admin *iam.Client, name, externalID string) iamKeysUser {
	t.Helper()
	ctx := t.Context()
	user, err := admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)})
	must(t, err)
	u := iamKeysUser{arn: aws.ToString(user.User.Arn), externalID: externalID}
	u.account = strings.Split(u.arn, ":")[4]
	_, err = admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String("assume-roles"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`)})
	must(t, err)
	key, err := admin.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	must(t, err)
	u.keyID, u.secret = aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey)

	dev, err := admin.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name + "-phone")})
	must(t, err)
	seed, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(string(dev.VirtualMFADevice.Base32StringSeed))
	must(t, err)
	u.serial, u.mfa = aws.ToString(dev.VirtualMFADevice.SerialNumber), &authenticator{seed: seed}
	first, second := u.mfa.enabling()
	_, err = admin.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String(name), SerialNumber: aws.String(u.serial),
		AuthenticationCode1: aws.String(first), AuthenticationCode2: aws.String(second)})
	must(t, err)

	trust := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":%q},"Action":"sts:AssumeRole",`+
		`"Condition":{"StringEquals":{"sts:ExternalId":%q},"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`, u.arn, externalID)
	role, err := admin.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("Deployer"), AssumeRolePolicyDocument: aws.String(trust)})
	must(t, err)
	u.roleARN = aws.ToString(role.Role.Arn)
	return u
}

// authenticator is the person's authenticator app. keyward accepts each
// time step's code once, and one step either side of now: code hands out
// the code of the earliest step not yet spent, waiting when that is more
// than one step ahead.
type authenticator struct {
	seed []byte
	last int64 // the last step handed out
}

func (a *authenticator) code(t *testing.T) string {
	t.Helper()
	for {
		now := totp.Step(time.Now())
		s := max(a.last+1, now)
		if s <= now+1 {
			a.last = s
			return a.at(s)
		}
		time.Sleep(time.Until(stepStart(now+1)) + 100*time.Millisecond)
	}
}

// enabling is the two consecutive codes enabling the device takes.
// keyward takes a pair from the last few minutes (a person reads two codes
// off the app and types them), so the pair is from three and two steps
// ago: the steps around now stay unspent for the calls that follow, which
// then never wait for the next step.
func (a *authenticator) enabling() (string, string) {
	now := totp.Step(time.Now())
	a.last = now - 2
	return a.at(now - 3), a.at(now - 2)
}

func (a *authenticator) at(step int64) string { return totp.Code(a.seed, stepStart(step)) }

func stepStart(step int64) time.Time { return time.Unix(step*int64(totp.Period/time.Second), 0) }

// wrong is a well-formed code no step near now has.
func (a *authenticator) wrong() string {
	now := totp.Step(time.Now())
	near := map[string]bool{}
	for s := now - 2; s <= now+2; s++ {
		near[a.at(s)] = true
	}
	for n := 123456; ; n++ {
		if c := strconv.Itoa(n); !near[c] {
			return c
		}
	}
}

// detached is k run by setsid(1) in a session of its own, with no
// controlling terminal (as under an IDE or a CI job), so that no prompt
// reaches whoever runs the tests.
func (k *credCLI) detached(t *testing.T) *credCLI {
	t.Helper()
	requireTool(t, "/usr/bin/setsid", "apt-get install util-linux")
	wrapper := filepath.Join(t.TempDir(), "keyward")
	must(t, os.WriteFile(wrapper, []byte("#!/bin/sh\nexec /usr/bin/setsid --wait "+shellQuote(k.bin)+" \"$@\"\n"), 0o755))
	d := *k
	d.bin = wrapper
	return &d
}

// onTerminal runs the AWS CLI on a terminal of its own (script(1) gives it
// a pseudo-terminal), with keyward on PATH, types typed and returns what
// the terminal showed.
func (c *awsCLI) onTerminal(k *credCLI, typed string, args ...string) (string, error) {
	line := awsCLIPath
	for _, a := range args {
		line += " " + shellQuote(a)
	}
	return c.withKeyward(k, typed, "/usr/bin/script", "--quiet", "--return", "--command", line, "/dev/null")
}

// withKeyward runs argv with the AWS CLI's environment and keyward on
// PATH, in a session with no controlling terminal, and returns what it
// printed. Its stdin stays open, as a person's keyboard does, until it
// ends: what is typed waits there until it is read.
func (c *awsCLI) withKeyward(k *credCLI, typed string, argv ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := c.command(ctx, nil)
	cmd.Path, cmd.Args = argv[0], argv
	cmd.Env = append(cmd.Env, "PATH="+filepath.Dir(k.bin)+":/usr/bin:/bin", "SHELL=/bin/sh", "TERM=dumb")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return "", err
	}
	var screen bytes.Buffer
	cmd.Stdout, cmd.Stderr = &screen, &screen
	if err := cmd.Start(); err != nil {
		return "", err
	}
	_, err = stdin.Write([]byte(typed))
	err = errors.Join(err, cmd.Wait())
	return strings.ReplaceAll(screen.String(), "\r\n", "\n"), err
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	must(t, err)
	return b
}

// editConfig replaces old with new in the AWS config file, as a person
// editing it would.
func editConfig(t *testing.T, k *credCLI, old, new string) {
	t.Helper()
	path := filepath.Join(k.home, ".aws", "config")
	b, err := os.ReadFile(path)
	must(t, err)
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("~/.aws/config lacks\n%s\nit is:\n%s", old, b)
	}
	must(t, os.WriteFile(path, bytes.Replace(b, []byte(old), []byte(new), 1), 0o600))
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// checkNoSecretOnDisk checks the vault file is the owner's alone, and no
// file in the home directory (the vault, ~/.aws, the AWS CLI's caches,
// keyward's locks) holds any of secrets in the clear.
func checkNoSecretOnDisk(t *testing.T, k *credCLI, secrets ...string) {
	t.Helper()
	fi, err := os.Stat(filepath.Join(k.home, ".config", "keyward", "vault"))
	must(t, err)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("the vault file's mode is %v, want 0600", fi.Mode().Perm())
	}
	files := 0
	must(t, filepath.WalkDir(k.home, func(path string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() {
			return err
		}
		files++
		b, err := os.ReadFile(path)
		for i, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s holds secret %d in the clear", path, i)
			}
		}
		return err
	}))
	if files < 2 {
		t.Errorf("found %d files under %s: not the home the CLI used?", files, k.home)
	}
}

// checkExecHidesSecrets runs `keyward exec bob -- sleep 2` and, while it
// runs, reads the command lines of keyward and its child, and their
// environments: no secret in either command line, and the long-term secret
// in neither environment (the child's holds its session, by design).
func checkExecHidesSecrets(t *testing.T, k *credCLI, secrets []string, longTerm string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), awsCLITimeout)
	defer cancel()
	cmd := k.command(ctx, nil, "exec", "bob", "--", "sleep", "2")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	must(t, cmd.Start())
	parent := cmd.Process.Pid
	var child int
	pollUntil(t, "keyward exec's child", func() (bool, string) {
		child = childOf(parent)
		return child != 0, "not started"
	})
	procs := map[string]int{"keyward": parent, "its child": child}
	for who, pid := range procs {
		argv, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		must(t, err)
		environ, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
		must(t, err)
		for _, s := range secrets {
			if bytes.Contains(argv, []byte(s)) {
				t.Errorf("the command line of %s holds a secret: %q", who, argv)
			}
		}
		if bytes.Contains(environ, []byte(longTerm)) {
			t.Errorf("the environment of %s holds bob's secret access key", who)
		}
		if who == "its child" && !bytes.Contains(argv, []byte("sleep\x002\x00")) {
			t.Errorf("pid %d is not the child: its command line is %q", pid, argv)
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("keyward exec bob -- sleep 2: %v\n%s", err, errOut.String())
	}
}

// childOf is a child process of pid, or 0.
func childOf(pid int) int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, st := range stats {
		b, err := os.ReadFile(st)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so read after ')'.
		i := bytes.LastIndex(b, []byte(") "))
		if f := strings.Fields(string(b[i+1:])); i > 0 && len(f) > 1 && f[1] == strconv.Itoa(pid) {
			n, _ := strconv.Atoi(filepath.Base(filepath.Dir(st)))
			return n
		}
	}
	return 0
}
