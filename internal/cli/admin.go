package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/keyward/keyward/internal/app"
	"github.com/keyward/keyward/internal/authn/signin"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/config"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

func adminCmd(stdio IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "admin",
		Short: "Operator commands on keyward's store (safe while the server runs)",
		Long: `Operator commands on keyward's store. They find it as serve does: --data-dir,
--store-url and --master-key-file, else the KEYWARD_* environment variables, else
the YAML file named by --config or KEYWARD_CONFIG.`,
	}
	config.AddStoreFlags(cmd.PersistentFlags())
	cmd.AddCommand(setPasswordCmd(stdio), eventsCmd(stdio), apiTokenCmd(stdio), signOnPolicyCmd(stdio), importCmd(stdio),
		scimTokenCmd(stdio), appsCmd(stdio), identitySourceCmd(stdio), signingKeysCmd(stdio, samlKeys), signingKeysCmd(stdio, oidcKeys), caCmd(stdio))
	return cmd
}

// openStore opens the store the command line, environment and config file
// name, refusing (and creating nothing) where there is none.
func openStore(cmd *cobra.Command, stdio IO) (store.AWS, error) {
	cfg, err := config.Load(cmd.Flags(), stdio.Getenv)
	if err != nil {
		return nil, err
	}
	return app.OpenExistingStore(cmd.Context(), cfg, clock.Real{})
}

func setPasswordCmd(stdio IO) *cobra.Command {
	var user string
	cmd := &cobra.Command{
		Use:   "set-password --user USERNAME",
		Short: "Set a directory user's password, read from standard input",
		Long: `Set the password of an Identity Center directory user and clear any lockout.
The password is read from standard input (one line); on a terminal it is not echoed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withAWS(cmd, stdio, func(ctx context.Context, db store.AWS) error {
				pw, err := readPassword(stdio)
				if err != nil {
					return err
				}
				svc, err := signin.New(db, app.NewHasher(nil, clock.Random), clock.Real{}, clock.Random, signin.DefaultPolicy)
				if err != nil {
					return err
				}
				if err := svc.SetPassword(ctx, user, pw); err != nil {
					if errs.Is(err, errs.NotFound) {
						return fmt.Errorf("no user named %q in the identity store", user)
					}
					return err
				}
				fmt.Fprintf(stdio.Out, "Password set for %s.\n", user)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&user, "user", "", "user name in the identity store")
	_ = cmd.MarkFlagRequired("user")
	return cmd
}

// readPassword reads one line; from a terminal it prompts without echo.
func readPassword(stdio IO) (string, error) {
	if f, ok := stdio.In.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stdio.Err, "Password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stdio.Err)
		return string(b), err
	}
	line, err := bufio.NewReader(stdio.In).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("no password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
