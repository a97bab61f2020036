package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func run(t *testing.T, stdin string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut strings.Builder
	code := Execute(context.Background(), args, IO{In: strings.NewReader(stdin), Out: &out, Err: &errOut,
		Getenv: func(k string) string { return env[k] }})
	return code, out.String(), errOut.String()
}

func TestServeReportsEveryConfigurationProblemAndDoesNotStart(t *testing.T) {
	code, _, errOut := run(t, "", map[string]string{"KEYWARD_LOG_FORMAT": "xml"},
		"serve", "--data-dir", t.TempDir(), "--aws-addr", "nowhere", "--portal-session-lifetime", "1m")
	if code == 0 {
		t.Fatal("serve started with a bad configuration")
	}
	for _, want := range []string{"aws-addr", "portal-session-lifetime", "log-format"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the error does not mention %s:\n%s", want, errOut)
		}
	}
}

func TestSetPasswordTakesTheDataDirectoryFromTheEnvironment(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := run(t, "a-long-password\n", map[string]string{"KEYWARD_DATA_DIR": dir}, "admin", "set-password", "--user", "nobody")
	if code == 0 || !strings.Contains(errOut, `no user named "nobody"`) {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "keyward.db")); err != nil {
		t.Errorf("the command did not open the database in KEYWARD_DATA_DIR: %v", err)
	}
}

func TestSetPasswordNeedsAPasswordOnStandardInput(t *testing.T) {
	code, _, errOut := run(t, "", nil, "admin", "set-password", "--data-dir", t.TempDir(), "--user", "alice")
	if code == 0 || !strings.Contains(errOut, "no password on standard input") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

func TestVersionPrints(t *testing.T) {
	code, out, _ := run(t, "", nil, "version")
	if code != 0 || !strings.HasPrefix(out, "keyward ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}
