package userimport

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// Reader is what planning reads from the store.
type Reader interface {
	UserByLogin(ctx context.Context, login string) (directory.User, error)
	UserGroups(ctx context.Context, userID string) ([]directory.Group, error)
	GroupByName(ctx context.Context, name string) (directory.Group, error)
}

// Plan is what an import changes, row by row, in input order.
type Plan struct {
	// NewGroups are the groups to create (OKTA_GROUP), named as first
	// spelled in the input.
	NewGroups []string
	Steps     []Step
	groupIDs  map[string]string // normalized name → id, of the groups that exist
	schema    directory.Schema
}

// Step is one row's change.
type Step struct {
	Row Row
	// UserID is the existing user's id, or "" for a user to create.
	UserID string
	// Changed names the attributes an update changes, in input order.
	Changed []string
	// AddGroups are the groups the user joins.
	AddGroups []string
}

// Create reports whether the step creates its user.
func (s Step) Create() bool { return s.UserID == "" }

// Unchanged reports whether the step changes nothing.
func (s Step) Unchanged() bool { return !s.Create() && len(s.Changed) == 0 && len(s.AddGroups) == 0 }

// Counts sum up a plan or an import.
type Counts struct {
	Created, Updated, Memberships, Groups, Unchanged int
}

// Counts sums up the plan.
func (p *Plan) Counts() Counts {
	c := Counts{Groups: len(p.NewGroups)}
	for _, s := range p.Steps {
		switch {
		case s.Create():
			c.Created++
		case len(s.Changed) > 0:
			c.Updated++
		case s.Unchanged():
			c.Unchanged++
		}
		c.Memberships += len(s.AddGroups)
	}
	return c
}

// Lines are the plan as --dry-run prints it.
func (p *Plan) Lines() []string {
	var out []string
	for _, g := range p.NewGroups {
		out = append(out, "create group "+g)
	}
	for _, s := range p.Steps {
		switch {
		case s.Create():
			out = append(out, "create "+s.Row.Login)
		case len(s.Changed) > 0:
			out = append(out, fmt.Sprintf("update %s: %s", s.Row.Login, strings.Join(s.Changed, ", ")))
		}
		for _, g := range s.AddGroups {
			out = append(out, fmt.Sprintf("add %s to %s", s.Row.Login, g))
		}
	}
	return out
}

// NewPlan checks every row against the store, the schema and the password
// policy and works out what would change. Any problem comes back as
// Problems (with the rows' own problems, if any, from Parse) and no plan.
func NewPlan(ctx context.Context, s Reader, schema directory.Schema, policy directory.PasswordPolicy,
	rows []Row, parsed error) (*Plan, error) {
	var c problems
	if ps, ok := parsed.(Problems); ok {
		c.list = append(c.list, ps...)
	} else if parsed != nil {
		return nil, parsed
	}
	p := &Plan{groupIDs: map[string]string{}, schema: schema}
	builtIn, err := p.findGroups(ctx, s, rows)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		r := &rows[i]
		if r.bad {
			continue
		}
		step, err := p.step(ctx, s, r, policy, builtIn, &c)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.Where, err)
		}
		p.Steps = append(p.Steps, step)
	}
	if len(c.list) > 0 {
		return nil, c.list.sorted()
	}
	return p, nil
}

// findGroups looks up every group the rows name, noting those to create,
// and returns the normalized names of built-in groups.
func (p *Plan) findGroups(ctx context.Context, s Reader, rows []Row) (map[string]bool, error) {
	builtIn := map[string]bool{}
	for _, r := range rows {
		for _, name := range r.Groups {
			norm := directory.NormalizeGroupName(name)
			if _, ok := p.groupIDs[norm]; ok || builtIn[norm] || r.bad {
				continue
			}
			g, err := s.GroupByName(ctx, name)
			switch {
			case errs.Is(err, errs.NotFound):
				p.groupIDs[norm] = ""
				p.NewGroups = append(p.NewGroups, name)
			case err != nil:
				return nil, fmt.Errorf("group %q: %w", name, err)
			case g.Type != directory.OktaGroup:
				builtIn[norm] = true
			default:
				p.groupIDs[norm] = g.ID
			}
		}
	}
	return builtIn, nil
}

// step plans one row.
func (p *Plan) step(ctx context.Context, s Reader, r *Row, policy directory.PasswordPolicy,
	builtIn map[string]bool, c *problems) (Step, error) {
	for _, g := range r.Groups {
		if builtIn[directory.NormalizeGroupName(g)] {
			c.row(r, "groups", "%s is a built-in group; its members cannot be changed", g)
		}
	}
	u, err := s.UserByLogin(ctx, r.Login)
	if errs.Is(err, errs.NotFound) {
		p.checkNew(r, policy, c)
		return Step{Row: *r, AddGroups: r.Groups}, nil
	}
	if err != nil {
		return Step{}, err
	}
	step := Step{Row: *r, UserID: u.ID, Changed: changed(u.Profile, r)}
	if len(step.Changed) > 0 {
		p.validate(r, u.Profile.Merge(delta(r)), c)
	}
	step.AddGroups, err = missingGroups(ctx, s, u.ID, r.Groups)
	return step, err
}

// checkNew checks a new user's profile and password.
func (p *Plan) checkNew(r *Row, policy directory.PasswordPolicy, c *problems) {
	p.validate(r, r.Profile, c)
	if r.HasPassword {
		if err := policy.Check(r.Password, directory.User{Profile: r.Profile}); err != nil {
			report(r, err, c)
		}
	}
}

func (p *Plan) validate(r *Row, profile directory.Profile, c *problems) {
	if err := p.schema.Validate(profile); err != nil {
		report(r, err, c)
	}
}

// report adds a validation error's causes ("field: problem") to the row.
func report(r *Row, err error, c *problems) {
	causes := directory.Causes(err)
	if causes == nil {
		c.row(r, "row", "%v", err)
	}
	for _, cause := range causes {
		field, msg, _ := strings.Cut(cause, ": ")
		c.row(r, field, "%s", msg)
	}
}

// delta is what the row sets on an existing user: everything but the
// login, which only finds them (a login differing only in case is not a
// change).
func delta(r *Row) directory.Profile {
	d := r.Profile.Clone()
	delete(d, directory.AttrLogin)
	return d
}

// changed lists the row's attributes whose values differ from the user's.
func changed(have directory.Profile, r *Row) []string {
	var out []string
	for _, name := range r.Attrs {
		if name != directory.AttrLogin && !same(have[name], r.Profile[name]) {
			out = append(out, name)
		}
	}
	return out
}

// same compares attribute values as they are stored: as JSON (a number
// read from a file and one read back from the store differ in Go type).
func same(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

// missingGroups are the groups of names the user is not in yet.
func missingGroups(ctx context.Context, s Reader, userID string, names []string) ([]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	have, err := s.UserGroups(ctx, userID)
	if err != nil {
		return nil, err
	}
	in := map[string]bool{}
	for _, g := range have {
		in[directory.NormalizeGroupName(g.Name)] = true
	}
	var out []string
	for _, n := range names {
		if !in[directory.NormalizeGroupName(n)] {
			out = append(out, n)
		}
	}
	return out, nil
}
