package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// signOnPolicyCmd manages per-group sign-on policies. Okta keeps these in
// its policy API; keyward's are simpler (one per group, most restrictive
// wins) and set here.
func signOnPolicyCmd(stdio IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "signon-policy",
		Short: "Set, list and remove per-group sign-on policies (MFA, session lifetimes)",
		Long: `A sign-on policy belongs to a group and says whether its members must use a second
factor and how long their identity-provider sessions live. A person in several
groups gets the most restrictive combination: MFA if any policy requires it, the
shortest idle and maximum lifetimes. People with MFA required and no factor enrol
an authenticator app at their next sign-in. Without a policy: password only,
sessions of 2h idle and 12h at most.`,
	}
	cmd.AddCommand(setPolicyCmd(stdio), listPoliciesCmd(stdio), deletePolicyCmd(stdio))
	return cmd
}

func setPolicyCmd(stdio IO) *cobra.Command {
	var group, mfa string
	var idle, maxLife time.Duration
	cmd := &cobra.Command{
		Use:   "set --group NAME [--mfa required|optional] [--idle 2h] [--max 12h]",
		Short: "Set a group's policy",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if mfa != "required" && mfa != "optional" {
				return fmt.Errorf("--mfa %q: want required or optional", mfa)
			}
			return withIdP(cmd, stdio, func(ctx context.Context, s store.IdP) error {
				g, err := groupNamed(ctx, s, group)
				if err != nil {
					return err
				}
				p := directory.SignOnPolicy{GroupID: g.ID, RequireMFA: mfa == "required", IdleLifetime: idle, MaxLifetime: maxLife}
				if err := directory.ValidateSignOnPolicy(p); err != nil {
					return err
				}
				if err := s.PutSignOnPolicy(ctx, p); err != nil {
					return err
				}
				fmt.Fprintf(stdio.Out, "%s: MFA %s, sessions %s idle, %s at most.\n", g.Name, mfa, idle, maxLife)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&group, "group", "", "group name")
	f.StringVar(&mfa, "mfa", "required", "required or optional")
	f.DurationVar(&idle, "idle", directory.DefaultSignOnPolicy.IdleLifetime, "a session ends after this long unused")
	f.DurationVar(&maxLife, "max", directory.DefaultSignOnPolicy.MaxLifetime, "a session ends after this long whatever happens")
	_ = cmd.MarkFlagRequired("group")
	return cmd
}

func groupNamed(ctx context.Context, s store.IdP, name string) (directory.Group, error) {
	g, err := s.GroupByName(ctx, name)
	if errs.Is(err, errs.NotFound) {
		return g, fmt.Errorf("no group named %q", name)
	}
	return g, err
}

func listPoliciesCmd(stdio IO) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the policies",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withIdP(cmd, stdio, func(ctx context.Context, s store.IdP) error {
				policies, err := s.SignOnPolicies(ctx)
				if err != nil {
					return err
				}
				w := tabwriter.NewWriter(stdio.Out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "GROUP\tMFA\tIDLE\tMAX")
				for _, p := range policies {
					g, err := s.Group(ctx, p.GroupID)
					if err != nil {
						return err
					}
					mfa := map[bool]string{true: "required", false: "optional"}[p.RequireMFA]
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", g.Name, mfa, p.IdleLifetime, p.MaxLifetime)
				}
				return w.Flush()
			})
		},
	}
}

func deletePolicyCmd(stdio IO) *cobra.Command {
	var group string
	cmd := &cobra.Command{
		Use:   "delete --group NAME",
		Short: "Remove a group's policy",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withIdP(cmd, stdio, func(ctx context.Context, s store.IdP) error {
				g, err := groupNamed(ctx, s, group)
				if err != nil {
					return err
				}
				if err := s.DeleteSignOnPolicy(ctx, g.ID); err != nil {
					return err
				}
				fmt.Fprintf(stdio.Out, "%s has no sign-on policy now.\n", g.Name)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&group, "group", "", "group name")
	_ = cmd.MarkFlagRequired("group")
	return cmd
}
