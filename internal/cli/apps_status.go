package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/config"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/idp/oktaapi"
	"github.com/keyward/keyward/internal/idp/scimclient"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
)

// ExitDrift is the exit code of `keyward admin apps drift` when the target
// differs from the identity provider (1 stays "could not check").
const ExitDrift = 3

func appsStatusCmd(stdio IO) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status [APP_ID]",
		Short: "Show each app's provisioning: on or off, last push, pending items and failures",
		Long: `Show the SCIM provisioning of one app, or of every app with a provisioning target:
whether it is on, when an item was last pushed, how many items are pending and
each failed item with the target's message. A failure marked "retry <time>" is
retried with backoff; one marked "permanent" waits until the object changes or
a resync. --json prints the same as GET /api/v1/apps/{id}/provisioning.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withIdP(cmd, stdio, func(ctx context.Context, s store.IdP) error {
				var sts []scimclient.AppStatus
				if len(args) == 1 {
					st, err := scimclient.Status(ctx, s, s, args[0])
					if err != nil {
						return appErr(err, args[0])
					}
					sts = []scimclient.AppStatus{st}
				} else {
					var err error
					if sts, err = scimclient.Statuses(ctx, s, s); err != nil {
						return err
					}
				}
				if asJSON {
					return writeStatusJSON(stdio.Out, sts, len(args) == 1)
				}
				return writeStatus(ctx, stdio.Out, s, sts)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (an object for one app, an array for all)")
	return cmd
}

func writeStatusJSON(w io.Writer, sts []scimclient.AppStatus, one bool) error {
	all := make([]oktaapi.ProvisioningStatus, 0, len(sts))
	for _, st := range sts {
		all = append(all, oktaapi.NewProvisioningStatus(st))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if one {
		return enc.Encode(all[0])
	}
	return enc.Encode(all)
}

// writeStatus prints one line per app, then each app's failures.
func writeStatus(ctx context.Context, out io.Writer, s store.IdP, sts []scimclient.AppStatus) error {
	if len(sts) == 0 {
		fmt.Fprintln(out, "No app has a provisioning target (keyward admin apps provisioning sets one).")
		return nil
	}
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tLABEL\tPROVISIONING\tLAST PUSH\tPENDING\tFAILURES\tTARGET")
	for _, st := range sts {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%d\t%s\n", st.AppID, st.Label, onOff(st), when(st.LastPush, "never"),
			st.Pending, len(st.Failures), st.Target)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	for _, st := range sts {
		if len(st.Failures) == 0 {
			continue
		}
		fmt.Fprintf(out, "\nFailures of %s (%s):\n", st.Label, st.AppID)
		w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "KIND\tOBJECT\tNAME\tATTEMPTS\tRETRY\tMESSAGE")
		for _, f := range st.Failures {
			retry := "permanent"
			if !f.Permanent {
				retry = when(f.NextAttempt, "now")
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\t%s\n", f.Kind, f.ObjectID, objectName(ctx, s, f.Kind, f.ObjectID),
				f.Attempts, retry, oneLine(f.Message))
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return nil
}

func onOff(st scimclient.AppStatus) string {
	switch {
	case !st.Enabled:
		return "off"
	case !st.Started:
		return "on (starting)"
	}
	return "on"
}

func when(t time.Time, zero string) string {
	if t.IsZero() {
		return zero
	}
	return t.UTC().Format(time.RFC3339)
}

// objectName is a user's login or a group's name; "(deleted)" when the
// directory no longer has it (its removal is what is being pushed).
func objectName(ctx context.Context, s store.IdP, kind, id string) string {
	var name string
	var err error
	if kind == store.ProvisionGroup {
		var g directory.Group
		g, err = s.Group(ctx, id)
		name = g.Name
	} else {
		var u directory.User
		u, err = s.User(ctx, id)
		name = u.Login()
	}
	switch {
	case errs.Is(err, errs.NotFound):
		return "(deleted)"
	case err != nil:
		return "?"
	}
	return name
}

// oneLine keeps a target's message on one table row.
func oneLine(s string) string {
	b := []rune(s)
	for i, r := range b {
		if r < ' ' || r == 0x7f {
			b[i] = ' '
		}
	}
	return string(b)
}

func appsResyncCmd(stdio IO) *cobra.Command {
	return &cobra.Command{
		Use:   "resync APP_ID",
		Short: "Push every assigned user and pushed group again, reading memberships back from the target",
		Long: `Queue every user assigned to the app and every group it pushes (and everything it
ever pushed, so what should go is removed) for a push, reading each group's
memberships back from the target first: a resync repairs what drift reports.
The running server pushes them within a second or two.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withIdP(cmd, stdio, func(ctx context.Context, s store.IdP) error {
				a, err := s.App(ctx, args[0])
				if err != nil {
					return appErr(err, args[0])
				}
				eng := scimclient.NewEngine(scimclient.Config{Apps: s, Directory: s, State: s})
				if err := eng.Resync(ctx, a.ID); errs.Is(err, errs.NotFound) {
					return fmt.Errorf("%s has not started provisioning: turn it on with keyward admin apps provisioning", a.Label)
				} else if err != nil {
					return err
				}
				fmt.Fprintf(stdio.Out, "Resync of %s (%s) queued; keyward admin apps status shows its progress.\n", a.Label, a.ID)
				return nil
			})
		},
	}
}

