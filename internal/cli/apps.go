package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/config"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
)

// appsCmd manages what Okta keeps in its admin console rather than its
// API: an app's SCIM provisioning target and the groups it pushes.
func appsCmd(stdio IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "apps",
		Short: "List apps, set their SCIM provisioning and the groups they push, see its status and drift",
		Long: `Apps are created and assigned through the management API (/api/v1/apps), as at
Okta. What Okta sets only in its admin console is here: an app's SCIM provisioning
target (the URL and bearer token AWS IAM Identity Center shows when automatic
provisioning is enabled) and the groups it pushes, the provisioning's status, a
resync, and a drift report comparing the target with the identity provider.`,
	}
	cmd.AddCommand(listAppsCmd(stdio), provisioningCmd(stdio), pushGroupCmd(stdio, true), pushGroupCmd(stdio, false),
		appsStatusCmd(stdio), appsResyncCmd(stdio), appsDriftCmd(stdio), awsFederationCmd(stdio))
	return cmd
}

func listAppsCmd(stdio IO) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List apps with their status, provisioning target and pushed groups",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withIdP(cmd, stdio, func(ctx context.Context, s store.IdP) error {
				w := tabwriter.NewWriter(stdio.Out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "ID\tNAME\tLABEL\tSTATUS\tPROVISIONING\tPUSHED GROUPS")
				p := store.Page{Limit: 200}
				for {
					apps, next, err := s.ListApps(ctx, p)
					if err != nil {
						return err
					}
					for _, a := range apps {
						pushes, err := s.ListGroupPushes(ctx, a.ID)
						if err != nil {
							return err
						}
						fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%d\n", a.ID, a.Name, a.Label, a.Status, target(a.Provisioning), len(pushes))
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

func target(p directory.Provisioning) string {
	if !p.Enabled {
		return "off"
	}
	return p.BaseURL
}

func provisioningCmd(stdio IO) *cobra.Command {
	var scimURL, tokenFile string
	var disable bool
	cmd := &cobra.Command{
		Use:   "provisioning APP_ID (--scim-url URL --token-file FILE | --disable)",
		Short: "Set or turn off an app's SCIM provisioning target",
		Long: `Set the SCIM endpoint and bearer token an app provisions users and groups to, or
turn provisioning off (which forgets the token). The token is read from FILE, which
must be readable only by its owner (chmod 600), or from standard input with
--token-file - (at a terminal, one line that is not shown as it is typed or
pasted). It is stored sealed with the master key and never printed.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			next, err := provisioningFrom(cmd, stdio, args[0], scimURL, tokenFile, disable)
			if err != nil {
				return err
			}
			return withIdP(cmd, stdio, func(ctx context.Context, s store.IdP) error {
				a, err := s.UpdateApp(ctx, args[0], "application.lifecycle.update", func(a directory.App) (directory.App, error) {
					a.Provisioning = next
					return a, nil
				})
				if err != nil {
					return appErr(err, args[0])
				}
				if disable {
					fmt.Fprintf(stdio.Out, "Provisioning is off for %s (%s).\n", a.Label, a.ID)
				} else {
					fmt.Fprintf(stdio.Out, "%s (%s) provisions to %s; the token is stored sealed.\n", a.Label, a.ID, next.BaseURL)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&scimURL, "scim-url", "", "the SCIM endpoint, such as https://scim.us-east-1.amazonaws.com/<tenant>/scim/v2")
	cmd.Flags().StringVar(&tokenFile, "token-file", "", "file holding the SCIM bearer token (mode 0600), or - for standard input")
	cmd.Flags().BoolVar(&disable, "disable", false, "turn provisioning off and forget the token")
	cmd.MarkFlagsMutuallyExclusive("disable", "scim-url")
	cmd.MarkFlagsMutuallyExclusive("disable", "token-file")
	cmd.MarkFlagsRequiredTogether("scim-url", "token-file")
	return cmd
}

// provisioningFrom checks the flags and builds the new target, reading and
// sealing the token (for the app id, so it opens only for that app).
func provisioningFrom(cmd *cobra.Command, stdio IO, appID, scimURL, tokenFile string, disable bool) (directory.Provisioning, error) {
	if disable {
		return directory.Provisioning{}, nil
	}
	if scimURL == "" {
		return directory.Provisioning{}, fmt.Errorf("give --scim-url and --token-file, or --disable")
	}
	base, err := checkSCIMURL(scimURL)
	if err != nil {
		return directory.Provisioning{}, err
	}
	token, err := readToken(stdio, tokenFile)
	if err != nil {
		return directory.Provisioning{}, err
	}
	cfg, err := config.Load(cmd.Flags(), stdio.Getenv)
	if err != nil {
		return directory.Provisioning{}, err
	}
	master, err := keys.Load(cfg.MasterKeyPath())
	if err != nil {
		return directory.Provisioning{}, fmt.Errorf("the master key seals the token: %w", err)
	}
	sealer, err := keys.NewSealer(master, directory.ProvisioningTokenPurpose, clock.Random)
	if err != nil {
		return directory.Provisioning{}, err
	}
	return directory.Provisioning{Enabled: true, BaseURL: base, SealedToken: sealer.Seal(token, []byte(appID))}, nil
}

// checkSCIMURL requires https, or http to this machine (keyward's own AWS
// side in development), and drops a trailing slash.
func checkSCIMURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("--scim-url %q is not an absolute URL without credentials, query or fragment", s)
	}
	host := u.Hostname()
	ip := net.ParseIP(host)
	loopback := host == "localhost" || (ip != nil && ip.IsLoopback())
	if u.Scheme != "https" && (u.Scheme != "http" || !loopback) {
		return "", fmt.Errorf("--scim-url must be https (http only to this machine): %q", s)
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// maxTokenFile bounds a token file: SCIM bearer tokens are a few hundred
// bytes.
const maxTokenFile = 8 << 10

// readToken reads the bearer token from a file only its owner can read,
// or from standard input for "-": from a terminal, one line typed or
// pasted without echo, so the secret is not left on the screen.
func readToken(stdio IO, file string) ([]byte, error) {
	var r io.Reader = stdio.In
	if f, ok := stdio.In.(*os.File); ok && file == "-" && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stdio.Err, "Secret (not shown as you type or paste it), then Enter: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stdio.Err)
		if err != nil {
			return nil, fmt.Errorf("read the token: %w", err)
		}
		r = bytes.NewReader(b)
	} else if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return nil, fmt.Errorf("read the token: %w", err)
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return nil, fmt.Errorf("read the token: %w", err)
		}
		if perm := st.Mode().Perm(); perm&0o077 != 0 || !st.Mode().IsRegular() {
			return nil, fmt.Errorf("token file %s must be a regular file readable only by its owner (mode %04o): chmod 600 %s", file, perm, file)
		}
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxTokenFile+1))
	if err != nil {
		return nil, fmt.Errorf("read the token: %w", err)
	}
	token := bytes.TrimSpace(b)
	switch {
	case len(b) > maxTokenFile:
		return nil, fmt.Errorf("the token is longer than %d bytes", maxTokenFile)
	case len(token) == 0:
		return nil, fmt.Errorf("the token is empty")
	case bytes.ContainsFunc(token, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return nil, fmt.Errorf("the token holds spaces or control characters: give the token alone")
	}
	return token, nil
}

func pushGroupCmd(stdio IO, push bool) *cobra.Command {
	use, short := "push-group APP_ID GROUP", "Push a group (by name or id) to the app's provisioning target"
	if !push {
		use, short = "unpush-group APP_ID GROUP", "Stop pushing a group (the target keeps what was pushed)"
	}
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withIdP(cmd, stdio, func(ctx context.Context, s store.IdP) error {
				a, err := s.App(ctx, args[0])
				if err != nil {
					return appErr(err, args[0])
				}
				g, err := findGroup(ctx, s, args[1])
				if err != nil {
					return err
				}
				if !push {
					if err := s.UnpushGroup(ctx, a.ID, g.ID); errs.Is(err, errs.NotFound) {
						return fmt.Errorf("%s does not push %s", a.Label, g.Name)
					} else if err != nil {
						return err
					}
					fmt.Fprintf(stdio.Out, "%s no longer pushes %s.\n", a.Label, g.Name)
					return nil
				}
				if _, err := s.PushGroup(ctx, a.ID, g.ID); err != nil {
					return err
				}
				fmt.Fprintf(stdio.Out, "%s pushes %s (%s); only members assigned to the app are pushed as members.\n", a.Label, g.Name, g.ID)
				return nil
			})
		},
	}
}

// findGroup finds a group by id, else by name.
func findGroup(ctx context.Context, s store.IdP, idOrName string) (directory.Group, error) {
	if directory.ValidID(idOrName) {
		g, err := s.Group(ctx, idOrName)
		if !errs.Is(err, errs.NotFound) {
			return g, err
		}
	}
	g, err := s.GroupByName(ctx, idOrName)
	if errs.Is(err, errs.NotFound) || errs.Is(err, errs.Invalid) {
		return g, fmt.Errorf("no group with id or name %q", idOrName)
	}
	return g, err
}

// appErr words a missing app for the operator.
func appErr(err error, id string) error {
	if errs.Is(err, errs.NotFound) {
		return fmt.Errorf("no app %q (keyward admin apps list shows them)", id)
	}
	return err
}
