package cli

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/keyward/keyward/internal/app"
	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/samlsp"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/config"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// identitySourceCmd switches where Identity Center's people sign in, which
// AWS does only in its console. Subcommands that belong with it (automatic
// provisioning) are added to what it returns.
func identitySourceCmd(stdio IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "identity-source",
		Short: "Show or change where the access portal's people sign in",
		Long: `Show or change Identity Center's identity source: its own directory (passwords on
the portal's sign-in page) or an external SAML 2.0 identity provider. As in AWS,
switching keeps every user, group and assignment; it ends every portal session and
SSO-OIDC token, because sign-in changes. With an external identity provider a user
signs in only if the provider's NameID is their user name; back on the directory,
users without a password need one (keyward admin set-password).`,
	}
	cmd.AddCommand(showSourceCmd(stdio), setExternalCmd(stdio), setIdentityCenterCmd(stdio), spMetadataCmd(stdio),
		sourceProvisioningCmd(stdio))
	cmd.PersistentFlags().String("aws-url", "", "the AWS endpoint's public URL, where the ACS and the SCIM endpoint are "+
		"(default: aws-url from the configuration, else http://<aws-addr>)")
	return cmd
}

// withSP runs fn on the AWS store with the instance's service provider, as
// the operator.
func withSP(cmd *cobra.Command, stdio IO, fn func(ctx context.Context, s store.AWS, sp *samlsp.SP) error) error {
	cfg, err := config.Load(cmd.Flags(), stdio.Getenv)
	if err != nil {
		return err
	}
	s, err := app.OpenExistingStore(cmd.Context(), cfg, clock.Real{})
	if err != nil {
		return err
	}
	defer s.Close()
	inst, err := s.Instance(cmd.Context())
	if err != nil {
		return err
	}
	sp, err := samlsp.New(s, samlsp.Config{Region: cfg.AWS.Region, PublicURL: awsURL(cfg), Instance: inst,
		Clock: clock.Real{}, Random: clock.Random})
	if err != nil {
		return err
	}
	ctx := audit.WithActor(cmd.Context(), audit.Actor{Type: "operator", Name: "keyward admin"})
	return fn(ctx, s, sp)
}

func showSourceCmd(stdio IO) *cobra.Command {
	return &cobra.Command{
		Use:   "show",
		Short: "Show the identity source and what to give the identity provider",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withSP(cmd, stdio, func(ctx context.Context, s store.AWS, sp *samlsp.SP) error {
				src, err := s.IdentitySource(ctx)
				if err != nil {
					return err
				}
				return printSource(stdio.Out, src, sp)
			})
		},
	}
}

func printSource(out io.Writer, src ic.IdentitySource, sp *samlsp.SP) error {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	kind := "Identity Center directory"
	if src.External() {
		kind = "External identity provider"
	}
	onOff := map[bool]string{true: "on", false: "off"}
	fmt.Fprintf(w, "Identity source:\t%s (%s)\n", kind, src.Type)
	fmt.Fprintf(w, "SP entity ID (audience):\t%s\n", sp.EntityID())
	fmt.Fprintf(w, "ACS URL:\t%s\n", sp.ACSURL())
	fmt.Fprintf(w, "SP metadata URL:\t%s\n", sp.MetadataURL())
	if src.External() {
		fmt.Fprintf(w, "IdP entity ID:\t%s\n", src.IdP.EntityID)
		fmt.Fprintf(w, "IdP sign-in URL:\t%s (%s)\n", src.IdP.SSOURL, bindingName(src.IdP.SSOBinding))
		for _, der := range src.IdP.Certificates {
			fmt.Fprintf(w, "IdP certificate:\t%s\n", describeCert(der))
		}
	}
	fmt.Fprintf(w, "Automatic provisioning:\t%s\n", onOff[src.Provisioning])
	if !src.UpdatedAt.IsZero() {
		fmt.Fprintf(w, "Changed:\t%s by %s\n", src.UpdatedAt.Format("2006-01-02T15:04:05Z"), src.UpdatedBy)
	}
	return w.Flush()
}

func bindingName(b string) string {
	return strings.TrimPrefix(b, "urn:oasis:names:tc:SAML:2.0:bindings:")
}

func describeCert(der []byte) string {
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return "unreadable"
	}
	return fmt.Sprintf("%s, valid until %s", c.Subject.String(), c.NotAfter.UTC().Format("2006-01-02"))
}

func setExternalCmd(stdio IO) *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "set-external --idp-metadata FILE",
		Short: "Sign people in through an external SAML 2.0 identity provider",
		Long: `Make an external SAML 2.0 identity provider the identity source, from its metadata
file (its entity ID, sign-in URL and signing certificates). Give the identity provider
this instance's SP metadata (keyward admin identity-source sp-metadata) or its ACS URL
and SP entity ID (keyward admin identity-source show). Running it again with new
metadata (a rotated certificate) keeps people signed in; another identity provider
signs everyone out.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			doc, err := readBounded(file, samlsp.MaxMetadataBytes)
			if err != nil {
				return err
			}
			idp, err := samlsp.ParseIdPMetadata(doc)
			if err != nil {
				return err
			}
			return withSP(cmd, stdio, func(ctx context.Context, s store.AWS, sp *samlsp.SP) error {
				var before ic.IdentitySource
				src, err := s.UpdateIdentitySource(ctx, func(old ic.IdentitySource) (ic.IdentitySource, error) {
					before = old
					next := ic.IdentitySource{Type: ic.SourceExternal, IdP: idp, Provisioning: old.External() && old.Provisioning}
					return next, nil
				})
				if err != nil {
					return err
				}
				if before.Type != src.Type || before.IdP.EntityID != src.IdP.EntityID {
					fmt.Fprintln(stdio.Err, "Sign-in changed: every portal session and SSO-OIDC token has ended.")
				}
				return printSource(stdio.Out, src, sp)
			})
		},
	}
	cmd.Flags().StringVar(&file, "idp-metadata", "", "the identity provider's SAML metadata file")
	_ = cmd.MarkFlagRequired("idp-metadata")
	return cmd
}

// readBounded reads a file of at most limit bytes.
func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes: is it a metadata file?", path, limit)
	}
	return b, nil
}

func setIdentityCenterCmd(stdio IO) *cobra.Command {
	return &cobra.Command{
		Use:   "set-identity-center",
		Short: "Sign people in with Identity Center's own directory (passwords)",
		Long: `Make Identity Center's own directory the identity source again. Users, groups and
assignments stay; automatic provisioning turns off; every portal session and SSO-OIDC
token ends. Users who never had a password need one: keyward admin set-password.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withSP(cmd, stdio, func(ctx context.Context, s store.AWS, sp *samlsp.SP) error {
				src, err := s.UpdateIdentitySource(ctx, func(ic.IdentitySource) (ic.IdentitySource, error) {
					return ic.IdentitySource{Type: ic.SourceIdentityCenter}, nil
				})
				if err != nil {
					return err
				}
				if err := s.DeleteSCIMTokens(ctx); err != nil {
					return err
				}
				return printSource(stdio.Out, src, sp)
			})
		},
	}
}

func spMetadataCmd(stdio IO) *cobra.Command {
	return &cobra.Command{
		Use:   "sp-metadata",
		Short: "Print this instance's SAML service provider metadata (for the identity provider)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withSP(cmd, stdio, func(_ context.Context, _ store.AWS, sp *samlsp.SP) error {
				_, err := stdio.Out.Write(sp.Metadata())
				return err
			})
		},
	}
}
