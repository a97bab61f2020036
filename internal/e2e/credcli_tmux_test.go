package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	satypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/mdp/qrterminal/v3"
)

// The credential CLI as a person at a terminal sees it: the picker, the
// sign-in's URL, code and QR code, and the vault's passphrase prompt, each
// in a real terminal (a tmux pane) that the test types into with send-keys
// and reads with capture-pane.

// TestCredentialCLIInATerminal signs alice in to two roles, then drives
// the commands that talk to a terminal.
func TestCredentialCLIInATerminal(t *testing.T) {
	requireTool(t, "tmux", "apt-get install tmux")
	s := start(t)
	c := newAWSCLI(t, s)
	step := steps(t)
	var st cliStory
	var k *credCLI
	const devOps, readOnly = "Dev-DevOps", "Dev-ReadOnly"
	step("alice has DevOps and ReadOnly on Dev, signs in and syncs both profiles", func(t *testing.T) {
		sdk := s.inSubtest(t).setUpStory()
		s.inSubtest(t).addRole(sdk, "ReadOnly")
		st = sdk.cli()
		k = newCredCLI(t, s, c)
		k.login(t, s.inSubtest(t), "--start-url", s.main.StartURL, "--region", "us-east-1", "--sso-session", "kw")
		k.mustRun(t, "profiles", "sync")
		conf := k.config(t)
		for _, p := range []string{devOps, readOnly} {
			if !strings.Contains(conf, "[profile "+p+"]") {
				t.Fatalf("~/.aws/config after sync lacks %s:\n%s", p, conf)
			}
		}
	})
	step("the picker lists both profiles, typing filters them, and enter prints the chosen one's exports", func(t *testing.T) {
		p := newTmuxPane(t, k.env)
		p.typeLine("keyward use --export > exports.sh; echo picked-exit=$?")
		p.waitFor("the picker with both profiles", func(screen string) bool {
			return strings.Contains(screen, "Which profile?") &&
				strings.Contains(screen, devOps+"  ("+st.AccountID+", DevOps)") &&
				strings.Contains(screen, readOnly+"  ("+st.AccountID+", ReadOnly)")
		})
		p.send("-l", "/Read") // the help line says: / filter
		p.waitFor("the list filtered to ReadOnly", func(screen string) bool {
			return strings.Contains(screen, "/Read") && strings.Contains(screen, readOnly+"  (") && !strings.Contains(screen, devOps+"  (")
		})
		p.send("Enter")
		if code := p.exitCode("picked-exit"); code != "0" {
			t.Fatalf("keyward use --export exited %s", code)
		}
		exports := filepath.Join(k.home, "exports.sh")
		arn := c.callerARNWithExports(t, exports)
		want := regexp.MustCompile(`^arn:aws:sts::` + st.AccountID + `:assumed-role/AWSReservedSSO_ReadOnly_[0-9a-f]{16}/alice$`)
		if !want.MatchString(arn) {
			t.Errorf("the exports the picker printed are %s's, want ReadOnly's role (%s)", arn, want)
		}
	})
	for _, key := range []string{"C-c", "Escape"} {
		step("the picker's "+key+" leaves it: nothing chosen, nothing printed, exit 1", func(t *testing.T) {
			p := newTmuxPane(t, k.env)
			p.typeLine("keyward use --export > exports.sh; echo picked-exit=$?")
			p.waitFor("the picker", func(screen string) bool { return strings.Contains(screen, readOnly+"  (") })
			p.send(key)
			if code := p.exitCode("picked-exit"); code != "1" {
				t.Errorf("keyward use --export after %s exited %s, want 1", key, code)
			}
			if screen := p.capture(); !strings.Contains(screen, "Error: nothing chosen") {
				t.Errorf("after %s the terminal shows\n%s\nwant Error: nothing chosen", key, screen)
			}
			if b, err := os.ReadFile(filepath.Join(k.home, "exports.sh")); err != nil || len(b) != 0 {
				t.Errorf("after %s, stdout was %q (%v), want nothing", key, b, err)
			}
		})
	}
	step("keyward use PROFILE opens a shell with the profile's credentials; exit goes back", func(t *testing.T) {
		p := newTmuxPane(t, k.env)
		p.typeLine("keyward use " + devOps + "; echo use-exit=$?")
		p.waitFor("the sub-shell's greeting", func(screen string) bool {
			return strings.Contains(screen, "A shell with "+devOps+"'s credentials; exit it to go back.")
		})
		p.typeLine(`echo "profile=$KEYWARD_PROFILE key=$AWS_ACCESS_KEY_ID"; exit`)
		if code := p.exitCode("use-exit"); code != "0" {
			t.Fatalf("keyward use %s exited %s", devOps, code)
		}
		m := regexp.MustCompile(`(?m)^profile=(\S*) key=(\S*)`).FindStringSubmatch(p.capture())
		// The role credentials are cached: the shell had the ones credentials prints.
		want := k.credentials(t, devOps).AccessKeyId
		if m == nil || m[1] != devOps || m[2] != want {
			t.Errorf("the sub-shell printed %q, want profile=%s key=%s\n%s", m, devOps, want, p.capture())
		}
	})
	step("keyward login in a terminal shows the URL, the code and the URL's QR code, then signs in", func(t *testing.T) {
		p := newTmuxPane(t, k.env)
		p.typeLine("keyward login --no-browser --start-url " + s.main.StartURL + " --region us-east-1 --sso-session kw2; echo login-exit=$?")
		re := regexp.MustCompile(`To sign in, open (\S+)\nand check that it shows the code (\S+)\.`)
		var m []string
		screen := p.waitFor("the sign-in URL, code and QR code", func(screen string) bool {
			m = re.FindStringSubmatch(screen)
			return m != nil && strings.Contains(screen, "Waiting for the approval…")
		})
		opened, code := m[1], m[2]
		if !strings.HasPrefix(opened, s.url+"/device?user_code=") || !strings.HasSuffix(opened, "="+code) {
			t.Errorf("login shows the URL %s and the code %s, want %s/device?user_code=<the code>", opened, code, s.url)
		}
		// The QR code in the pane is the one for the URL it printed: each of
		// its rows, in block characters, on the screen in order.
		var qr strings.Builder
		qrterminal.GenerateHalfBlock(opened, qrterminal.L, &qr)
		rows := strings.Split(strings.TrimRight(qr.String(), "\n"), "\n")
		if len(rows) < 10 || !strings.ContainsAny(qr.String(), "█▀▄") {
			t.Fatalf("the QR code for %s has %d rows:\n%s", opened, len(rows), qr.String())
		}
		if !strings.Contains(trimLines(screen), trimLines(strings.Join(rows, "\n"))) {
			t.Errorf("the terminal does not show the QR code for %s:\n%s\nwant the rows\n%s", opened, screen, qr.String())
		}
		b := s.inSubtest(t).browser()
		b.signIn(aliceName, alicePassword)
		b.approve(opened, true)
		if code := p.exitCode("login-exit"); code != "0" {
			t.Fatalf("keyward login exited %s\n%s", code, p.capture())
		}
		if screen := p.capture(); !strings.Contains(screen, "Signed in to "+s.main.StartURL+" as sso-session kw2") {
			t.Errorf("after the approval the terminal shows\n%s", screen)
		}
	})
	step("without KEYWARD_VAULT_PASSPHRASE the vault asks on the terminal, hides the typing and refuses a wrong one", func(t *testing.T) {
		env := slices.DeleteFunc(slices.Clone(k.env), func(kv string) bool { return strings.HasPrefix(kv, "KEYWARD_VAULT_PASSPHRASE=") })
		p := newTmuxPane(t, env)
		const wrong = "not the passphrase at all"
		vaultPath := filepath.Join(k.home, ".config", "keyward", "vault")
		prompt := "Passphrase for the keyward vault at " + vaultPath + ": "

		p.typeLine("keyward credentials " + devOps + " > creds.json; echo wrong-exit=$?")
		p.waitFor("the passphrase prompt", func(screen string) bool { return strings.Contains(screen, prompt) })
		p.typeLine(wrong)
		if code := p.exitCode("wrong-exit"); code != "1" {
			t.Errorf("keyward credentials with a wrong passphrase exited %s, want 1", code)
		}
		if screen := p.capture(); !strings.Contains(screen, "Error: the vault at "+vaultPath+" could not be opened: wrong passphrase") {
			t.Errorf("after a wrong passphrase the terminal shows\n%s", screen)
		}

		p.typeLine("keyward credentials " + devOps + " > creds.json; echo right-exit=$?")
		p.waitFor("the second passphrase prompt", func(screen string) bool { return strings.Count(screen, prompt) == 2 })
		p.typeLine(vaultPassphrase)
		if code := p.exitCode("right-exit"); code != "0" {
			t.Fatalf("keyward credentials with the passphrase exited %s\n%s", code, p.capture())
		}
		var creds processCredentials
		raw, err := os.ReadFile(filepath.Join(k.home, "creds.json"))
		must(t, err)
		if err := json.Unmarshal(raw, &creds); err != nil || !strings.HasPrefix(creds.AccessKeyId, "ASIA") {
			t.Errorf("keyward credentials printed %q (%v)", raw, err)
		}
		if screen := p.capture(); strings.Contains(screen, wrong) || strings.Contains(screen, vaultPassphrase) {
			t.Errorf("the terminal shows a typed passphrase:\n%s", screen)
		}
	})
	step("a new vault asks for a passphrase twice on the terminal and stores nothing when the two differ", func(t *testing.T) {
		// A person with no vault yet keeping an IAM user's keys: the secret
		// and the new passphrase are asked on the terminal, none echoed.
		fresh := t.TempDir()
		env := slices.DeleteFunc(slices.Clone(k.env), func(kv string) bool {
			return strings.HasPrefix(kv, "KEYWARD_VAULT_PASSPHRASE=") || strings.HasPrefix(kv, "XDG_CONFIG_HOME=") ||
				strings.HasPrefix(kv, "AWS_CONFIG_FILE=")
		})
		env = append(env, "XDG_CONFIG_HOME="+filepath.Join(fresh, "config"), "AWS_CONFIG_FILE="+filepath.Join(fresh, "aws-config"))
		vaultPath := filepath.Join(fresh, "config", "keyward", "vault")
		const keyID, secret = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
		const chosen, other = "a new vault passphrase 7", "a different passphrase 8"
		var p *tmuxPane
		add := func(marker, repeat string) string {
			t.Helper()
			p = newTmuxPane(t, env)
			p.typeLine("keyward add ci-keys --access-key-id " + keyID + "; echo " + marker + "=$?")
			for _, q := range []struct{ prompt, answer string }{
				{"Secret access key for " + keyID + ": ", secret},
				{"Choose a passphrase for a new keyward vault at " + vaultPath + ": ", chosen},
				{"Repeat the passphrase: ", repeat},
			} {
				p.waitFor("the prompt "+q.prompt, func(screen string) bool { return strings.Contains(screen, q.prompt) })
				p.typeLine(q.answer)
			}
			code := p.exitCode(marker)
			screen := p.capture()
			for _, typed := range []string{secret, chosen, other} {
				if strings.Contains(screen, typed) {
					t.Errorf("the terminal shows what was typed (%q):\n%s", typed, screen)
				}
			}
			return code
		}
		if code := add("differ-exit", other); code != "1" {
			t.Errorf("keyward add with two different passphrases exited %s, want 1", code)
		}
		if screen := p.capture(); !strings.Contains(screen, "Error: the two passphrases differ; nothing was stored") {
			t.Errorf("after two different passphrases the terminal shows\n%s", screen)
		}
		if _, err := os.Stat(vaultPath); !os.IsNotExist(err) {
			t.Errorf("the vault file after two different passphrases: %v, want none", err)
		}
		if code := add("same-exit", chosen); code != "0" {
			t.Fatalf("keyward add exited %s\n%s", code, p.capture())
		}
		if screen := p.capture(); !strings.Contains(screen, "Kept the keys of "+keyID+" for profile ci-keys in the ") {
			t.Errorf("keyward add shows\n%s", screen)
		}
		raw, err := os.ReadFile(vaultPath)
		must(t, err)
		if strings.Contains(string(raw), secret) {
			t.Error("the vault file holds the secret access key in the clear")
		}
	})
}

