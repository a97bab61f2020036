package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/app"
)

const (
	// awsCLIPath is the Debian awscli package (AWS CLI v2.9.19). A pip AWS
	// CLI v1 may shadow `aws` on PATH, so it is always called by path.
	awsCLIPath = "/usr/bin/aws"
	// awsCLIModels is where that package keeps its botocore's API models.
	awsCLIModels = "/usr/lib/python3/dist-packages/awscli/botocore/data"
	// awsCLITimeout bounds every CLI run, including a whole `sso login`.
	awsCLITimeout = 60 * time.Second
)

// awsCLIServices are the models whose endpoint rule sets the CLI gets
// overridden (aws-wire.md §5.1: CLI 2.9.19 ignores AWS_ENDPOINT_URL*).
var awsCLIServices = []string{"sso-oidc/2019-06-10", "sso/2019-06-10", "sts/2011-06-15",
	"sso-admin/2020-07-20", "identitystore/2020-06-15", "organizations/2016-11-28", "iam/2010-05-08"}

// awsCLI is the real AWS CLI with a HOME of its own, pointed at one keyward.
type awsCLI struct {
	home string
	env  []string // the whole environment of every run; nothing leaks in
}

func newAWSCLI(t *testing.T, s *server) *awsCLI {
	t.Helper()
	requireTool(t, awsCLIPath, "apt-get install awscli")
	home, models := t.TempDir(), t.TempDir()
	writeEndpointRuleSets(t, awsCLIModels, models, s.url, awsCLIServices)
	return &awsCLI{home: home, env: []string{
		"HOME=" + home,
		"PATH=/usr/bin:/bin",
		"LANG=C.UTF-8",
		"AWS_CONFIG_FILE=" + filepath.Join(home, ".aws", "config"),
		// The operator's credentials are the file keyward wrote at first start.
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(s.dataDir, app.BootstrapCredentialsFile),
		"AWS_DATA_PATH=" + models,
		"AWS_PAGER=",
		"AWS_EC2_METADATA_DISABLED=true",
	}}
}

// writeEndpointRuleSets copies each service's endpoint rule set from the
// models under from to the same path under to, keeping its version and
// parameters and replacing its rules with one unconditional endpoint.
func writeEndpointRuleSets(t *testing.T, from, to, endpoint string, services []string) {
	t.Helper()
	for _, svc := range services {
		raw := readModel(t, filepath.Join(from, svc, "endpoint-rule-set-1.json"))
		var orig struct {
			Version    json.RawMessage `json:"version"`
			Parameters json.RawMessage `json:"parameters"`
		}
		if err := json.Unmarshal(raw, &orig); err != nil || orig.Version == nil || orig.Parameters == nil {
			t.Fatalf("%s: not an endpoint rule set (%v)", svc, err)
		}
		rule := map[string]any{"conditions": []any{}, "type": "endpoint",
			"endpoint": map[string]any{"url": endpoint, "properties": map[string]any{}, "headers": map[string]any{}}}
		out, err := json.Marshal(map[string]any{"version": orig.Version, "parameters": orig.Parameters, "rules": []any{rule}})
		must(t, err)
		dir := filepath.Join(to, filepath.FromSlash(svc))
		must(t, os.MkdirAll(dir, 0o755))
		must(t, os.WriteFile(filepath.Join(dir, "endpoint-rule-set-1.json"), out, 0o644))
	}
}

// readModel reads a botocore data file; newer botocore releases ship them
// gzipped.
func readModel(t *testing.T, path string) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		var f *os.File
		if f, err = os.Open(path + ".gz"); err == nil {
			defer f.Close()
			var zr *gzip.Reader
			if zr, err = gzip.NewReader(f); err == nil {
				raw, err = io.ReadAll(zr)
			}
		}
	}
	must(t, err)
	return raw
}

