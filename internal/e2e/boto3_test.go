package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// boto3Python is the python3 on PATH that has boto3, as the probe found it.
type boto3Python struct {
	Executable string `json:"executable"` // absolute, so a changed HOME cannot break a pyenv shim
	UserBase   string `json:"user_base"`  // kept, so a `pip install --user` boto3 stays visible
	Botocore   string `json:"botocore"`   // version
	Data       string `json:"data"`       // botocore's model directory
}

const boto3Probe = `import json, os, site, sys
import boto3, botocore
json.dump({"executable": sys.executable, "user_base": site.USER_BASE or "", "botocore": botocore.__version__,
           "data": os.path.join(os.path.dirname(botocore.__file__), "data")}, sys.stdout)`

// findBoto3 locates python3 with boto3. Without either, the test fails in
// CI and is skipped elsewhere.
func findBoto3(t *testing.T) boto3Python {
	t.Helper()
	py := requireTool(t, "python3", "apt-get install python3")
	ctx, cancel := context.WithTimeout(context.Background(), awsCLITimeout)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, py, "-c", boto3Probe)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if strings.Contains(stderr.String(), "ImportError") || strings.Contains(stderr.String(), "ModuleNotFoundError") {
			if os.Getenv("CI") == "true" {
				t.Fatalf("boto3 is required in CI (apt-get install python3-boto3):\n%s", stderr.String())
			}
			t.Skipf("python3 has no boto3; apt-get install python3-boto3:\n%s", stderr.String())
		}
		t.Fatalf("python3 -c <probe>: %v\n%s", err, stderr.String())
	}
	var p boto3Python
	must(t, json.Unmarshal(out, &p))
	return p
}

// honoursEndpointEnv says whether this botocore reads AWS_ENDPOINT_URL_<SVC>:
// service-specific endpoints arrived in botocore 1.31.0.
func (p boto3Python) honoursEndpointEnv() bool {
	parts := strings.SplitN(p.Botocore, ".", 3)
	if len(parts) < 2 {
		return false
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	return err1 == nil && err2 == nil && (major > 1 || major == 1 && minor >= 31)
}

// boto3CallerARN runs testdata/boto3_identity.py in the CLI's HOME, so boto3
// reads the SSO token cache that `aws sso login` wrote, and returns the Arn.
//
// It points boto3 at keyward the way a user of boto3 would:
// AWS_ENDPOINT_URL_SSO, _SSO_OIDC and _STS. Checked by hand with pip botocore
// 1.43: these reach the SSO credential provider's portal client (without
// _SSO, GetRoleCredentials goes to portal.sso.us-east-1.amazonaws.com) and
// its token refresh (without _SSO_OIDC, a refresh goes to
// oidc.us-east-1.amazonaws.com). Debian bookworm's python3-boto3 (botocore
// 1.29, what CI installs) predates these variables and ignores them, so
// there the test uses the CLI's trick instead: an AWS_DATA_PATH holding
// endpoint rule sets built from that botocore's own models.
func (c *awsCLI) boto3CallerARN(t *testing.T, s *server) string {
	t.Helper()
	out := c.runBoto3(t, s, "boto3_identity.py", []string{"sso-oidc/2019-06-10", "sso/2019-06-10", "sts/2011-06-15"})
	var id struct{ Arn, Account string }
	if err := json.Unmarshal(out, &id); err != nil || id.Arn == "" {
		t.Fatalf("boto3 printed %q: %v", out, err)
	}
	return id.Arn
}

// runBoto3 runs testdata/<script> with the CLI's HOME and environment,
// boto3 pointed at keyward for services (botocore model paths such as
// "sts/2011-06-15"), and returns what it printed on standard output.
func (c *awsCLI) runBoto3(t *testing.T, s *server, script string, services []string) []byte {
	t.Helper()
	py := findBoto3(t)
	path, err := filepath.Abs(filepath.Join("testdata", script))
	must(t, err)
	env := slices.DeleteFunc(slices.Clone(c.env), func(kv string) bool {
		return strings.HasPrefix(kv, "AWS_DATA_PATH=") || strings.HasPrefix(kv, "AWS_PAGER=")
	})
	for _, svc := range services {
		name := strings.ToUpper(strings.ReplaceAll(svc[:strings.Index(svc, "/")], "-", "_"))
		env = append(env, "AWS_ENDPOINT_URL_"+name+"="+s.url)
	}
	if py.UserBase != "" {
		env = append(env, "PYTHONUSERBASE="+py.UserBase)
	}
	if !py.honoursEndpointEnv() {
		t.Logf("botocore %s ignores AWS_ENDPOINT_URL_*; overriding its endpoint rule sets with AWS_DATA_PATH", py.Botocore)
		models := t.TempDir()
		writeEndpointRuleSets(t, py.Data, models, s.url, services)
		env = append(env, "AWS_DATA_PATH="+models)
	}
	ctx, cancel := context.WithTimeout(context.Background(), awsCLITimeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, py.Executable, path)
	cmd.Env, cmd.Dir, cmd.Stdout, cmd.Stderr = env, c.home, &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s (botocore %s): %v\nstdout:\n%s\nstderr:\n%s", py.Executable, path, py.Botocore, err, stdout.String(), stderr.String())
	}
	return stdout.Bytes()
}
