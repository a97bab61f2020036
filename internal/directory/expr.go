package directory

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Okta's search and filter expression language (okta-api.md §11), a subset of
// the SCIM filter syntax of RFC 7644 §3.4.2.2:
//
//	attrPath op "value" | attrPath pr | expr and expr | expr or expr | ( expr )
//
// Operators and the words and, or are case-insensitive; attribute paths are
// case-sensitive dotted names. "and" binds tighter than "or"; "not" and value
// filters ("[ ]") are not supported. A value is a double-quoted string in which
// \" and \\ are the only escapes, or a bare true, false or integer.

// Limits on an expression; Parse refuses anything beyond them.
const (
	MaxExprBytes       = 4096 // length of the expression text
	MaxExprDepth       = 32   // nesting of parentheses
	MaxExprComparisons = 64   // comparisons (attrPath op value) in one expression
)

// Kind is the type of an attribute, which decides how its values compare.
type Kind int

const (
	// KindString values compare as text, ignoring case (Unicode simple case
	// folding; diacritics count). Ordering is by code point of the folded text,
	// in which ASCII letters fold to upper case, so enumerations such as status
	// order as their upper-case names do.
	KindString Kind = iota
	// KindTime values are RFC 3339 times (fractional seconds optional) and
	// compare as instants. The literal must be one; a record value that is not
	// one matches no operator but pr.
	KindTime
)

// Comparison is a comparison operator, in lower case.
type Comparison string

// The operators.
const (
	CmpEq Comparison = "eq" // equal
	CmpNe Comparison = "ne" // not equal
	CmpGt Comparison = "gt" // greater than
	CmpGe Comparison = "ge" // greater than or equal
	CmpLt Comparison = "lt" // less than
	CmpLe Comparison = "le" // less than or equal
	CmpSw Comparison = "sw" // starts with
	CmpCo Comparison = "co" // contains
	CmpPr Comparison = "pr" // present: has a non-empty value; takes no value
)

var allOps = []Comparison{CmpEq, CmpNe, CmpGt, CmpGe, CmpLt, CmpLe, CmpSw, CmpCo, CmpPr}

// Grammar says which attributes and operators an expression may use.
type Grammar struct {
	// Attr reports the kind of an attribute path, or false when the path may
	// not be used. A nil Attr refuses every path.
	Attr func(path string) (Kind, bool)
	// Ops lists the operators allowed per kind; an operator missing is refused.
	Ops map[Kind][]Comparison
	// Contains, when set, limits co to the paths it accepts (co must also be
	// listed in Ops for the kind).
	Contains func(path string) bool
}

// Record is what an expression is matched against.
type Record interface {
	// Value returns the value of an attribute path; false when the attribute
	// is absent or null.
	Value(path string) (string, bool)
}

// MultiRecord is a Record with multi-valued attributes (such as a log event's
// target.id). When a record implements it, Values is used instead of Value,
// an empty result meaning absent.
type MultiRecord interface {
	Values(path string) []string
}

// Expr is a parsed expression. The zero Expr matches every record.
type Expr struct {
	root node
}

// Match reports whether r satisfies the expression.
//
// A comparison on a multi-valued attribute matches when any value matches,
// except ne, which matches when no value equals the literal. As in SCIM, an
// absent attribute matches ne and nothing else. A bare integer literal
// compares numerically with a record value that is also an integer, and as
// text otherwise.
func (e Expr) Match(r Record) bool {
	if e.root == nil {
		return true
	}
	return e.root.match(r)
}

// String returns the expression in canonical form: lower-case operators, single
// spaces, and parentheses only where precedence needs them.
func (e Expr) String() string {
	if e.root == nil {
		return ""
	}
	var b strings.Builder
	e.root.format(&b, false)
	return b.String()
}

type node interface {
	match(r Record) bool
	format(b *strings.Builder, inAnd bool)
}

type orNode []node
type andNode []node

func (n orNode) match(r Record) bool {
	return slices.ContainsFunc(n, func(c node) bool { return c.match(r) })
}

func (n andNode) match(r Record) bool {
	for _, c := range n {
		if !c.match(r) {
			return false
		}
	}
	return true
}

