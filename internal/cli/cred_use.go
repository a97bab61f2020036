package cli

import (
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/keyward/keyward/internal/cred/output"
	"github.com/keyward/keyward/internal/cred/picker"
	"github.com/keyward/keyward/internal/cred/provider"
)

func useCmd(stdio IO) *cobra.Command {
	var f credFlags
	var export bool
	var shell string
	cmd := &cobra.Command{
		Use:   "use [PROFILE]",
		Short: "Pick a profile (fuzzy picker; a numbered list without a terminal) and open a shell with its credentials",
		Long: `With no PROFILE, choose one from a filterable list of the profiles in ~/.aws/config. Then a
sub-shell ($SHELL) starts with the profile's credentials; exit it to go back. --export prints the
exports instead, for eval "$(keyward use --export)".`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := openCred(cmd.Context(), stdio, &f)
			if err != nil {
				return err
			}
			profile := ""
			if len(args) == 1 {
				profile = args[0]
			} else if profile, err = e.choose(cmd); err != nil {
				return err
			}
			c, err := e.credentials(cmd.Context(), &f, profile)
			if err != nil {
				return err
			}
			if export {
				s, err := output.Env(c, shell)
				if err != nil {
					return err
				}
				_, err = fmt.Fprint(stdio.Out, s)
				return err
			}
			sh := stdio.Getenv("SHELL")
			if sh == "" {
				sh = "/bin/sh"
			}
			fmt.Fprintf(stdio.Err, "A shell with %s's credentials; exit it to go back.\n", profile)
			return runChild(cmd.Context(), stdio, []string{sh}, output.Environ(os.Environ(), c, "KEYWARD_PROFILE="+profile))
		},
		ValidArgsFunction: completeProfiles(stdio),
	}
	cmd.Flags().BoolVar(&export, "export", false, "print the exports instead of starting a shell")
	cmd.Flags().StringVar(&shell, "shell", "bash", "with --export, the shell to print for")
	f.add(cmd)
	return cmd
}

// choose asks which profile: on the terminal when there is one (stdout may
// be an eval's pipe), else as a numbered list read from stdin.
func (e *credEnv) choose(cmd *cobra.Command) (string, error) {
	profiles := e.shared.Config.Profiles()
	sort.Strings(profiles)
	labels := make([]string, len(profiles))
	for i, p := range profiles {
		labels[i] = p
		if v, ok := (sharedConfig{e.shared.Config}).Profile(p); ok {
			if _, acct, role := provider.SSOProfile(v); acct != "" {
				labels[i] = fmt.Sprintf("%s  (%s, %s)", p, acct, role)
			}
		}
	}
	var in io.Reader = e.stdio.In
	var out io.Writer = e.stdio.Err
	tty := false
	if t, err := os.OpenFile("/dev/tty", os.O_RDWR, 0); err == nil && term.IsTerminal(int(t.Fd())) {
		defer t.Close()
		in, out, tty = t, t, true
	}
	i, err := picker.Pick(cmd.Context(), "Which profile?", labels, in, out, tty)
	if err != nil {
		return "", err
	}
	return profiles[i], nil
}