func (c *awsCLI) command(ctx context.Context, extraEnv []string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, awsCLIPath, args...)
	cmd.Env = append(slices.Clone(c.env), extraEnv...)
	cmd.Dir = c.home
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// run runs the CLI to completion and returns what it printed.
func (c *awsCLI) run(args ...string) (stdout, stderr string, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), awsCLITimeout)
	defer cancel()
	var out, errOut bytes.Buffer
	cmd := c.command(ctx, nil, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

// mustRun fails the test, showing the CLI's output, unless it exits 0.
func (c *awsCLI) mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, err := c.run(args...)
	if err != nil {
		t.Fatalf("aws %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// mustFail runs a command that should fail and returns stdout and stderr.
func (c *awsCLI) mustFail(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, err := c.run(args...)
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("aws %s: %v, want a non-zero exit\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out, errOut)
	}
	return out + errOut
}

// admin runs a command as the operator (the bootstrap key) and decodes its
// JSON output into v.
func (c *awsCLI) admin(t *testing.T, v any, args ...string) {
	t.Helper()
	out := c.mustRun(t, append(args, "--profile", app.AdminProfile, "--region", "us-east-1", "--output", "json")...)
	if v != nil {
		if err := json.Unmarshal([]byte(out), v); err != nil {
			t.Fatalf("aws %s printed %q: %v", strings.Join(args, " "), out, err)
		}
	}
}

// portalJSON runs a portal API command with a bearer token.
func (c *awsCLI) portalJSON(t *testing.T, v any, args ...string) {
	t.Helper()
	out := c.mustRun(t, append(args, "--region", "us-east-1", "--output", "json")...)
	must(t, json.Unmarshal([]byte(out), v))
}

// pollUntil calls check until it reports done, failing after a generous
// deadline: how fast is the benchmarks' business, not the tests'.
func pollUntil(t *testing.T, what string, check func() (done bool, state string)) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		done, state := check()
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still %s after 30s", what, state)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// cliStory is the administrator story's identifiers, as the CLI printed them.
type cliStory struct {
	AccountID, InstanceARN, IdentityStoreID, UserID, GroupID, PermissionSetARN string
}

// setUpStory is story_test.go's setUpStory typed into the AWS CLI.
func (c *awsCLI) setUpStory(t *testing.T) cliStory {
	t.Helper()
	st := c.setUpOrg(t)
	c.setUpPeople(t, &st)
	c.setUpPermissionSet(t, &st)
	c.assign(t, st)
	return st
}

// setUpOrg creates the Dev account and reads the instance.
func (c *awsCLI) setUpOrg(t *testing.T) cliStory {
	t.Helper()
	st := cliStory{AccountID: c.createAccount(t, "Dev", "dev@example.com")}

	var inst struct {
		Instances []struct{ InstanceArn, IdentityStoreId string }
	}
	c.admin(t, &inst, "sso-admin", "list-instances")
	if len(inst.Instances) != 1 {
		t.Fatalf("list-instances shows %d instances, want 1", len(inst.Instances))
	}
	st.InstanceARN, st.IdentityStoreID = inst.Instances[0].InstanceArn, inst.Instances[0].IdentityStoreId
	return st
}

// createAccount creates a member account with create-account, waits
// until it exists and returns its id.
func (c *awsCLI) createAccount(t *testing.T, name, email string) string {
	t.Helper()
	var acct struct {
		CreateAccountStatus struct{ Id, State, AccountId string }
	}
	c.admin(t, &acct, "organizations", "create-account", "--account-name", name, "--email", email)
	pollUntil(t, "create-account", func() (bool, string) {
		c.admin(t, &acct, "organizations", "describe-create-account-status", "--create-account-request-id", acct.CreateAccountStatus.Id)
		if s := acct.CreateAccountStatus.State; s != "IN_PROGRESS" && s != "SUCCEEDED" {
			t.Fatalf("create-account state %q", s)
		}
		return acct.CreateAccountStatus.State == "SUCCEEDED", acct.CreateAccountStatus.State
	})
	return acct.CreateAccountStatus.AccountId
}

func (c *awsCLI) setUpPeople(t *testing.T, st *cliStory) {
	t.Helper()
	var u struct{ UserId string }
	c.admin(t, &u, "identitystore", "create-user", "--identity-store-id", st.IdentityStoreID, "--user-name", aliceName,
		"--display-name", "Alice Example", "--name", "GivenName=Alice,FamilyName=Example",
		"--emails", "Value=alice@example.com,Type=work,Primary=true")
	var g struct{ GroupId string }
	c.admin(t, &g, "identitystore", "create-group", "--identity-store-id", st.IdentityStoreID, "--display-name", "Developers")
	var m struct{ MembershipId string }
	c.admin(t, &m, "identitystore", "create-group-membership", "--identity-store-id", st.IdentityStoreID,
		"--group-id", g.GroupId, "--member-id", "UserId="+u.UserId)
	if u.UserId == "" || g.GroupId == "" || m.MembershipId == "" {
		t.Fatalf("identitystore returned user %q, group %q, membership %q", u.UserId, g.GroupId, m.MembershipId)
	}
	st.UserID, st.GroupID = u.UserId, g.GroupId
}

func (c *awsCLI) setUpPermissionSet(t *testing.T, st *cliStory) {
	t.Helper()
	var ps struct {
		PermissionSet struct{ Name, PermissionSetArn, SessionDuration string }
	}
	c.admin(t, &ps, "sso-admin", "create-permission-set", "--instance-arn", st.InstanceARN, "--name", "DevOps", "--session-duration", "PT4H")
	if ps.PermissionSet.Name != "DevOps" || ps.PermissionSet.SessionDuration != "PT4H" {
		t.Fatalf("create-permission-set returned %+v", ps.PermissionSet)
	}
	st.PermissionSetARN = ps.PermissionSet.PermissionSetArn
	const admin = "arn:aws:iam::aws:policy/AdministratorAccess"
	c.admin(t, nil, "sso-admin", "attach-managed-policy-to-permission-set", "--instance-arn", st.InstanceARN,
		"--permission-set-arn", st.PermissionSetARN, "--managed-policy-arn", admin)
	var pols struct{ AttachedManagedPolicies []struct{ Name, Arn string } }
	c.admin(t, &pols, "sso-admin", "list-managed-policies-in-permission-set", "--instance-arn", st.InstanceARN,
		"--permission-set-arn", st.PermissionSetARN)
	if len(pols.AttachedManagedPolicies) != 1 || pols.AttachedManagedPolicies[0].Arn != admin {
		t.Fatalf("managed policies = %+v, want only %s", pols.AttachedManagedPolicies, admin)
	}
}

// assignmentArgs name the group's assignment of DevOps on Dev.
func (st cliStory) assignmentArgs() []string {
	return []string{"--instance-arn", st.InstanceARN, "--target-id", st.AccountID, "--target-type", "AWS_ACCOUNT",
		"--permission-set-arn", st.PermissionSetARN, "--principal-type", "GROUP", "--principal-id", st.GroupID}
}

type assignmentStatus struct{ Status, RequestId, FailureReason string }

func (c *awsCLI) assign(t *testing.T, st cliStory) {
	t.Helper()
	var created struct{ AccountAssignmentCreationStatus assignmentStatus }
	c.admin(t, &created, append([]string{"sso-admin", "create-account-assignment"}, st.assignmentArgs()...)...)
	c.waitForAssignment(t, created.AccountAssignmentCreationStatus, "creation", st.InstanceARN)

	var list struct {
		AccountAssignments []struct{ AccountId, PermissionSetArn, PrincipalType, PrincipalId string }
	}
	c.admin(t, &list, "sso-admin", "list-account-assignments", "--instance-arn", st.InstanceARN,
		"--account-id", st.AccountID, "--permission-set-arn", st.PermissionSetARN)
	if len(list.AccountAssignments) != 1 || list.AccountAssignments[0].PrincipalType != "GROUP" ||
		list.AccountAssignments[0].PrincipalId != st.GroupID || list.AccountAssignments[0].AccountId != st.AccountID {
		t.Fatalf("list-account-assignments = %+v, want the Developers group on %s", list.AccountAssignments, st.AccountID)
	}
}

func (c *awsCLI) unassign(t *testing.T, st cliStory) {
	t.Helper()
	var deleted struct{ AccountAssignmentDeletionStatus assignmentStatus }
	c.admin(t, &deleted, append([]string{"sso-admin", "delete-account-assignment"}, st.assignmentArgs()...)...)
	c.waitForAssignment(t, deleted.AccountAssignmentDeletionStatus, "deletion", st.InstanceARN)
}

// waitForAssignment polls describe-account-assignment-{creation,deletion}-status
// until the request succeeded, as an administrator's script would.
func (c *awsCLI) waitForAssignment(t *testing.T, s assignmentStatus, kind, instanceARN string) {
	t.Helper()
	pollUntil(t, "account assignment "+kind, func() (bool, string) {
		switch s.Status {
		case "SUCCEEDED":
			return true, s.Status
		case "FAILED":
			t.Fatalf("account assignment %s failed: %s", kind, s.FailureReason)
		}
		var out map[string]assignmentStatus
		c.admin(t, &out, "sso-admin", "describe-account-assignment-"+kind+"-status", "--instance-arn", instanceARN,
			"--account-assignment-"+kind+"-request-id", s.RequestId)
		s = out["AccountAssignment"+strings.ToUpper(kind[:1])+kind[1:]+"Status"]
		return s.Status == "SUCCEEDED", s.Status
	})
}

// writeDevProfile writes the sso-session profile `aws configure sso` would.
func (c *awsCLI) writeDevProfile(t *testing.T, s *server, st cliStory) {
	t.Helper()
	conf := "[profile dev]\nsso_session = kw\nsso_account_id = " + st.AccountID + "\nsso_role_name = DevOps\nregion = eu-west-1\n\n" +
		"[sso-session kw]\nsso_start_url = " + s.main.StartURL + "\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n"
	must(t, os.MkdirAll(filepath.Join(c.home, ".aws"), 0o700))
	must(t, os.WriteFile(filepath.Join(c.home, ".aws", "config"), []byte(conf), 0o600))
}

// ssoLogin runs `aws sso login --profile <profile>`. Its BROWSER is a script that
// only records the URL it is asked to open; the test plays the person who
// opens that URL, signs in and clicks Allow. It returns what the CLI printed
// and the client name the approval page showed.
func (c *awsCLI) ssoLogin(t *testing.T, s *server, profile string) (stdout, openedURL, clientName string) {
	t.Helper()
	return c.ssoLoginAs(t, profile, func(opened string) string {
		b := s.browser()
		b.signIn(aliceName, alicePassword)
		return b.approve(opened, true)
	})
}

// ssoLoginAs runs `aws sso login --profile <profile>` with approve playing
// the person who opens the URL the CLI opened and allows it; approve
// returns the client name the approval page showed.
func (c *awsCLI) ssoLoginAs(t *testing.T, profile string, approve func(opened string) string) (stdout, openedURL, clientName string) {
	t.Helper()
	dir := t.TempDir()
	opened, script := filepath.Join(dir, "opened-urls"), filepath.Join(dir, "browser")
	must(t, os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s\\n' \"$1\" >> \"$(dirname \"$0\")/opened-urls\"\n"), 0o755))

	ctx, cancel := context.WithTimeout(context.Background(), awsCLITimeout)
	defer cancel()
	var out, errOut bytes.Buffer
	cmd := c.command(ctx, []string{"BROWSER=" + script}, "sso", "login", "--profile", profile)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	must(t, cmd.Start())
	var exitErr error
	exited := make(chan struct{})
	go func() { exitErr = cmd.Wait(); close(exited) }()
	failed := func(why error) {
		t.Helper()
		cancel()
		<-exited
		t.Fatalf("aws sso login: %v (exit: %v)\nstdout:\n%s\nstderr:\n%s", why, exitErr, out.String(), errOut.String())
	}

	openedURL, err := waitForLine(opened, exited)
	if err != nil {
		failed(err)
	}
	clientName = approve(openedURL)
	<-exited
	if exitErr != nil {
		failed(exitErr)
	}
	return out.String(), openedURL, clientName
}

// waitForLine waits until a complete line appears in path, unless the
// process exits first.
func waitForLine(path string, exited <-chan struct{}) (string, error) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(awsCLITimeout)
	for {
		if b, err := os.ReadFile(path); err == nil {
			if line, _, ok := strings.Cut(string(b), "\n"); ok {
				return line, nil
			}
		}
		select {
		case <-exited:
			return "", errors.New("it exited without opening a browser")
		case <-deadline:
			return "", errors.New("it never opened a browser")
		case <-tick.C:
		}
	}
}

// tokenCache is the SSO token file the CLI writes for sso-session "kw".
func (c *awsCLI) tokenCache() string {
	sum := sha1.Sum([]byte("kw"))
	return filepath.Join(c.home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json")
}

// callerARN runs `aws sts get-caller-identity --profile dev` and checks the
// account.
func (c *awsCLI) callerARN(t *testing.T, st cliStory) string {
	return c.callerARNAs(t, st, "dev")
}

func (c *awsCLI) callerARNAs(t *testing.T, st cliStory, profile string) string {
	t.Helper()
	var id struct{ UserId, Account, Arn string }
	must(t, json.Unmarshal([]byte(c.mustRun(t, "sts", "get-caller-identity", "--profile", profile, "--output", "json")), &id))
	if id.Account != st.AccountID || !strings.HasSuffix(id.UserId, ":alice") {
		t.Errorf("get-caller-identity = %+v, want account %s and a user id ending :alice", id, st.AccountID)
	}
	return id.Arn
}

func TestAWSCLIRunsTheStoryFromSetupToLogout(t *testing.T) {
	s := start(t)
	c := newAWSCLI(t, s)
	step := steps(t)
	var st cliStory
	var accessToken, arn string
	step("the administrator sets up Dev, alice, Developers and DevOps with the CLI", func(t *testing.T) {
		st = c.setUpStory(t)
		s.inSubtest(t).setPassword(aliceName, alicePassword)
		c.writeDevProfile(t, s, st)
	})
	step("aws sso login completes after alice approves in the browser", func(t *testing.T) {
		out, opened, client := c.ssoLogin(t, s.inSubtest(t), "dev")
		code := strings.TrimPrefix(opened, s.url+"/device?user_code=")
		if code == opened || !strings.Contains(out, "\n"+s.url+"/device\n") || !strings.Contains(out, "Then enter the code:\n\n"+code+"\n") {
			t.Errorf("the CLI opened %q and printed\n%s\nwant the verification URI %s/device and the user code", opened, out, s.url)
		}
		if client != "botocore-client-kw" {
			t.Errorf("the approval page named the client %q, want botocore-client-kw", client)
		}
		if !strings.Contains(out, "Successfully logged into Start URL: "+s.main.StartURL+"\n") {
			t.Errorf("aws sso login printed\n%s\nwant Successfully logged into Start URL: %s", out, s.main.StartURL)
		}
		accessToken = checkTokenCache(t, c.tokenCache())
	})
	step("aws sts get-caller-identity is alice in DevOps on Dev for the permission set's 4 hours", func(t *testing.T) {
		arn = c.callerARN(t, st)
		want := regexp.MustCompile(`^arn:aws:sts::` + st.AccountID + `:assumed-role/AWSReservedSSO_DevOps_[0-9a-f]{16}/alice$`)
		if !want.MatchString(arn) {
			t.Errorf("Arn = %s, want %s", arn, want)
		}
		checkRoleCredentialCache(t, c.home, 4*time.Hour)
	})
	step("aws sso list-accounts and list-account-roles show Dev and DevOps", func(t *testing.T) {
		var accts struct {
			AccountList []struct{ AccountId, AccountName, EmailAddress string }
		}
		c.portalJSON(t, &accts, "sso", "list-accounts", "--access-token", accessToken)
		if len(accts.AccountList) != 1 || accts.AccountList[0].AccountId != st.AccountID || accts.AccountList[0].AccountName != "Dev" {
			t.Errorf("list-accounts = %+v, want only Dev (%s)", accts.AccountList, st.AccountID)
		}
		var roles struct {
			RoleList []struct{ RoleName, AccountId string }
		}
		c.portalJSON(t, &roles, "sso", "list-account-roles", "--access-token", accessToken, "--account-id", st.AccountID)
		if len(roles.RoleList) != 1 || roles.RoleList[0].RoleName != "DevOps" || roles.RoleList[0].AccountId != st.AccountID {
			t.Errorf("list-account-roles = %+v, want only DevOps", roles.RoleList)
		}
	})
	step("boto3 reads the CLI's token cache and is the same alice", func(t *testing.T) {
		if got := c.boto3CallerARN(t, s); got != arn {
			t.Errorf("boto3 Arn = %s, want the CLI's %s", got, arn)
		}
	})
	step("a legacy profile without an sso-session logs in and is the same alice", func(t *testing.T) {
		legacy := "\n[profile legacy]\nsso_start_url = " + s.main.StartURL + "\nsso_region = us-east-1\nsso_account_id = " +
			st.AccountID + "\nsso_role_name = DevOps\nregion = us-east-1\n"
		f, err := os.OpenFile(filepath.Join(c.home, ".aws", "config"), os.O_APPEND|os.O_WRONLY, 0)
		must(t, err)
		_, err = f.WriteString(legacy)
		must(t, errors.Join(err, f.Close()))
		_, _, client := c.ssoLogin(t, s.inSubtest(t), "legacy")
		if !regexp.MustCompile(`^botocore-client-\d+$`).MatchString(client) {
			t.Errorf("the approval page named the legacy client %q, want botocore-client-<time>", client)
		}
		sum := sha1.Sum([]byte(s.main.StartURL)) // legacy tokens are cached under the start URL's hash
		checkTokenCache(t, filepath.Join(c.home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json"))
		if got := c.callerARNAs(t, st, "legacy"); got != arn {
			t.Errorf("legacy profile Arn = %s, want %s", got, arn)
		}
	})
	step("after the group is unassigned, new role credentials are refused", func(t *testing.T) {
		c.unassign(t, st)
		must(t, os.RemoveAll(filepath.Join(c.home, ".aws", "cli", "cache")))
		out := c.mustFail(t, "sts", "get-caller-identity", "--profile", "dev", "--output", "json")
		if !strings.Contains(out, "ForbiddenException") || !strings.Contains(out, "GetRoleCredentials") {
			t.Errorf("get-caller-identity after unassignment printed\n%s\nwant ForbiddenException from GetRoleCredentials", out)
		}
		var accts struct{ AccountList []any }
		c.portalJSON(t, &accts, "sso", "list-accounts", "--access-token", accessToken)
		if len(accts.AccountList) != 0 {
			t.Errorf("list-accounts after unassignment = %v, want none", accts.AccountList)
		}
	})
	step("aws sso logout removes the token cache and ends the session on the server", func(t *testing.T) {
		c.mustRun(t, "sso", "logout", "--profile", "dev")
		if _, err := os.Stat(c.tokenCache()); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("token cache after logout: %v, want it gone", err)
		}
		out := c.mustFail(t, "sso", "list-accounts", "--access-token", accessToken, "--region", "us-east-1", "--output", "json")
		if !strings.Contains(out, "UnauthorizedException") {
			t.Errorf("list-accounts with the logged-out token printed\n%s\nwant UnauthorizedException", out)
		}
	})
}

// inSubtest is s reporting to t, so helpers that fail the test can run in a
// subtest.
func (s *server) inSubtest(t *testing.T) *server {
	c := *s
	c.t = t
	return &c
}

// checkTokenCache checks the CLI's SSO token file and returns its access token.
func checkTokenCache(t *testing.T, path string) string {
	t.Helper()
	fi, err := os.Stat(path)
	must(t, err)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", path, fi.Mode().Perm())
	}
	raw, err := os.ReadFile(path)
	must(t, err)
	var tok struct{ AccessToken, RefreshToken, ExpiresAt, StartURL string }
	must(t, json.Unmarshal(raw, &tok))
	exp, err := time.Parse(time.RFC3339, tok.ExpiresAt)
	if tok.AccessToken == "" || tok.RefreshToken == "" || err != nil || !exp.After(time.Now().Add(time.Hour)) {
		t.Fatalf("token cache %s = %s, want accessToken, refreshToken and expiresAt hours ahead", path, raw)
	}
	return tok.AccessToken
}

// checkRoleCredentialCache checks the role credentials the CLI cached last
// about as long as the permission set's session duration.
func checkRoleCredentialCache(t *testing.T, home string, want time.Duration) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(home, ".aws", "cli", "cache", "*.json"))
	must(t, err)
	if len(files) != 1 {
		t.Fatalf("the CLI cached %d role credentials, want 1", len(files))
	}
	raw, err := os.ReadFile(files[0])
	must(t, err)
	var cache struct {
		ProviderType string
		Credentials  struct{ AccessKeyId, Expiration string }
	}
	must(t, json.Unmarshal(raw, &cache))
	exp, err := time.Parse(time.RFC3339, cache.Credentials.Expiration)
	left := time.Until(exp)
	if cache.ProviderType != "sso" || !strings.HasPrefix(cache.Credentials.AccessKeyId, "ASIA") || err != nil ||
		left < want-2*time.Minute || left > want+time.Minute {
		t.Errorf("cached role credentials %s last %v, want sso ASIA credentials for %v", raw, left, want)
	}
}