// addRole gives st's group a second permission set, name, on the Dev
// account, with the Go SDK.
func (s *server) addRole(st story, name string) {
	s.t.Helper()
	ctx := context.Background()
	admin := ssoadmin.NewFromConfig(s.adminConfig())
	ps, err := admin.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: &st.InstanceARN, Name: aws.String(name)})
	must(s.t, err)
	st.PermissionSetARN = aws.ToString(ps.PermissionSet.PermissionSetArn)
	created, err := admin.CreateAccountAssignment(ctx, st.assignment())
	must(s.t, err)
	polled, err := admin.DescribeAccountAssignmentCreationStatus(ctx, &ssoadmin.DescribeAccountAssignmentCreationStatusInput{
		InstanceArn: &st.InstanceARN, AccountAssignmentCreationRequestId: created.AccountAssignmentCreationStatus.RequestId})
	must(s.t, err)
	if polled.AccountAssignmentCreationStatus.Status != satypes.StatusValuesSucceeded {
		s.t.Fatalf("the %s assignment's status = %s", name, polled.AccountAssignmentCreationStatus.Status)
	}
}

// callerARNWithExports runs `aws sts get-caller-identity` in a bash that
// has sourced the exports script at path.
func (c *awsCLI) callerARNWithExports(t *testing.T, path string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), awsCLITimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", `. "$1" && exec `+awsCLIPath+` sts get-caller-identity --region us-east-1 --output json`, "-", path)
	cmd.Env = c.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("aws sts get-caller-identity after sourcing %s: %v\n%s", path, err, out)
	}
	var id struct{ Arn string }
	must(t, json.Unmarshal(out, &id))
	return id.Arn
}

