package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/keyward/keyward/internal/config"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// sourceProvisioningCmd turns Identity Center's automatic provisioning (its SCIM
// endpoint) on and off, as the console's "Enable" and "Disable" do.
func sourceProvisioningCmd(stdio IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "provisioning on|off",
		Short: "Turn automatic provisioning (the SCIM endpoint) on or off",
		Long: `Turn automatic provisioning on: the identity provider may then create and update
users and groups through the SCIM endpoint. Turning it on prints the endpoint and a
first access token, once, as AWS's console does; more tokens (at most two live) come
from keyward admin scim-token create. Turning it off deletes every SCIM token, so the
endpoint refuses every call; users and groups stay. Provisioning needs an external
identity provider (keyward admin identity-source set-external).`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{"on", "off"},
		RunE: func(cmd *cobra.Command, args []string) error {
			on := args[0] == "on"
			if !on && args[0] != "off" {
				return fmt.Errorf("say on or off, not %q", args[0])
			}
			cfg, err := config.Load(cmd.Flags(), stdio.Getenv)
			if err != nil {
				return err
			}
			return withAWS(cmd, stdio, func(ctx context.Context, s store.AWS) error {
				return setProvisioning(ctx, s, on, awsURL(cfg), stdio)
			})
		},
	}
	return cmd
}

// setProvisioning stores the setting and, turning it on with no live
// token, makes the first one; turning it off deletes every token.
func setProvisioning(ctx context.Context, s store.AWS, on bool, public string, stdio IO) error {
	_, err := s.UpdateIdentitySource(ctx, func(src ic.IdentitySource) (ic.IdentitySource, error) {
		if on && !src.External() {
			return src, errors.New("the identity source is Identity Center's own directory; provisioning needs an external identity provider " +
				"(keyward admin identity-source set-external)")
		}
		src.Provisioning = on
		return src, nil
	})
	if err != nil {
		return err
	}
	if !on {
		fmt.Fprintln(stdio.Out, "Automatic provisioning is off; every SCIM token is deleted.")
		return s.DeleteSCIMTokens(ctx)
	}
	tokens, err := s.SCIMTokens(ctx)
	if err != nil {
		return err
	}
	if live := liveTokens(tokens); live > 0 {
		fmt.Fprintf(stdio.Out, "Automatic provisioning is on; %d SCIM token(s) already live (keyward admin scim-token list).\n", live)
		return nil
	}
	return newSCIMToken(ctx, s, public, stdio)
}

// liveTokens counts the tokens that have not expired.
func liveTokens(tokens []ic.SCIMToken) int {
	n, now := 0, time.Now()
	for _, t := range tokens {
		if now.Before(t.ExpiresAt) {
			n++
		}
	}
	return n
}
