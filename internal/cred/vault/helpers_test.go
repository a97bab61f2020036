package vault

import (
	"os"
	"os/exec"
	"testing"
)

// cheapKDF keeps tests fast; the format and code path are the same.
var cheapKDF = KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}

// helperEnv names the variable that turns a re-executed test binary into a
// helper process (the os/exec test pattern).
const helperEnv = "KEYWARD_VAULT_TEST_HELPER"

// requireTool returns the path of a program the test needs: missing, it
// skips the test, except in CI (CI=true), where it fails it.
func requireTool(t *testing.T, name, install string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required in CI (%s): %v", name, install, err)
		}
		t.Skipf("%s not found; %s", name, install)
	}
	return p
}

func envWith(getenv map[string]string) func(string) string {
	return func(k string) string { return getenv[k] }
}
