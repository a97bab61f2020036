// Package cli is keyward's command tree: `serve` runs the server, `admin`
// holds operator commands that work on the data directory, also while the
// server runs, and the credential commands (login, profiles, credentials,
// env, exec, use, console, whoami, add, logout) sign a person in and hand
// short-lived AWS credentials to their tools. It parses arguments and
// delegates; it holds no business logic.
package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// IO is where commands read and write, so tests can capture them.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
	Getenv   func(string) string
}

// Execute runs the command line args and returns the process exit code.
func Execute(ctx context.Context, args []string, stdio IO) int {
	root := Root(stdio)
	root.SetArgs(args)
	root.SetIn(stdio.In)
	root.SetOut(stdio.Out)
	root.SetErr(stdio.Err)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return 0
	}
	if cmd == nil {
		cmd = root
	}
	e := exitError{code: 1, err: err}
	errors.As(err, &e)
	if !e.quiet {
		cmd.PrintErrln(cmd.ErrPrefix(), err.Error())
	}
	return e.code
}

// exitError is a command's error with an exit code other than 1. quiet
// ones (a child's own exit code) print nothing: the child has spoken.
type exitError struct {
	code  int
	err   error
	quiet bool
}

func (e exitError) Error() string { return e.err.Error() }
func (e exitError) Unwrap() error { return e.err }

// Root builds the command tree.
func Root(stdio IO) *cobra.Command {
	if stdio.Getenv == nil {
		stdio.Getenv = os.Getenv
	}
	root := &cobra.Command{
		Use:           "keyward",
		Short:         "Identity provider and AWS IAM Identity Center, in one binary",
		SilenceUsage:  true,
		SilenceErrors: true, // Execute prints them, all but a child's exit code
		Version:       versionString(),
	}
	root.SetVersionTemplate("keyward {{.Version}}\n")
	root.AddCommand(serveCmd(stdio), adminCmd(stdio), versionCmd())
	root.AddCommand(credCmds(stdio)...)
	return root
}

// Version is set at build time with -ldflags "-X ...cli.Version=v1.2.3";
// otherwise the module version from the build info is used.
var Version = ""

// versionString is the version and the commit it was built from, as
// `keyward version` and `keyward --version` print them.
func versionString() string {
	v, commit, dirty := Version, "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	if commit == "" {
		return v
	}
	if len(commit) > 12 {
		commit = commit[:12]
	}
	if dirty {
		commit += "-dirty"
	}
	return v + " (commit " + commit + ")"
}

func versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print keyward's version and the commit it was built from",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cmd.Println("keyward", versionString())
			return nil
		},
	}
}
