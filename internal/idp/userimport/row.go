package userimport

import (
	"fmt"
	"sort"
	"strings"

	"github.com/keyward/keyward/internal/directory"
)

// Limits on one input.
const (
	MaxBytes       = 16 << 20 // the whole file
	MaxRows        = 100_000  // users
	MaxGroupsARow  = 100      // group names one user may list
	groupSeparator = ";"      // between group names (and array values) in a CSV cell
)

// Format is an input format.
type Format string

// The formats.
const (
	CSV  Format = "csv"
	JSON Format = "json"
)

// Row is one user of the input: the attributes it sets (empty values are
// left out: they leave the attribute alone) and the groups it joins.
type Row struct {
	Where       string // "line 7" (CSV, physical line) or "record 3" (JSON, array index)
	index       int    // position in the input, for ordering problems
	Login       string
	Profile     directory.Profile // includes login
	Attrs       []string          // attribute names set, in input order, login first
	Groups      []string          // group names, deduplicated case-insensitively
	Activate    bool
	Password    string
	HasPassword bool
	bad         bool // a problem was found parsing it; planning skips it
}

// Problem is one thing wrong with the input.
type Problem struct {
	Where   string // "line 7", "record 3", or "input"
	Field   string // the column or attribute, "row" for the whole row
	Message string
	index   int // -1 for the header or the whole input
}

func (p Problem) String() string { return p.Where + ": " + p.Field + ": " + p.Message }

// Problems are every problem found, in input order. Nothing is written
// while there is one.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

func (ps Problems) sorted() Problems {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].index < ps[j].index })
	return ps
}

// problems collects problems while reading.
type problems struct{ list Problems }

func (c *problems) row(r *Row, field, format string, args ...any) {
	r.bad = true
	c.list = append(c.list, Problem{Where: r.Where, Field: field, Message: fmt.Sprintf(format, args...), index: r.index})
}

func (c *problems) input(where, field, format string, args ...any) {
	c.list = append(c.list, Problem{Where: where, Field: field, Message: fmt.Sprintf(format, args...), index: -1})
}

// set records attribute name = v unless v is empty (which leaves the
// attribute alone).
func (r *Row) set(name string, v any) {
	if v == nil || v == "" {
		return
	}
	if r.Profile == nil {
		r.Profile = directory.Profile{}
	}
	r.Profile[name] = v
	r.Attrs = append(r.Attrs, name)
	if name == directory.AttrLogin {
		r.Login, _ = v.(string)
	}
}

// addGroups adds group names, trimmed, skipping blanks and repeats.
func (r *Row) addGroups(names []string) {
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" || containsFold(r.Groups, n) {
			continue
		}
		r.Groups = append(r.Groups, n)
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if directory.NormalizeGroupName(x) == directory.NormalizeGroupName(s) {
			return true
		}
	}
	return false
}

// check applies the rules one row can be held to on its own, and that no
// earlier row has the same login.
func (c *problems) check(r *Row, seen map[string]string) {
	if r.Login == "" {
		c.row(r, directory.AttrLogin, "The field cannot be left blank")
	} else if first, dup := seen[directory.NormalizeLogin(r.Login)]; dup {
		c.row(r, directory.AttrLogin, "%s is also on %s (logins are unique regardless of case)", r.Login, first)
	} else {
		seen[directory.NormalizeLogin(r.Login)] = r.Where
	}
	if len(r.Groups) > MaxGroupsARow {
		c.row(r, "groups", "at most %d groups", MaxGroupsARow)
	}
	for _, g := range r.Groups {
		if err := directory.ValidateGroup(directory.Group{Name: g}); err != nil {
			for _, cause := range directory.Causes(err) {
				c.row(r, "groups", "%q: %s", g, strings.TrimPrefix(cause, "name: "))
			}
		}
	}
}