func (n orNode) format(b *strings.Builder, inAnd bool) {
	if inAnd {
		b.WriteByte('(')
	}
	for i, c := range n {
		if i > 0 {
			b.WriteString(" or ")
		}
		c.format(b, false)
	}
	if inAnd {
		b.WriteByte(')')
	}
}

func (n andNode) format(b *strings.Builder, _ bool) {
	for i, c := range n {
		if i > 0 {
			b.WriteString(" and ")
		}
		c.format(b, true)
	}
}

// comparison is one attrPath op value.
type comparison struct {
	path   string
	op     Comparison
	kind   Kind
	text   string    // the literal as written (unescaped)
	bare   bool      // the literal was a bare true, false or integer
	folded string    // text, case-folded (KindString)
	num    int64     // the literal as an integer, when numeric
	isNum  bool      // bare and an integer
	when   time.Time // the literal as a time (KindTime)
}

func (c *comparison) format(b *strings.Builder, _ bool) {
	b.WriteString(c.path)
	b.WriteByte(' ')
	b.WriteString(string(c.op))
	if c.op == CmpPr {
		return
	}
	b.WriteByte(' ')
	b.WriteString(c.literal())
}

func (c *comparison) match(r Record) bool {
	values := valuesOf(r, c.path)
	switch c.op {
	case CmpPr:
		return slices.ContainsFunc(values, func(v string) bool { return v != "" })
	case CmpNe:
		// ne is "no value equals", but a value that cannot be compared (a
		// time that does not parse) does not match.
		return !slices.ContainsFunc(values, func(v string) bool {
			cmp, ok := c.compare(v)
			return !ok || cmp == 0
		})
	}
	return slices.ContainsFunc(values, c.matchOne)
}

func (c *comparison) matchOne(v string) bool {
	switch c.op {
	case CmpSw:
		return c.kind == KindString && strings.HasPrefix(fold(v), c.folded)
	case CmpCo:
		return c.kind == KindString && strings.Contains(fold(v), c.folded)
	}
	cmp, ok := c.compare(v)
	if !ok {
		return false
	}
	switch c.op {
	case CmpEq:
		return cmp == 0
	case CmpGt:
		return cmp > 0
	case CmpGe:
		return cmp >= 0
	case CmpLt:
		return cmp < 0
	case CmpLe:
		return cmp <= 0
	}
	return false
}

// compare orders the record value v against the literal; false when v cannot
// be compared.
func (c *comparison) compare(v string) (int, bool) {
	if c.kind == KindTime {
		t, err := parseTime(v)
		if err != nil {
			return 0, false
		}
		return t.Compare(c.when), true
	}
	if c.isNum {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			switch {
			case n < c.num:
				return -1, true
			case n > c.num:
				return 1, true
			}
			return 0, true
		}
	}
	return strings.Compare(fold(v), c.folded), true
}

func valuesOf(r Record, path string) []string {
	if r == nil {
		return nil
	}
	if m, ok := r.(MultiRecord); ok {
		return m.Values(path)
	}
	if v, ok := r.Value(path); ok {
		return []string{v}
	}
	return nil
}

// fold maps every rune of s to the smallest rune of its simple case-folding
// orbit, so fold(a) == fold(b) exactly when strings.EqualFold(a, b).
func fold(s string) string {
	return strings.Map(foldRune, s)
}

// Fold case-folds s as expressions compare text (Unicode simple folding),
// for stores that index values to answer Required conditions.
func Fold(s string) string { return fold(s) }

// Condition is one comparison an expression requires of every record it
// matches.
type Condition struct {
	Path   string
	Op     Comparison
	Folded string // the literal, case-folded (Fold)
}

// Required lists comparisons every record the expression matches
// satisfies: its top-level and-terms that compare text with eq and a
// quoted literal (an or at the top requires nothing). A store may use them
// to read fewer rows; Match still decides.
func (e Expr) Required() []Condition {
	terms := []node{e.root}
	if and, ok := e.root.(andNode); ok {
		terms = and
	}
	var out []Condition
	for _, t := range terms {
		if c, ok := t.(*comparison); ok && c.op == CmpEq && c.kind == KindString && !c.bare {
			out = append(out, Condition{Path: c.path, Op: c.op, Folded: c.folded})
		}
	}
	return out
}

func foldRune(r rune) rune {
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	return least
}

func parseTime(s string) (time.Time, error) {
	return time.Parse(time.RFC3339, s)
}
