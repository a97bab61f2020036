package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/cred/vault"
)

// The credential CLI's end-to-end tests run the real keyward binary as a
// person would, against a keyward server started on port 0, sharing a
// HOME with the real AWS CLI so the two see the same ~/.aws files.

var (
	keywardBinOnce sync.Once
	keywardBinPath string
	keywardBinErr  error
)

// keywardBin is the keyward binary: $KEYWARD_BIN (the test command builds
// it once), else built here into the user cache directory.
func keywardBin(t *testing.T) string {
	t.Helper()
	keywardBinOnce.Do(func() {
		if p := os.Getenv("KEYWARD_BIN"); p != "" {
			keywardBinPath = p
			return
		}
		dir, err := os.UserCacheDir()
		if err != nil {
			dir = os.TempDir()
		}
		keywardBinPath = filepath.Join(dir, "keyward-e2e", "keyward")
		out, err := exec.Command("go", "build", "-o", keywardBinPath, "github.com/keyward/keyward/cmd/keyward").CombinedOutput()
		if err != nil {
			keywardBinErr = &buildError{out: string(out), err: err}
		}
	})
	if keywardBinErr != nil {
		t.Fatalf("building keyward: %v", keywardBinErr)
	}
	return keywardBinPath
}

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// cli is the story as the AWS CLI tests hold it.
func (st story) cli() cliStory {
	return cliStory{AccountID: st.AccountID, InstanceARN: st.InstanceARN, IdentityStoreID: st.IdentityStoreID,
		UserID: st.UserID, GroupID: st.GroupID, PermissionSetARN: st.PermissionSetARN}
}

// credCLI is the keyward binary with the HOME of an awsCLI.
type credCLI struct {
	bin, home string
	env       []string
}

const vaultPassphrase = "correct horse battery staple 42"

func newCredCLI(t *testing.T, s *server, c *awsCLI) *credCLI {
	t.Helper()
	bin := keywardBin(t)
	home := c.home
	// What keyward needs wherever it runs, also as the AWS CLI's or an
	// SDK's credential_process: keyward's endpoint, and the vault. No
	// keyring in these tests (the vault's own tests drive the Secret
	// Service): the file fallback, with its passphrase.
	shared := []string{
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"AWS_ENDPOINT_URL=" + s.url,
		"AWS_ENDPOINT_URL_SIGNIN=" + s.url,
		"KEYWARD_VAULT=file",
		"KEYWARD_VAULT_PASSPHRASE=" + vaultPassphrase,
	}
	c.env = append(c.env, shared...)
	// The vault is made here with cheap argon2id costs, which every
	// keyward run then reads from its header: the production costs,
	// paid by each of the hundreds of keyward processes these tests
	// start, would cost minutes of CPU. cred/vault tests the real ones.
	v, err := vault.NewFile(filepath.Join(home, ".config", "keyward"), vault.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1},
		func(key string) string {
			if key == vault.PassphraseEnv {
				return vaultPassphrase
			}
			return ""
		}, nil)
	must(t, err)
	must(t, v.Set(t.Context(), "e2e", []byte("made by the test")))
	return &credCLI{bin: bin, home: home, env: append([]string{
		"HOME=" + home,
		"PATH=" + filepath.Dir(bin) + ":/usr/bin:/bin",
		"LANG=C.UTF-8",
		"AWS_CONFIG_FILE=" + filepath.Join(home, ".aws", "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, ".aws", "credentials"),
	}, shared...)}
}

func (k *credCLI) command(ctx context.Context, extraEnv []string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, k.bin, args...)
	cmd.Env = append(slices.Clone(k.env), extraEnv...)
	cmd.Dir = k.home
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// run runs keyward with stdin and returns what it printed and its exit code.
func (k *credCLI) run(stdin string, args ...string) (stdout, stderr string, code int) {
	ctx, cancel := context.WithTimeout(context.Background(), awsCLITimeout)
	defer cancel()
	var out, errOut bytes.Buffer
	cmd := k.command(ctx, nil, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(stdin), &out, &errOut
	err := cmd.Run()
	code = cmd.ProcessState.ExitCode()
	if err != nil && code <= 0 {
		code = -1
	}
	return out.String(), errOut.String(), code
}

func (k *credCLI) mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, code := k.run("", args...)
	if code != 0 {
		t.Fatalf("keyward %s exited %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// mustFail runs keyward, expects exit code 1 and returns its stderr.
func (k *credCLI) mustFail(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, code := k.run("", args...)
	if code != 1 {
		t.Fatalf("keyward %s exited %d, want 1\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, errOut)
	}
	if strings.Contains(errOut, "goroutine ") || strings.Contains(errOut, "panic:") {
		t.Fatalf("keyward %s printed a traceback:\n%s", strings.Join(args, " "), errOut)
	}
	return errOut
}

var approveLine = regexp.MustCompile(`To sign in, open (\S+)`)

// login runs `keyward login ARGS --no-browser`, plays alice approving the
// URL it prints, and returns what it printed on stderr.
func (k *credCLI) login(t *testing.T, s *server, args ...string) string {
	t.Helper()
	return k.loginAs(t, s, aliceName, alicePassword, args...)
}

// loginAs is login with user approving.
func (k *credCLI) loginAs(t *testing.T, s *server, user, password string, args ...string) string {
	t.Helper()
	return k.loginWith(t, func(opened string) {
		b := s.browser()
		b.signIn(user, password)
		b.approve(opened, true)
	}, args...)
}

// loginWith is login with approve playing the person at the URL it prints.
func (k *credCLI) loginWith(t *testing.T, approve func(opened string), args ...string) string {
	t.Helper()
	printed, err := k.loginExit(t, approve, args...)
	if err != nil {
		t.Fatalf("keyward login: %v\n%s", err, printed)
	}
	return printed
}

// loginExit is loginWith returning how keyward login exited.
func (k *credCLI) loginExit(t *testing.T, approve func(opened string), args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), awsCLITimeout)
	defer cancel()
	cmd := k.command(ctx, nil, append([]string{"login", "--no-browser"}, args...)...)
	stderr, err := cmd.StderrPipe()
	must(t, err)
	must(t, cmd.Start())
	var printed strings.Builder
	sc := bufio.NewScanner(stderr)
	opened := ""
	for opened == "" && sc.Scan() {
		printed.WriteString(sc.Text() + "\n")
		if m := approveLine.FindStringSubmatch(sc.Text()); m != nil {
			opened = m[1]
		}
	}
	if opened == "" {
		_ = cmd.Wait()
		t.Fatalf("keyward login printed no URL to open:\n%s", printed.String())
	}
	approve(opened)
	for sc.Scan() {
		printed.WriteString(sc.Text() + "\n")
	}
	err = cmd.Wait()
	return printed.String(), err
}

func (k *credCLI) credentials(t *testing.T, profile string) processCredentials {
	t.Helper()
	var c processCredentials
	out := k.mustRun(t, "credentials", profile)
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatalf("keyward credentials printed %q: %v", out, err)
	}
	return c
}

func (k *credCLI) config(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(k.home, ".aws", "config"))
	must(t, err)
	return string(b)
}
