package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/config"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/idp/awsroles"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
)

// awsFederationFlags are Okta's settings of the AWS Account Federation app,
// one flag each.
var awsFederationFlags = []struct{ flag, key, usage string }{
	{"identity-provider-arn", directory.AWSFedIdentityProviderARN, "the IAM SAML provider's ARN (arn:aws:iam::<account>:saml-provider/<name>)"},
	{"session-duration", directory.AWSFedSessionDuration, "seconds, 900 to 43200, within every mapped role's MaxSessionDuration"},
	{"role-value-pattern", directory.AWSFedRoleValuePattern, "the Role value, with ${accountid} and ${role}"},
	{"group-filter", directory.AWSFedGroupFilter, "which groups map to roles, Okta's syntax: aws-(?{{role}}\\w+)"},
	{"use-group-mapping", directory.AWSFedUseGroupMapping, "true: groups name the account too ((?{{accountid}}...))"},
	{"join-all-roles", directory.AWSFedJoinAllRoles, "true or false (Okta's Join all roles)"},
	{"login-url", directory.AWSFedLoginURL, "where the assertion is posted: https://signin.aws.amazon.com/saml, or keyward's <AWS URL>/saml"},
	{"environment", directory.AWSFedEnvironmentType, "aws.amazon, aws.cn or aws.us-gov"},
	{"access-key", directory.AWSFedAccessKey, "the API integration's IAM access key id (with --secret-key-file)"},
}

func awsFederationCmd(stdio IO) *cobra.Command {
	values := make([]string, len(awsFederationFlags))
	var secretFile string
	cmd := &cobra.Command{
		Use:   "aws-federation APP_ID [flags]",
		Short: "Set an AWS Account Federation (amazon_aws) app's settings",
		Long: `Set the settings of an AWS Account Federation app, as Okta's admin console does; the
flags given change, the others stay. With an access key (the API integration), keyward
lists the account's roles and refuses a session duration longer than a mapped role's
MaxSessionDuration. The secret key is read from a file only its owner can read (or
standard input with -), stored sealed with the master key and never printed.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withIdP(cmd, stdio, func(ctx context.Context, s store.IdP) error {
				changes := map[string]string{}
				for i, f := range awsFederationFlags {
					if cmd.Flags().Changed(f.flag) {
						changes[f.key] = values[i]
					}
				}
				a, err := setAWSFederation(ctx, cmd, stdio, s, args[0], changes, secretFile)
				if err != nil {
					return err
				}
				fmt.Fprintf(stdio.Out, "%s (%s) signs in to AWS through %s for %s seconds.\n", a.Label, a.ID, a.SAML.ACSURL,
					strconv.Itoa(sessionSeconds(a)))
				return nil
			})
		},
	}
	for i, f := range awsFederationFlags {
		cmd.Flags().StringVar(&values[i], f.flag, "", f.usage)
	}
	cmd.Flags().StringVar(&secretFile, "secret-key-file", "", "file holding the API integration's secret access key (mode 0600), or -")
	return cmd
}

// sessionSeconds is the app's sessionDuration.
func sessionSeconds(a directory.App) int {
	f, _ := directory.ReadAWSFederation(a.Settings)
	return f.SessionDuration
}

// setAWSFederation applies changes (and the secret, when given) to the app,
// checks the result against its roles, and stores it.
func setAWSFederation(ctx context.Context, cmd *cobra.Command, stdio IO, s store.IdP, id string, changes map[string]string, secretFile string) (directory.App, error) {
	cur, err := s.App(ctx, id)
	if err != nil {
		return directory.App{}, appErr(err, id)
	}
	if cur.Name != directory.AWSAccountFederationApp {
		return directory.App{}, fmt.Errorf("%s is a %s app, not an AWS Account Federation (%s) app", id, cur.Name, directory.AWSAccountFederationApp)
	}
	checker, err := awsRolesChecker(cmd, stdio, s)
	if err != nil {
		return directory.App{}, err
	}
	next := map[string]string{}
	for k, v := range cur.Settings {
		next[k] = v
	}
	for k, v := range changes {
		next[k] = v
	}
	if secretFile != "" {
		secret, err := readToken(stdio, secretFile)
		if err != nil {
			return directory.App{}, fmt.Errorf("the secret key: %w", err)
		}
		next[directory.SealedSecretSetting] = checker.SealSecret(string(secret))
	} else if changes[directory.AWSFedAccessKey] != "" && changes[directory.AWSFedAccessKey] != cur.Settings[directory.AWSFedAccessKey] {
		return directory.App{}, fmt.Errorf("a new --access-key needs its --secret-key-file")
	}
	f, causes := directory.ReadAWSFederation(next)
	if len(causes) > 0 {
		return directory.App{}, fmt.Errorf("%s", strings.Join(causes, "\n"))
	}
	candidate := cur
	candidate.Settings = next
	if err := checker.Check(ctx, candidate); err != nil {
		return directory.App{}, fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "Api validation failed: "))
	}
	return s.UpdateApp(ctx, id, "application.lifecycle.update", func(a directory.App) (directory.App, error) {
		extra := a.SAML.Attributes
		a.Settings = next
		a.SAML = f.SAMLWith(extra).WithDefaults()
		return a, nil
	})
}

// awsRolesChecker is the API integration, its secrets sealed with this
// data directory's master key.
func awsRolesChecker(cmd *cobra.Command, stdio IO, s store.IdP) (*awsroles.Checker, error) {
	cfg, err := config.Load(cmd.Flags(), stdio.Getenv)
	if err != nil {
		return nil, err
	}
	master, err := keys.Load(cfg.MasterKeyPath())
	if err != nil {
		return nil, fmt.Errorf("the master key seals the secret key: %w", err)
	}
	return awsroles.New(master, clock.Random, s, nil)
}
