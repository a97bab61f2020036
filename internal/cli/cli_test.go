package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/keyward/keyward/internal/app"
	"github.com/keyward/keyward/internal/config"
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

// served returns a data directory that keyward serve has set up, with the
// identity provider off (so its log holds only the AWS side's bootstrap).
// It is a copy of one set up once per test binary: setting one up
// (migrating a new database, making its keys) takes over a second under
// the race detector, and most tests here start from one.
func served(t testing.TB) string {
	t.Helper()
	servedFiles.once.Do(func() { servedFiles.files, servedFiles.err = serve() })
	if servedFiles.err != nil {
		t.Fatalf("set up a data directory: %v", servedFiles.err)
	}
	dir := t.TempDir()
	for name, b := range servedFiles.files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var servedFiles struct {
	once  sync.Once
	files map[string][]byte // every file is 0600
	err   error
}

// serve sets up a data directory as keyward serve does and returns its files.
func serve() (map[string][]byte, error) {
	dir, err := os.MkdirTemp("", "keyward-cli-test")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	cfg := config.Default()
	cfg.DataDir, cfg.AWS.Addr, cfg.IdP.Addr = dir, "127.0.0.1:0", ""
	m, err := app.New(context.Background(), cfg, app.Options{Log: io.Discard})
	if err != nil {
		return nil, err
	}
	if err := m.Close(); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			return nil, err
		}
		if !info.Mode().IsRegular() || info.Mode().Perm() != 0o600 {
			return nil, fmt.Errorf("%s in a new data directory is %v, not a 0600 file", e.Name(), info.Mode())
		}
		if files[e.Name()], err = os.ReadFile(filepath.Join(dir, e.Name())); err != nil {
			return nil, err
		}
	}
	return files, nil
}

func TestAdminCommandsFindTheStoreAsServeDoes(t *testing.T) {
	dir := served(t)
	file := filepath.Join(t.TempDir(), "keyward.yaml")
	if err := os.WriteFile(file, []byte("data-dir: "+dir+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sources := map[string]struct {
		env  map[string]string
		args []string
	}{
		"flag":                      {nil, []string{"--data-dir", dir}},
		"environment":               {map[string]string{"KEYWARD_DATA_DIR": dir}, nil},
		"config flag":               {nil, []string{"--config", file}},
		"config in the environment": {map[string]string{"KEYWARD_CONFIG": file}, nil},
	}
	for name, src := range sources {
		t.Run(name, func(t *testing.T) {
			args := append([]string{"admin", "set-password", "--user", "nobody"}, src.args...)
			code, _, errOut := run(t, "a-long-password\n", src.env, args...)
			if code == 0 || !strings.Contains(errOut, `no user named "nobody"`) {
				t.Fatalf("exit %d: %s", code, errOut)
			}
		})
	}
}

func TestAdminCommandsRefuseADirectoryWithoutADatabaseAndCreateNothing(t *testing.T) {
	wrong := filepath.Join(t.TempDir(), "typo")
	code, _, errOut := run(t, "a-long-password\n", nil, "admin", "set-password", "--data-dir", wrong, "--user", "alice")
	if code == 0 || !strings.Contains(errOut, "no keyward database at "+filepath.Join(wrong, "keyward.db")) {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(wrong); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the command left %s behind (stat: %v)", wrong, err)
	}
}

func TestSetPasswordNeedsAPasswordOnStandardInput(t *testing.T) {
	code, _, errOut := run(t, "", nil, "admin", "set-password", "--data-dir", served(t), "--user", "alice")
	if code == 0 || !strings.Contains(errOut, "no password on standard input") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

func TestVersionPrintsTheSameThingBothWays(t *testing.T) {
	code, out, _ := run(t, "", nil, "version")
	code2, out2, _ := run(t, "", nil, "--version")
	if code != 0 || code2 != 0 || !strings.HasPrefix(out, "keyward ") || out != out2 {
		t.Errorf("version: exit %d, %q; --version: exit %d, %q", code, out, code2, out2)
	}
}

// The binary is $KEYWARD_BIN when set: the test command (scripts/test)
// builds it once, as a release is built, for this test and the end-to-end
// suite; building it here again took this package's longest test.
func TestTheBuiltBinaryNamesItsCommit(t *testing.T) {
	bin := os.Getenv("KEYWARD_BIN")
	if bin == "" {
		if top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output(); err == nil {
			if fi, err := os.Stat(filepath.Join(strings.TrimSpace(string(top)), ".git")); err == nil && !fi.IsDir() {
				t.Skip("this checkout is a git worktree, which Go does not stamp; set KEYWARD_BIN to a binary built in a clone")
			}
		}
		bin = filepath.Join(t.TempDir(), "keyward")
		build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, "github.com/keyward/keyward/cmd/keyward")
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	head, err := exec.Command("git", "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "(commit " + strings.TrimSpace(string(head)); !strings.Contains(string(out), want) {
		t.Errorf("keyward --version = %q, want it to name %s", out, want)
	}
}