// trimLines drops each line's trailing spaces, which a terminal does not
// keep apart from blank cells.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// tmuxPane is a 200x50 terminal running bash with env (and nothing else
// from the test's environment), on a tmux server of its own.
type tmuxPane struct {
	t      *testing.T
	socket string
	env    []string
}

func newTmuxPane(t *testing.T, env []string) *tmuxPane {
	t.Helper()
	requireTool(t, "tmux", "apt-get install tmux")
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	p := &tmuxPane{t: t, socket: "keyward-e2e-" + hex.EncodeToString(b),
		env: append(slices.Clone(env), "SHELL=/bin/bash", "HISTFILE=/dev/null", "TERM=xterm-256color")}
	home := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "HOME="); ok {
			home = v
		}
	}
	rc := filepath.Join(t.TempDir(), "bashrc")
	must(t, os.WriteFile(rc, []byte("PS1='$ '\n"), 0o600))
	p.tmux("-f", "/dev/null", "new-session", "-d", "-s", "kw", "-x", "200", "-y", "50", "-c", home,
		"/bin/bash --noprofile --rcfile "+rc)
	t.Cleanup(func() { _, _ = p.run("kill-server") })
	p.waitFor("the shell's prompt", func(screen string) bool { return strings.HasPrefix(screen, "$ ") })
	return p
}

