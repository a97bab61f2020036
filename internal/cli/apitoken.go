package cli

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
)

// apiTokenCmd manages Okta API tokens, which Okta itself creates only in
// its admin console.
func apiTokenCmd(stdio IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "api-token",
		Short: "Create, list and revoke management API tokens (Authorization: SSWS ...)",
		Long: `Create, list and revoke the identity provider's management API tokens. A token
acts as the administrator it is made for, with that administrator's roles at the
time of each call; deactivating the administrator ends their tokens. The token is
printed once and stored only as a hash.`,
	}
	cmd.AddCommand(createTokenCmd(stdio), listTokensCmd(stdio), revokeTokenCmd(stdio))
	return cmd
}

// withIdP runs fn on the identity provider's store as the operator.
func withIdP(cmd *cobra.Command, stdio IO, fn func(ctx context.Context, s store.IdP) error) error {
	return withIdPAs(cmd, stdio, "keyward admin", fn)
}

// withIdPAs runs fn on the identity provider's store as the operator,
// named in the system log as actor.
func withIdPAs(cmd *cobra.Command, stdio IO, actor string, fn func(ctx context.Context, s store.IdP) error) error {
	db, err := openStore(cmd, stdio)
	if err != nil {
		return err
	}
	defer db.Close()
	b, ok := db.(interface{ IdP() store.IdP })
	if !ok {
		return errors.New("this store has no identity provider")
	}
	ctx := audit.WithActor(cmd.Context(), audit.Actor{Type: "operator", Name: actor})
	return fn(ctx, b.IdP())
}

func createTokenCmd(stdio IO) *cobra.Command {
	var login, name string
	cmd := &cobra.Command{
		Use:   "create --user LOGIN [--name NAME]",
		Short: "Make a token for an administrator and print it once",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withIdP(cmd, stdio, func(ctx context.Context, s store.IdP) error {
				u, err := s.UserByLogin(ctx, login)
				if errs.Is(err, errs.NotFound) {
					return fmt.Errorf("no user with login %q", login)
				}
				if err != nil {
					return err
				}
				if !u.Status.CanSignIn() {
					return fmt.Errorf("%s is %s: only an active person can hold a token", login, u.Status)
				}
				secret := "00" + clock.Token(clock.Random, 30)
				now := time.Now().UTC()
				t := directory.APIToken{ID: directory.NewTokenID(clock.Random), Name: name, UserID: u.ID,
					ClientName: "keyward admin", Created: now}
				if err := s.CreateAPIToken(ctx, t, keys.HashSecret(secret)); err != nil {
					return err
				}
				fmt.Fprintf(stdio.Out, "%s\n", secret)
				fmt.Fprintf(stdio.Err, "Token %s for %s. It is shown once; use it as Authorization: SSWS <token>.\n", t.ID, login)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&login, "user", "", "login of the administrator the token acts as")
	cmd.Flags().StringVar(&name, "name", "keyward admin", "what the token is for")
	_ = cmd.MarkFlagRequired("user")
	return cmd
}

func listTokensCmd(stdio IO) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List tokens (never their secrets)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withIdP(cmd, stdio, func(ctx context.Context, s store.IdP) error {
				w := tabwriter.NewWriter(stdio.Out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "ID\tNAME\tUSER\tCREATED\tEXPIRES")
				p := store.Page{Limit: 200}
				for {
					tokens, next, err := s.ListAPITokens(ctx, p)
					if err != nil {
						return err
					}
					for _, t := range tokens {
						fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.UserID,
							t.Created.Format(time.RFC3339), t.ExpiresAt.Format(time.RFC3339))
					}
					if next == "" {
						return w.Flush()
					}
					p.Token = next
				}
			})
		},
	}
}

func revokeTokenCmd(stdio IO) *cobra.Command {
	return &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke a token at once",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withIdP(cmd, stdio, func(ctx context.Context, s store.IdP) error {
				if err := s.RevokeAPIToken(ctx, args[0]); err != nil {
					if errs.Is(err, errs.NotFound) {
						return fmt.Errorf("no token %q", args[0])
					}
					return err
				}
				fmt.Fprintf(stdio.Out, "Revoked %s.\n", args[0])
				return nil
			})
		},
	}
}
