package cli

import (
	"log/slog"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/keyward/keyward/internal/app"
	"github.com/keyward/keyward/internal/config"
)

func serveCmd(stdio IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run keyward: the AWS endpoint, access portal and device sign-in",
		Long: `Run keyward on the embedded SQLite database in --data-dir, or on the
PostgreSQL database of --store-url, which any number of replicas may share.

The first start creates an organization, its management account and an IAM
Identity Center instance, and writes the management account's root access key
to DATA_DIR/bootstrap-credentials (profile keyward-admin). Point the AWS CLI
and SDKs at the endpoint URL it logs.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(cmd.Flags(), stdio.Getenv)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			m, err := app.New(ctx, cfg, app.Options{Log: stdio.Err})
			if err != nil {
				return err
			}
			defer m.Close()
			slog.SetDefault(m.Log)
			return m.Run(ctx)
		},
	}
	config.AddFlags(cmd.Flags())
	return cmd
}