func (p *tmuxPane) run(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "tmux", append([]string{"-u", "-L", p.socket}, args...)...)
	cmd.Env = p.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (p *tmuxPane) tmux(args ...string) string {
	p.t.Helper()
	out, err := p.run(args...)
	if err != nil {
		p.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// send types keys into the pane: tmux key names (Enter, C-c, Escape), or
// "-l" and literal text.
func (p *tmuxPane) send(keys ...string) {
	p.t.Helper()
	p.tmux(append([]string{"send-keys", "-t", "kw"}, keys...)...)
}

// typeLine types a line and presses enter.
func (p *tmuxPane) typeLine(line string) {
	p.t.Helper()
	p.send("-l", line)
	p.send("Enter")
}

// capture is everything the pane has shown, its history included, with
// wrapped lines joined.
func (p *tmuxPane) capture() string {
	p.t.Helper()
	return p.tmux("capture-pane", "-p", "-J", "-t", "kw", "-S", "-", "-E", "-")
}

// waitFor polls the pane until ok accepts what it shows, and returns that.
func (p *tmuxPane) waitFor(what string, ok func(screen string) bool) string {
	p.t.Helper()
	deadline := time.Now().Add(awsCLITimeout)
	for {
		screen := p.capture()
		if ok(screen) {
			return screen
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the terminal never showed %s; it shows:\n%s", what, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// exitCode waits for the line `echo NAME=$?` prints and returns the code.
func (p *tmuxPane) exitCode(name string) string {
	p.t.Helper()
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `=(\d+)[ \t]*$`)
	var m []string
	p.waitFor(fmt.Sprintf("%s=<exit code>", name), func(screen string) bool {
		m = re.FindStringSubmatch(screen)
		return m != nil
	})
	return m[1]
}