func appsDriftCmd(stdio IO) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "drift APP_ID",
		Short: "List every difference between the identity provider and the app's SCIM target, changing nothing",
		Long: fmt.Sprintf(`Read the app's SCIM target (its users, groups and the memberships that should
exist or were pushed) and list every difference from what the identity provider
says it should hold. Nothing is changed: keyward admin apps resync repairs it.
Exit status: 0 when there is no difference, %d when there are differences,
1 when the check could not run (the target was unreachable, say).`, ExitDrift),
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			open, err := tokenOpener(cmd, stdio)
			if err != nil {
				return err
			}
			return withIdP(cmd, stdio, func(ctx context.Context, s store.IdP) error {
				a, err := s.App(ctx, args[0])
				if err != nil {
					return appErr(err, args[0])
				}
				if !a.Provisioning.Enabled {
					return fmt.Errorf("%s has no provisioning target", a.Label)
				}
				eng := scimclient.NewEngine(scimclient.Config{Apps: s, Directory: s, State: s, Token: open})
				diffs, err := eng.Drift(ctx, a.ID)
				if err != nil {
					return err
				}
				if err := writeDrift(stdio.Out, diffs, asJSON); err != nil {
					return err
				}
				if len(diffs) > 0 {
					return exitError{code: ExitDrift, err: fmt.Errorf("%d differences between the identity provider and %s's target", len(diffs), a.Label)}
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the differences as a JSON array")
	return cmd
}

// tokenOpener opens apps' sealed SCIM tokens with the master key, as the
// server does.
func tokenOpener(cmd *cobra.Command, stdio IO) (func(directory.App) (string, error), error) {
	cfg, err := config.Load(cmd.Flags(), stdio.Getenv)
	if err != nil {
		return nil, err
	}
	master, err := keys.Load(cfg.MasterKeyPath())
	if err != nil {
		return nil, fmt.Errorf("the master key opens the SCIM token: %w", err)
	}
	sealer, err := keys.NewSealer(master, directory.ProvisioningTokenPurpose, clock.Random)
	if err != nil {
		return nil, err
	}
	return func(a directory.App) (string, error) {
		b, err := sealer.Open(a.Provisioning.SealedToken, []byte(a.ID))
		return string(b), err
	}, nil
}

type driftJSON struct {
	Kind       string `json:"kind"`
	Problem    string `json:"problem"`
	ID         string `json:"id,omitempty"`
	TargetID   string `json:"targetId,omitempty"`
	Name       string `json:"name,omitempty"`
	Attribute  string `json:"attribute,omitempty"`
	Want       string `json:"want,omitempty"`
	Got        string `json:"got,omitempty"`
	MemberID   string `json:"memberId,omitempty"`
	MemberName string `json:"memberName,omitempty"`
}

func writeDrift(out io.Writer, diffs []scimclient.Difference, asJSON bool) error {
	if asJSON {
		all := make([]driftJSON, 0, len(diffs))
		for _, d := range diffs {
			all = append(all, driftJSON(d))
		}
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(all)
	}
	if len(diffs) == 0 {
		fmt.Fprintln(out, "No drift: the target holds what the identity provider says it should.")
		return nil
	}
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "KIND\tNAME\tPROBLEM\tDETAIL\tID\tTARGET ID")
	for _, d := range diffs {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", d.Kind, oneLine(d.Name), d.Problem, detail(d), dash(d.ID), dash(d.TargetID))
	}
	return w.Flush()
}

// detail says what differs: an attribute's values or a member.
func detail(d scimclient.Difference) string {
	switch {
	case d.Attribute != "":
		return fmt.Sprintf("%s: want %q, got %q", d.Attribute, d.Want, d.Got)
	case d.MemberName != "" || d.MemberID != "":
		return "member " + oneLine(d.MemberName) + " (" + d.MemberID + ")"
	}
	return "-"
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
