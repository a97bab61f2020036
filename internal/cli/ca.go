package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
)

// caCmd prints keyward's local certificate authority, which clients
// trust to reach keyward's TLS listeners and its HTTPS proxy mode.
func caCmd(stdio IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ca",
		Short: "keyward's local certificate authority (for its TLS listeners and HTTPS proxy mode)",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "export",
		Short: "Print the local CA's certificate (PEM) for SSL_CERT_FILE or AWS_CA_BUNDLE",
		Long: `Print the certificate of keyward's local CA in PEM. It signs the certificates of
listeners with idp-tls or aws-tls set to local-ca and of the HTTPS proxy mode
(aws-proxy-addr); all replicas share it. Save it and hand it to clients:

  keyward admin ca export > keyward-ca.pem
  SSL_CERT_FILE=keyward-ca.pem   # Go clients (okta-aws-cli, aws-vault, granted)
  AWS_CA_BUNDLE=keyward-ca.pem   # the AWS CLI and boto3

The CA is made on first use (by serve or by this command) and never leaves the
store unsealed: only its certificate is printed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withIdP(cmd, stdio, func(ctx context.Context, s store.IdP) error {
				_, master, err := loadMasterKey(cmd, stdio, "the CA's key")
				if err != nil {
					return err
				}
				ca, err := keys.OpenCA(ctx, master, keys.CAConfig{Store: s, Clock: clock.Real{}, Random: clock.Random})
				if err != nil {
					return err
				}
				_, err = stdio.Out.Write(ca.PEM())
				return err
			})
		},
	})
	return cmd
}
