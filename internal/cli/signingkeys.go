package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/keyward/keyward/internal/app"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/config"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
)

// keyKind is one use of the identity provider's signing keys, as its
// admin command names and explains it.
type keyKind struct {
	cmd, what, use string
	overlap        time.Duration
	long           string
}

var (
	samlKeys = keyKind{cmd: "saml-keys", what: "SAML", use: directory.KeyUseSAML, overlap: app.SAMLKeyOverlap,
		long: `The identity provider signs every app's SAML responses with one key at a time. Rotating
schedules a new key: it is published in every app's metadata at once and starts signing
after the overlap (7 days), when the current key retires; the retired key stays in the
metadata for another overlap. Service providers that read the metadata (or were given
the new certificate) keep working throughout; ones with a pasted certificate need the
new one before it starts signing.`}
	oidcKeys = keyKind{cmd: "oidc-keys", what: "OpenID Connect", use: directory.KeyUseOIDC, overlap: app.OIDCKeyOverlap,
		long: `The OpenID Connect provider signs ID and access tokens, for every authorization server,
with one key at a time. Rotating schedules a new key: it is in the JWKS (/oauth2/v1/keys
and each server's) at once and starts signing after the overlap (1 day), when the current
key retires; the retired key stays in the JWKS for another overlap, while tokens it
signed may still be in use. Relying parties that refresh their JWKS keep working. The
management API's keyRotate (/api/v1/authorizationServers/{id}/credentials/lifecycle/keyRotate)
rotates at once instead: the new key signs from then on.`}
)

// signingKeysCmd lists and rotates the identity provider's signing keys of
// one use, which Okta manages in its console.
func signingKeysCmd(stdio IO, kind keyKind) *cobra.Command {
	cmd := &cobra.Command{Use: kind.cmd, Short: "List or rotate the identity provider's " + kind.what + " signing keys", Long: kind.long}
	cmd.AddCommand(&cobra.Command{
		Use: "list", Short: "List the keys, their dates and which one signs", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withSigningKeys(cmd, stdio, kind, func(ctx context.Context, s store.IdP, _ *keys.SigningKeys) error {
				all, err := s.SigningKeys(ctx, kind.use)
				if err != nil {
					return err
				}
				return printSigningKeys(stdio, all, time.Now(), kind.overlap)
			})
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use: "rotate", Short: "Schedule a new key: published now, signing after the overlap", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withSigningKeys(cmd, stdio, kind, func(ctx context.Context, _ store.IdP, k *keys.SigningKeys) error {
				next, err := k.Rotate(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(stdio.Out, "Key %s is published now and signs from %s.\n", next.ID, next.ActivatesAt.Format(time.RFC3339))
				return nil
			})
		},
	})
	return cmd
}

// withSigningKeys runs fn with the store and the keys of kind sealed under
// the master key.
func withSigningKeys(cmd *cobra.Command, stdio IO, kind keyKind, fn func(ctx context.Context, s store.IdP, k *keys.SigningKeys) error) error {
	cfg, master, err := loadMasterKey(cmd, stdio, "the signing keys")
	if err != nil {
		return err
	}
	return withIdP(cmd, stdio, func(ctx context.Context, s store.IdP) error {
		k, err := keys.NewSigningKeys(master, keys.SigningKeysConfig{Store: s, Clock: clock.Real{}, Random: clock.Random,
			Use: kind.use, Overlap: kind.overlap, Subject: orgURLOf(cfg)})
		if err != nil {
			return err
		}
		return fn(ctx, s, k)
	})
}

// loadMasterKey loads the configuration and the master key that seals
// what (named in the error when the key cannot be read).
func loadMasterKey(cmd *cobra.Command, stdio IO, what string) (config.Config, []byte, error) {
	cfg, err := config.Load(cmd.Flags(), stdio.Getenv)
	if err != nil {
		return cfg, nil, err
	}
	master, err := keys.Load(cfg.MasterKeyPath())
	if err != nil {
		return cfg, nil, fmt.Errorf("the master key seals %s: %w", what, err)
	}
	return cfg, master, nil
}

// orgURLOf is the org URL as serve computes it.
func orgURLOf(cfg config.Config) string {
	if cfg.IdP.URL != "" {
		return cfg.IdP.URL
	}
	return "http://" + cfg.IdP.Addr
}

func printSigningKeys(stdio IO, all []directory.SigningKey, now time.Time, overlap time.Duration) error {
	w := tabwriter.NewWriter(stdio.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "KID\tCREATED\tSIGNS FROM\tRETIRES\tSTATE")
	for _, k := range all {
		retires := "-"
		if !k.RetiresAt.IsZero() {
			retires = k.RetiresAt.Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", k.ID, k.Created.Format(time.RFC3339), k.ActivatesAt.Format(time.RFC3339),
			retires, keyState(k, now, overlap))
	}
	return w.Flush()
}

// keyState says what a key does at now.
func keyState(k directory.SigningKey, now time.Time, overlap time.Duration) string {
	switch {
	case k.SignsAt(now):
		return "signing"
	case now.Before(k.ActivatesAt):
		return "next (published)"
	case k.PublishedAt(now, overlap):
		return "retired (still published)"
	default:
		return "retired"
	}
}
