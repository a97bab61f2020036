package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/keyward/keyward/internal/cred/awsconfig"
	"github.com/keyward/keyward/internal/cred/awsenv"
	"github.com/keyward/keyward/internal/cred/provider"
	"github.com/keyward/keyward/internal/cred/sso"
	"github.com/keyward/keyward/internal/cred/vault"
)

// credCmds are the credential CLI's commands: they sign a person in and
// hand short-lived credentials to their tools. They speak only public
// protocols (AWS's SSO-OIDC, portal and STS APIs, Okta's OAuth endpoints),
// so they work against AWS and Okta as well as against keyward.
func credCmds(stdio IO) []*cobra.Command {
	cmds := []*cobra.Command{loginCmd(stdio), logoutCmd(stdio), credentialsCmd(stdio), envCmd(stdio),
		execCmd(stdio), consoleCmd(stdio), whoamiCmd(stdio), useCmd(stdio), addCmd(stdio), profilesCmd(stdio)}
	for _, c := range cmds {
		explainClock(c)
	}
	return cmds
}

// explainClock makes cmd and its subcommands say so when a wrong clock is
// why AWS refused them.
func explainClock(cmd *cobra.Command) {
	if run := cmd.RunE; run != nil {
		cmd.RunE = func(cmd *cobra.Command, args []string) error { return awsenv.ClockHint(run(cmd, args)) }
	}
	for _, sub := range cmd.Commands() {
		explainClock(sub)
	}
}

// credFlags are the flags every credential command takes.
type credFlags struct {
	verbose, refresh bool
	mfaCode          string
}

func (f *credFlags) add(cmd *cobra.Command) {
	cmd.Flags().BoolVarP(&f.verbose, "verbose", "v", false,
		"print every HTTP exchange on stderr, with tokens, keys and codes redacted")
	cmd.Flags().BoolVar(&f.refresh, "refresh", false, "fetch new credentials even if cached ones are still good")
	cmd.Flags().StringVar(&f.mfaCode, "mfa-code", "", "the current MFA code, for profiles with mfa_serial (else asked on the terminal)")
}

// credEnv is what a credential command works with: the AWS shared files,
// the vault and the resolver built on them.
type credEnv struct {
	stdio    IO
	home     string
	paths    awsconfig.Paths
	shared   *awsconfig.Shared
	vaultDir string
	keep     keeper
	resolver *provider.Resolver
}

// openCred loads the shared files and opens the vault.
func openCred(ctx context.Context, stdio IO, f *credFlags) (*credEnv, error) {
	if f.verbose {
		awsenv.Trace(stdio.Err)
	}
	home := stdio.Getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return nil, fmt.Errorf("cannot find your home directory: set HOME")
		}
		home = h
	}
	paths := awsconfig.DefaultPaths(home, stdio.Getenv)
	shared, err := awsconfig.Load(paths)
	if err != nil {
		return nil, err
	}
	dir := configDir(home, stdio.Getenv)
	store, why, err := vault.Open(ctx, vault.Options{Dir: dir, Prompt: ttyPassphrase, Getenv: stdio.Getenv})
	if err != nil {
		return nil, err
	}
	if why != "" && f.verbose {
		fmt.Fprintln(stdio.Err, why)
	}
	e := &credEnv{stdio: stdio, home: home, paths: paths, shared: shared, vaultDir: dir, keep: keeper{store, dir}}
	e.resolver = &provider.Resolver{Profiles: sharedConfig{shared.Config}, Keep: e.keep,
		AWSCacheDir: filepath.Join(home, ".aws", "sso", "cache"), MFA: mfaPrompt(f.mfaCode)}
	return e, nil
}

// configDir is keyward's own per-user directory: the vault file and locks.
func configDir(home string, getenv func(string) string) string {
	if x := getenv("XDG_CONFIG_HOME"); x != "" {
		return filepath.Join(x, "keyward")
	}
	return filepath.Join(home, ".config", "keyward")
}

// keeper is the vault as the credential packages' Keeper.
type keeper struct {
	s   vault.Store
	dir string
}

func (k keeper) Get(ctx context.Context, key string) ([]byte, error) {
	v, err := k.s.Get(ctx, key)
	if errors.Is(err, vault.ErrNotFound) {
		return nil, sso.ErrNotFound
	}
	return v, err
}

func (k keeper) Set(ctx context.Context, key string, v []byte) error { return k.s.Set(ctx, key, v) }

func (k keeper) Delete(ctx context.Context, key string) error {
	if err := k.s.Delete(ctx, key); err != nil && !errors.Is(err, vault.ErrNotFound) {
		return err
	}
	return nil
}

func (k keeper) Refresh(ctx context.Context, key string, fresh func([]byte) bool,
	fetch func(context.Context) ([]byte, error)) ([]byte, error) {
	return vault.Refresh(ctx, k.s, k.dir, key, fresh, fetch)
}

// sharedConfig is the AWS config file as provider.Profiles.
type sharedConfig struct{ f *awsconfig.File }

func (c sharedConfig) Profile(name string) (map[string]string, bool) {
	v, ok := c.f.Section(c.f.Profile(name))
	return v, ok
}

func (c sharedConfig) SSOSession(name string) (map[string]string, bool) {
	v, ok := c.f.Section(awsconfig.SSOSessionSection(name))
	return v, ok
}

func (c sharedConfig) Section(kind, name string) (map[string]string, bool) {
	v, ok := c.f.Section(awsconfig.Section{Type: kind, Name: name})
	return v, ok
}

// completeProfiles completes a profile name from the AWS config file.
func completeProfiles(stdio IO) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(_ *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		home := stdio.Getenv("HOME")
		shared, err := awsconfig.Load(awsconfig.DefaultPaths(home, stdio.Getenv))
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		var out []string
		for _, p := range shared.Config.Profiles() {
			if strings.HasPrefix(p, prefix) {
				out = append(out, p)
			}
		}
		sort.Strings(out)
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
