package cli

import (
	"errors"
	"fmt"
	"sort"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/keyward/keyward/internal/cred/awsconfig"
	"github.com/keyward/keyward/internal/cred/provider"
	"github.com/keyward/keyward/internal/cred/sso"
)

func profilesCmd(stdio IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "profiles",
		Short: "Write and list the AWS config profiles of the roles you may take",
	}
	cmd.AddCommand(profilesSyncCmd(stdio), profilesListCmd(stdio))
	return cmd
}

type syncOptions struct {
	credFlags
	okta                             oktaFlags
	session, template, style, region string
	prune, dryRun                    bool
}

func profilesSyncCmd(stdio IO) *cobra.Command {
	var o syncOptions
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Write one profile per account and role you may take into ~/.aws/config",
		Long: `Ask the access portal which accounts and roles the sign-in may take and write one profile for each
into ~/.aws/config, named by --template (Go template over .AccountName, .AccountID, .RoleName, .Region).
Profiles keyward wrote carry keyward_source; the others are yours and are never touched, and a name
that is already one of yours is reported, not overwritten. --prune removes keyward's profiles for roles
you no longer have; --dry-run prints the changes and writes nothing.

--style sso (the default) writes the AWS CLI's own keys (sso_session, sso_account_id, sso_role_name),
which every SDK understands and which keyward reads too; --style process writes
credential_process = keyward credentials NAME, for tools that only read credential_process.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, err := openCred(cmd.Context(), stdio, &o.credFlags)
			if err != nil {
				return err
			}
			return e.syncProfiles(cmd, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.session, "sso-session", "", "the sign-in whose roles to write (default: the only one)")
	f.StringVar(&o.template, "template", awsconfig.DefaultTemplate, "how to name each profile")
	f.StringVar(&o.style, "style", "sso", "sso or process")
	f.StringVar(&o.region, "region", "", "every profile's region (default: the sign-in's region)")
	f.BoolVar(&o.prune, "prune", false, "remove keyward's profiles for roles you no longer have")
	f.BoolVar(&o.dryRun, "dry-run", false, "print what would change and write nothing")
	o.okta.add(cmd, false)
	o.credFlags.add(cmd)
	return cmd
}

func (e *credEnv) syncProfiles(cmd *cobra.Command, o syncOptions) error {
	if o.style != "sso" && o.style != "process" {
		return fmt.Errorf("unknown --style %q: use sso or process", o.style)
	}
	namer, err := awsconfig.NewNamer(o.template)
	if err != nil {
		return err
	}
	var src awsconfig.Source
	var want []awsconfig.Role
	process := o.style == "process"
	if o.okta.session != "" {
		src, want, err = e.syncOktaRoles(cmd, o.okta.session, o.region, namer)
		process = true
	} else {
		src, want, err = e.syncSSORoles(cmd, o, namer)
	}
	if err != nil {
		return err
	}
	plan, err := awsconfig.PlanSync(e.shared.Config, src, want, awsconfig.SyncOptions{Template: o.template, Prune: o.prune})
	if err != nil {
		return err
	}
	if process {
		// A name PlanSync changed (two roles named alike) must be the
		// one credential_process names.
		for _, list := range [][]awsconfig.Change{plan.Add, plan.Update} {
			for _, c := range list {
				for i := range c.Keys {
					if c.Keys[i].Key == "credential_process" {
						c.Keys[i].Value = processCommand(c.Name)
					}
				}
			}
		}
	}
	for _, c := range plan.Conflicts {
		owner := "yours"
		if c.Owner != "" {
			owner = c.Owner + "'s"
		}
		fmt.Fprintf(e.stdio.Err, "Left alone: profile %s is %s; role %s in %s (%s) gets no profile. "+
			"Rename yours, or pass another --template.\n", c.Name, owner, c.Role.RoleName, c.Role.AccountName, c.Role.AccountID)
	}
	if plan.Empty() {
		fmt.Fprintf(e.stdio.Err, "The profiles of %s are up to date (%d roles).\n", src.Name, len(want))
		return nil
	}
	fmt.Fprint(e.stdio.Out, plan.Diff())
	if o.dryRun {
		fmt.Fprintln(e.stdio.Err, "Dry run: nothing was written.")
		return nil
	}
	plan.Apply(e.shared.Config)
	if err := e.shared.Config.Save(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdio.Err, "Wrote %s: %d added, %d updated, %d removed.\n", e.paths.Config,
		len(plan.Add), len(plan.Update), len(plan.Remove))
	return nil
}

// syncSSORoles lists an Identity Center sign-in's roles as profiles to sync.
func (e *credEnv) syncSSORoles(cmd *cobra.Command, o syncOptions, namer *awsconfig.Namer) (awsconfig.Source, []awsconfig.Role, error) {
	name, err := e.pickSession(o.session)
	if err != nil {
		return awsconfig.Source{}, nil, err
	}
	src, err := e.resolver.Source(name)
	if err != nil {
		return awsconfig.Source{}, nil, err
	}
	client := sso.New(src, e.keep)
	client.AWSCacheDir = e.resolver.AWSCacheDir
	roles, err := client.Roles(cmd.Context())
	if err != nil {
		return awsconfig.Source{}, nil, err
	}
	region := o.region
	if region == "" {
		region = src.Region
	}
	want := make([]awsconfig.Role, len(roles))
	for i, r := range roles {
		want[i] = awsconfig.Role{AccountID: r.AccountID, AccountName: r.AccountName, RoleName: r.RoleName, Region: region}
		profile, err := namer.Name(want[i])
		if err != nil {
			return awsconfig.Source{}, nil, err
		}
		want[i].Keys = profileKeys(o.style, name, profile, r, region)
	}
	return awsconfig.Source{Name: "sso-session " + name, SessionName: name, DefaultRegion: region}, want, nil
}

// profileKeys are the keys of a synced profile in style.
func profileKeys(style, session, profile string, r sso.Role, region string) []awsconfig.KV {
	if style == "process" {
		return []awsconfig.KV{{Key: "credential_process", Value: processCommand(profile)}, {Key: "keyward_sso_session", Value: session},
			{Key: "keyward_account_id", Value: r.AccountID}, {Key: "keyward_role_name", Value: r.RoleName},
			{Key: "region", Value: region}}
	}
	return []awsconfig.KV{{Key: "sso_session", Value: session}, {Key: "sso_account_id", Value: r.AccountID},
		{Key: "sso_role_name", Value: r.RoleName}, {Key: "region", Value: region}}
}

func profilesListCmd(stdio IO) *cobra.Command {
	var f credFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the profiles in ~/.aws/config and where their credentials come from",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, err := openCred(cmd.Context(), stdio, &f)
			if err != nil {
				return err
			}
			names := e.shared.Config.Profiles()
			if len(names) == 0 {
				return errors.New("there are no profiles yet: run `keyward profiles sync`")
			}
			sort.Strings(names)
			w := tabwriter.NewWriter(stdio.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "PROFILE\tSOURCE\tACCOUNT\tROLE\tREGION")
			for _, n := range names {
				v, _ := sharedConfig{e.shared.Config}.Profile(n)
				_, account, role := provider.SSOProfile(v)
				if role == "" {
					role = v["role_arn"]
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", n, profileSource(n, v), dash(account), dash(role), dash(v["region"]))
			}
			return w.Flush()
		},
	}
	f.add(cmd)
	return cmd
}

// profileSource says where a profile's credentials come from. A profile
// whose credential_process is keyward's own for it, as `keyward add`
// writes, holds IAM user keys in the vault.
func profileSource(name string, v map[string]string) string {
	session, _, _ := provider.SSOProfile(v)
	switch {
	case session != "":
		return "sso-session " + session
	case v["keyward_okta_session"] != "":
		return oktaKind + " " + v["keyward_okta_session"]
	case v["role_arn"] != "":
		return "role via " + dash(v["source_profile"])
	case v["credential_process"] != "" && v["credential_process"] != processCommand(name):
		return "process"
	}
	return "IAM user keys"
}

// processCommand is the credential_process of profile.
func processCommand(profile string) string { return "keyward credentials " + shellWord(profile) }
