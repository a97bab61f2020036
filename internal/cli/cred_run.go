package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/keyward/keyward/internal/cred/awsconfig"
	"github.com/keyward/keyward/internal/cred/output"
	"github.com/keyward/keyward/internal/cred/vault"
)

// profileCredentials resolves profile's credentials: the one path every
// command that hands out credentials takes. It returns the credential
// environment too, for commands that go on to use it.
func profileCredentials(cmd *cobra.Command, stdio IO, f *credFlags, profile string) (*credEnv, output.Credentials, error) {
	e, err := openCred(cmd.Context(), stdio, f)
	if err != nil {
		return nil, output.Credentials{}, err
	}
	c, err := e.credentials(cmd.Context(), f, profile)
	return e, c, err
}

// credentials resolves profile, first dropping the cached credentials
// when --refresh asks for new ones.
func (e *credEnv) credentials(ctx context.Context, f *credFlags, profile string) (output.Credentials, error) {
	if f.refresh {
		if err := e.resolver.Forget(ctx, profile); err != nil {
			return output.Credentials{}, err
		}
	}
	return e.resolver.Credentials(ctx, profile)
}

func credentialsCmd(stdio IO) *cobra.Command {
	var f credFlags
	var write bool
	var target string
	cmd := &cobra.Command{
		Use:   "credentials PROFILE",
		Short: "Print a profile's credentials as credential_process JSON (credential_process = keyward credentials PROFILE)",
		Long: `Print the profile's credentials as credential_process JSON (version 1, with Expiration).

--write-aws-credentials writes them to ~/.aws/credentials instead, under [PROFILE] or --credentials-profile,
for tools that read only that file (okta-aws-cli's --write-aws-credentials). The rest of the file is kept as
it is. They are short-lived, but they are then on disk in the clear, as the AWS CLI keeps them:
prefer credential_process where the tool allows it.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, c, err := profileCredentials(cmd, stdio, &f, args[0])
			if err != nil {
				return err
			}
			if !write {
				_, err = stdio.Out.Write(output.Process(c))
				return err
			}
			if target == "" {
				target = args[0]
			}
			return e.writeCredentials(cmd.Context(), target, c)
		},
		ValidArgsFunction: completeProfiles(stdio),
	}
	cmd.Flags().BoolVar(&write, "write-aws-credentials", false, "write them to ~/.aws/credentials instead of printing them")
	cmd.Flags().StringVar(&target, "credentials-profile", "", "with --write-aws-credentials, the section to write (default: PROFILE)")
	f.add(cmd)
	return cmd
}

// credentialsFileLock is the vault.Lock key keyward's writers of the
// shared credentials file take turns under.
const credentialsFileLock = "\x00aws-credentials-file"

// writeCredentials puts c under [profile] in the shared credentials file,
// replacing only that section. The file is read again under a lock, just
// before it is written: parallel keyward commands (a script's jobs, each
// writing its own section) each add theirs, where the copy read when the
// command started was refused as changed on disk by another of them.
func (e *credEnv) writeCredentials(ctx context.Context, profile string, c output.Credentials) error {
	kvs := []awsconfig.KV{{Key: "aws_access_key_id", Value: c.AccessKeyID},
		{Key: "aws_secret_access_key", Value: c.SecretAccessKey}}
	if c.SessionToken != "" {
		kvs = append(kvs, awsconfig.KV{Key: "aws_session_token", Value: c.SessionToken})
	}
	if !c.Expiration.IsZero() {
		kvs = append(kvs, awsconfig.KV{Key: "x_security_token_expires", Value: c.Expiration.UTC().Format(time.RFC3339)})
	}
	unlock, err := vault.Lock(ctx, e.vaultDir, credentialsFileLock)
	if err != nil {
		return err
	}
	defer unlock()
	now, err := awsconfig.Load(awsconfig.Paths{Credentials: e.paths.Credentials})
	if err != nil {
		return err
	}
	now.Credentials.PutSection(awsconfig.Section{Name: profile}, kvs)
	if err := now.Credentials.Save(); err != nil {
		return err
	}
	e.shared.Credentials = now.Credentials
	fmt.Fprintf(e.stdio.Err, "Wrote [%s] to %s", profile, e.paths.Credentials)
	if !c.Expiration.IsZero() {
		fmt.Fprintf(e.stdio.Err, " (valid until %s)", c.Expiration.Local().Format("15:04 MST"))
	}
	fmt.Fprintln(e.stdio.Err, ".")
	return nil
}

func envCmd(stdio IO) *cobra.Command {
	var f credFlags
	var shell string
	cmd := &cobra.Command{
		Use:   "env PROFILE",
		Short: "Print shell commands that set a profile's credentials: eval \"$(keyward env PROFILE)\"",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, c, err := profileCredentials(cmd, stdio, &f, args[0])
			if err != nil {
				return err
			}
			s, err := output.Env(c, shell)
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(stdio.Out, s)
			return err
		},
		ValidArgsFunction: completeProfiles(stdio),
	}
	cmd.Flags().StringVar(&shell, "shell", "bash", "the shell to print for: "+strings.Join(output.Shells, ", "))
	f.add(cmd)
	return cmd
}

func execCmd(stdio IO) *cobra.Command {
	var f credFlags
	cmd := &cobra.Command{
		Use:   "exec PROFILE -- COMMAND [ARGS...]",
		Short: "Run a command with a profile's short-lived credentials in its environment",
		Long: `Run COMMAND with the profile's credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_SESSION_TOKEN, every other AWS credential and profile variable removed, and AWS_REGION from the
profile. keyward exits with the command's exit code.`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.ArgsLenAtDash() != 1 {
				return fmt.Errorf("usage: keyward exec PROFILE -- COMMAND [ARGS...]")
			}
			_, c, err := profileCredentials(cmd, stdio, &f, args[0])
			if err != nil {
				return err
			}
			return runChild(cmd.Context(), stdio, args[1:], output.Environ(os.Environ(), c, "KEYWARD_PROFILE="+args[0]))
		},
		ValidArgsFunction: completeProfiles(stdio),
	}
	f.add(cmd)
	return cmd
}

// runChild runs argv with environ, passing signals on (but a Ctrl-C, which
// reached the child too), and returns an exitError carrying its exit code
// when it fails.
func runChild(ctx context.Context, stdio IO, argv []string, environ []string) error {
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return exitError{code: 127, err: fmt.Errorf("%s: command not found", argv[0])}
	}
	child := exec.Command(path, argv[1:]...)
	child.Env = environ
	child.Stdin, child.Stdout, child.Stderr = stdio.In, stdio.Out, stdio.Err
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, forwardedSignals...)
	defer signal.Stop(sigs)
	if err := child.Start(); err != nil {
		return exitError{code: 126, err: err}
	}
	done := make(chan error, 1)
	go func() { done <- child.Wait() }()
	cancelled := ctx.Done()
	for {
		select {
		case s := <-sigs:
			if !groupSignal(s, child.Process.Pid) {
				_ = child.Process.Signal(s)
			}
		case err := <-done:
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code := ee.ExitCode()
				if code < 0 { // killed by a signal
					code = 128 + int(ee.Sys().(syscall.WaitStatus).Signal())
				}
				return exitError{code: code, err: fmt.Errorf("%s exited with %d", argv[0], code), quiet: true}
			}
			return err
		case <-cancelled:
			_ = child.Process.Kill()
			cancelled = nil
		}
	}
}
