package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/keyward/keyward/internal/app"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/idp/userimport"
	"github.com/keyward/keyward/internal/store"
)

// importActor is who the system log says made the import's changes.
const importActor = "keyward admin import"

func importCmd(stdio IO) *cobra.Command {
	var format string
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Create or update identity provider users and group memberships from a CSV or JSON file",
		Long: `Create or update identity provider users and their group memberships from FILE
(.csv or .json; - reads standard input and needs --format).

CSV: a header row names the columns: login (required), any Okta base profile
attribute (email, firstName, lastName, title, department, ...), any declared
custom attribute, groups (names separated by ;), activate (true or false,
default false) and password (optional). An empty cell leaves the attribute
alone. A custom array attribute's values are separated by ;.
JSON: an array of {"profile": {...}, "groups": ["Engineering"],
"activate": true, "password": "..."}.

A login that exists (compared regardless of case) updates only the attributes
the row gives and adds the listed groups; it never removes memberships, and
never changes an existing user's status or password (activate and password
apply only when the row creates the user). A new login creates the user:
STAGED, or with activate=true ACTIVE if it has a password and PROVISIONED if
not. Groups that do not exist are created (OKTA_GROUP). Passwords are checked
against the password policy, hashed with argon2id and never printed.

Every row is checked before anything is written: problems are printed as
"line N: field: problem" (CSV physical line) or "record N: field: problem"
(JSON array index, from 0) and the command exits 1 having changed nothing.
Running the same file again changes nothing and writes no event.
--dry-run prints the changes and writes nothing. At most 16 MiB and 100000
users a file. Changes are logged as the operator "keyward admin import".`,
		Example: `  keyward admin import people.csv --dry-run
  keyward admin import people.csv
  export-hr | keyward admin import - --format json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := importFormat(args[0], format)
			if err != nil {
				return err
			}
			in, err := openInput(args[0], stdio)
			if err != nil {
				return err
			}
			defer in.Close()
			return withIdPAs(cmd, stdio, importActor, func(ctx context.Context, s store.IdP) error {
				return runImport(ctx, s, in, f, dryRun, stdio)
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "csv or json (default: from FILE's extension; required for -)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print what would change and write nothing")
	return cmd
}

// importFormat is --format, else FILE's extension.
func importFormat(file, flag string) (userimport.Format, error) {
	switch strings.ToLower(flag) {
	case "csv":
		return userimport.CSV, nil
	case "json":
		return userimport.JSON, nil
	case "":
	default:
		return "", fmt.Errorf("--format %q: want csv or json", flag)
	}
	switch strings.ToLower(filepath.Ext(file)) {
	case ".csv":
		return userimport.CSV, nil
	case ".json":
		return userimport.JSON, nil
	}
	if file == "-" {
		return "", errors.New("reading standard input needs --format csv or --format json")
	}
	return "", fmt.Errorf("%s: name a .csv or .json file, or give --format", file)
}

func openInput(file string, stdio IO) (io.ReadCloser, error) {
	if file == "-" {
		return io.NopCloser(stdio.In), nil
	}
	return os.Open(file)
}

// maxProblemsShown bounds the problems printed for one file.
const maxProblemsShown = 1000

// errImportRefused is the command's error once it has printed the problems.
var errImportRefused = errors.New("nothing was imported")

func runImport(ctx context.Context, s store.IdP, in io.Reader, f userimport.Format, dryRun bool, stdio IO) error {
	start := time.Now()
	schema, err := s.Schema(ctx)
	if err != nil {
		return err
	}
	rows, perr := userimport.Parse(in, f, schema)
	plan, err := userimport.NewPlan(ctx, s, schema, directory.DefaultPasswordPolicy, rows, perr)
	var problems userimport.Problems
	if errors.As(err, &problems) {
		for i, p := range problems {
			if i == maxProblemsShown {
				fmt.Fprintf(stdio.Err, "... and %d more\n", len(problems)-i)
				break
			}
			fmt.Fprintln(stdio.Err, p.String())
		}
		return fmt.Errorf("%d problem(s): %w", len(problems), errImportRefused)
	}
	if err != nil {
		return err
	}
	if dryRun {
		return printPlan(stdio.Out, plan)
	}
	bar := newProgress(stdio.Err, len(plan.Steps))
	c, err := plan.Apply(ctx, s, userimport.Options{Hasher: app.NewHasher(nil, clock.Random),
		Now: func() time.Time { return time.Now().UTC() }, Progress: bar.update})
	bar.finish()
	if err != nil {
		return fmt.Errorf("%w (before it: %s)", err, summary(c))
	}
	elapsed := time.Since(start)
	fmt.Fprintf(stdio.Out, "imported: %s in %.1fs (%.0f users/s)\n", summary(c), elapsed.Seconds(),
		float64(len(plan.Steps))/elapsed.Seconds())
	return nil
}

func summary(c userimport.Counts) string {
	return fmt.Sprintf("%d created, %d updated, %d memberships added, %d groups created, %d unchanged",
		c.Created, c.Updated, c.Memberships, c.Groups, c.Unchanged)
}

func printPlan(w io.Writer, p *userimport.Plan) error {
	for _, line := range p.Lines() {
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	c := p.Counts()
	_, err := fmt.Fprintf(w, "%d to create, %d to update, %d memberships to add, %d groups to create, %d unchanged\n",
		c.Created, c.Updated, c.Memberships, c.Groups, c.Unchanged)
	return err
}

// progress draws a one-line bar on a terminal, at most ten times a second;
// elsewhere it draws nothing.
type progress struct {
	w     io.Writer // nil when not a terminal
	total int
	last  time.Time
	done  int
}

func newProgress(w io.Writer, total int) *progress {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return &progress{w: w, total: total}
	}
	return &progress{total: total}
}

const barWidth = 30

func (p *progress) update(done int) {
	p.done = done
	if p.w == nil || (time.Since(p.last) < 100*time.Millisecond && done < p.total) {
		return
	}
	p.last = time.Now()
	fmt.Fprint(p.w, "\r"+bar(done, p.total))
}

// bar is "[=====>    ] 12000/50000 users".
func bar(done, total int) string {
	filled := barWidth
	if total > 0 {
		filled = done * barWidth / total
	}
	b := strings.Repeat("=", filled)
	if filled < barWidth {
		b += ">" + strings.Repeat(" ", barWidth-filled-1)
	}
	return fmt.Sprintf("[%s] %d/%d users", b, done, total)
}

func (p *progress) finish() {
	if p.w != nil && p.done > 0 {
		fmt.Fprintln(p.w)
	}
}
