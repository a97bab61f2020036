package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/config"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
)

// scimTokenCmd manages the access tokens of Identity Center's SCIM
// endpoint, which AWS creates in its console ("Generate token").
func scimTokenCmd(stdio IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scim-token",
		Short: "Create, list and delete Identity Center's SCIM access tokens",
		Long: `Create, list and delete the access tokens an identity provider uses to provision
users and groups into Identity Center over SCIM. As in AWS, at most two tokens live
at once and each expires after one year. A token is printed once and stored only as
a hash.`,
	}
	cmd.AddCommand(createSCIMTokenCmd(stdio), listSCIMTokensCmd(stdio), deleteSCIMTokenCmd(stdio))
	return cmd
}

// withAWS runs fn on the store as the operator.
func withAWS(cmd *cobra.Command, stdio IO, fn func(ctx context.Context, s store.AWS) error) error {
	db, err := openStore(cmd, stdio)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx := audit.WithActor(cmd.Context(), audit.Actor{Type: "operator", Name: "keyward admin"})
	return fn(ctx, db)
}

func createSCIMTokenCmd(stdio IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Make a token and print the SCIM endpoint and the token once",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(cmd.Flags(), stdio.Getenv)
			if err != nil {
				return err
			}
			return withAWS(cmd, stdio, func(ctx context.Context, s store.AWS) error {
				src, err := s.IdentitySource(ctx)
				if err != nil {
					return err
				}
				if !src.Provisioning {
					return errors.New("automatic provisioning is off: turn it on with keyward admin identity-source provisioning on")
				}
				return newSCIMToken(ctx, s, awsURL(cfg), stdio)
			})
		},
	}
	cmd.Flags().String("aws-url", "", "the AWS endpoint's public URL (default: aws-url from the configuration, else http://<aws-addr>)")
	return cmd
}

// newSCIMToken makes a SCIM token and prints the endpoint and the token,
// once.
func newSCIMToken(ctx context.Context, s store.AWS, public string, stdio IO) error {
	inst, err := s.Instance(ctx)
	if err != nil {
		return err
	}
	secret := clock.Token(clock.Random, 48)
	now := time.Now().UTC()
	t := ic.SCIMToken{ID: ic.NewUUID(clock.Random), Hash: keys.HashSecret(secret), CreatedAt: now,
		ExpiresAt: now.Add(ic.SCIMTokenLifetime)}
	if err := s.CreateSCIMToken(ctx, t); err != nil {
		if errs.Is(err, errs.Conflict) {
			return fmt.Errorf("there are already %d live SCIM tokens; delete one first", ic.MaxSCIMTokens)
		}
		return err
	}
	fmt.Fprintf(stdio.Out, "SCIM endpoint: %s/%s/scim/v2/\n", public, inst.IdentityStoreID)
	fmt.Fprintf(stdio.Out, "Access token:  %s\n", secret)
	fmt.Fprintf(stdio.Err, "Token %s expires %s. It is shown once; use it as Authorization: Bearer <token>.\n",
		t.ID, t.ExpiresAt.Format(time.RFC3339))
	return nil
}

// awsURL is the AWS endpoint's public URL as serve computes it.
func awsURL(cfg config.Config) string {
	if cfg.AWS.URL != "" {
		return strings.TrimSuffix(cfg.AWS.URL, "/")
	}
	return "http://" + cfg.AWS.Addr
}

func listSCIMTokensCmd(stdio IO) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List tokens (never their secrets)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withAWS(cmd, stdio, func(ctx context.Context, s store.AWS) error {
				tokens, err := s.SCIMTokens(ctx)
				if err != nil {
					return err
				}
				w := tabwriter.NewWriter(stdio.Out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "ID\tCREATED\tEXPIRES\tLAST USED")
				for _, t := range tokens {
					used := "never"
					if !t.LastUsed.IsZero() {
						used = t.LastUsed.Format(time.RFC3339)
					}
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", t.ID, t.CreatedAt.Format(time.RFC3339),
						t.ExpiresAt.Format(time.RFC3339), used)
				}
				return w.Flush()
			})
		},
	}
}

func deleteSCIMTokenCmd(stdio IO) *cobra.Command {
	return &cobra.Command{
		Use:   "delete ID",
		Short: "Delete a token at once",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withAWS(cmd, stdio, func(ctx context.Context, s store.AWS) error {
				if err := s.DeleteSCIMToken(ctx, args[0]); err != nil {
					if errs.Is(err, errs.NotFound) {
						return fmt.Errorf("no SCIM token %q", args[0])
					}
					return err
				}
				fmt.Fprintf(stdio.Out, "Deleted %s.\n", args[0])
				return nil
			})
		},
	}
}
