package cli

import (
	"context"
	"fmt"
	"os/exec"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/spf13/cobra"

	"github.com/keyward/keyward/internal/cred/awsenv"
	"github.com/keyward/keyward/internal/cred/browser"
	"github.com/keyward/keyward/internal/cred/console"
	"github.com/keyward/keyward/internal/cred/output"
)

func consoleCmd(stdio IO) *cobra.Command {
	var f credFlags
	var print bool
	var isolation, browserCmd, region string
	cmd := &cobra.Command{
		Use:   "console PROFILE",
		Short: "Open the AWS management console as a profile's role",
		Long: `Sign the profile's role in to the AWS management console through the federation endpoint
(getSigninToken) and open it. --print prints the one-time sign-in URL instead. --isolation chromium
gives each profile its own browser profile (so several consoles stay open side by side);
--isolation firefox-container opens each in its own Firefox container.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, c, err := profileCredentials(cmd, stdio, &f, args[0])
			if err != nil {
				return err
			}
			if region == "" {
				region = c.Region
			}
			u, err := console.URL(cmd.Context(), c, region)
			if err != nil {
				return err
			}
			if print {
				_, err = fmt.Fprintln(stdio.Out, u)
				return err
			}
			argv, err := console.Command(console.Isolation(isolation), browserCmd, args[0], u, e.vaultDir)
			if err != nil {
				return err
			}
			if argv == nil {
				return browser.System().Open(u)
			}
			return exec.Command(argv[0], argv[1:]...).Start()
		},
		ValidArgsFunction: completeProfiles(stdio),
	}
	cmd.Flags().BoolVar(&print, "print", false, "print the sign-in URL instead of opening it")
	cmd.Flags().StringVar(&isolation, "isolation", "", "open apart from other consoles: chromium or firefox-container")
	cmd.Flags().StringVar(&browserCmd, "browser", "chromium", "the browser command --isolation runs")
	cmd.Flags().StringVar(&region, "region", "", "the console region to land in (default: the profile's)")
	f.add(cmd)
	return cmd
}

func whoamiCmd(stdio IO) *cobra.Command {
	var f credFlags
	cmd := &cobra.Command{
		Use:   "whoami PROFILE",
		Short: "Print who a profile's credentials are (STS GetCallerIdentity)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, c, err := profileCredentials(cmd, stdio, &f, args[0])
			if err != nil {
				return err
			}
			who, err := callerIdentity(cmd.Context(), c)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdio.Out, "Account: %s\nARN:     %s\nUserId:  %s\n", aws.ToString(who.Account),
				aws.ToString(who.Arn), aws.ToString(who.UserId))
			if !c.Expiration.IsZero() {
				fmt.Fprintf(stdio.Out, "Expires: %s\n", c.Expiration.Local().Format("2006-01-02 15:04:05 MST"))
			}
			return nil
		},
		ValidArgsFunction: completeProfiles(stdio),
	}
	f.add(cmd)
	return cmd
}

func callerIdentity(ctx context.Context, c output.Credentials) (*sts.GetCallerIdentityOutput, error) {
	region := c.Region
	if region == "" {
		region = "us-east-1"
	}
	creds := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}, nil
	})
	return sts.NewFromConfig(awsenv.Config("STS", region, creds)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
}
