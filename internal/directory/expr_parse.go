package directory

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/keyward/keyward/internal/errs"
)

// Parse parses expression s under grammar g. Every error is an errs.Invalid
// whose message says what is wrong and, where it can, at which byte position
// (counting from 1).
func Parse(s string, g Grammar) (Expr, error) {
	if err := checkText(s); err != nil {
		return Expr{}, err
	}
	toks, err := lex(s)
	if err != nil {
		return Expr{}, err
	}
	p := &parser{toks: toks, g: g}
	root, err := p.parseOr()
	if err != nil {
		return Expr{}, err
	}
	switch t := p.peek(); t.kind {
	case tokEOF:
		return Expr{root: root}, nil
	case tokRParen:
		return Expr{}, invalid(t.pos, ") without a matching (")
	default:
		return Expr{}, invalidHint(t.pos, "expected and, or, or the end", "unexpected %s", t.describe())
	}
}

type parser struct {
	toks        []token
	i           int
	g           Grammar
	depth       int
	comparisons int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// peekWord reports whether the next token is the word w, in any case.
func (p *parser) peekWord(w string) bool {
	t := p.peek()
	return t.kind == tokWord && strings.EqualFold(t.text, w)
}

// parseOr parses and-terms separated by "or".
func (p *parser) parseOr() (node, error) {
	var terms orNode
	for {
		n, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		terms = append(terms, n)
		if !p.peekWord("or") {
			break
		}
		p.next()
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return terms, nil
}

// parseAnd parses factors separated by "and".
func (p *parser) parseAnd() (node, error) {
	var factors andNode
	for {
		n, err := p.parseFactor()
		if err != nil {
			return nil, err
		}
		factors = append(factors, n)
		if !p.peekWord("and") {
			break
		}
		p.next()
	}
	if len(factors) == 1 {
		return factors[0], nil
	}
	return factors, nil
}

// parseFactor parses a parenthesised expression or a comparison.
func (p *parser) parseFactor() (node, error) {
	t := p.next()
	switch {
	case t.kind == tokLParen:
		return p.parseGroup(t)
	case t.kind != tokWord:
		return nil, invalid(t.pos, "expected an attribute or ( but found %s", t.describe())
	case strings.EqualFold(t.text, "not"):
		return nil, invalid(t.pos, "not is not supported")
	case strings.EqualFold(t.text, "and"), strings.EqualFold(t.text, "or"):
		return nil, invalid(t.pos, "expected an attribute or ( but found %s", t.describe())
	}
	return p.parseComparison(t)
}

// parseGroup parses what follows the opening parenthesis open.
func (p *parser) parseGroup(open token) (node, error) {
	if p.depth++; p.depth > MaxExprDepth {
		return nil, invalid(open.pos, "parentheses nested deeper than %d", MaxExprDepth)
	}
	n, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	switch t := p.next(); t.kind {
	case tokRParen:
		p.depth--
		return n, nil
	case tokEOF:
		return nil, invalid(open.pos, "( is never closed")
	default:
		return nil, invalidHint(t.pos, "expected and, or, or )", "unexpected %s", t.describe())
	}
}

// parseComparison parses attrPath op [value], attr being the path's token.
func (p *parser) parseComparison(attr token) (node, error) {
	if !validPath(attr.text) {
		return nil, invalid(attr.pos, "invalid attribute path %.64q", attr.text)
	}
	if p.comparisons++; p.comparisons > MaxExprComparisons {
		return nil, errs.E(errs.Invalid, "more than %d comparisons in one expression", MaxExprComparisons)
	}
	kind, ok := Kind(0), false
	if p.g.Attr != nil {
		kind, ok = p.g.Attr(attr.text)
	}
	if !ok {
		return nil, invalid(attr.pos, "unknown attribute %.64q", attr.text)
	}
	opTok := p.next()
	if opTok.kind != tokWord {
		return nil, invalid(opTok.pos, "expected an operator after %.64q but found %s", attr.text, opTok.describe())
	}
	op := Op(strings.ToLower(opTok.text))
	if !slices.Contains(allOps, op) {
		return nil, invalid(opTok.pos, "unknown operator %.64q", opTok.text)
	}
	c := &comparison{path: attr.text, op: op, kind: kind}
	val := token{kind: tokEOF}
	if op != OpPr {
		val = p.next()
		if err := c.setLiteral(val); err != nil {
			return nil, err
		}
	}
	if msg, hint := p.g.refusal(c); msg != "" {
		return nil, invalidHint(opTok.pos, hint, "%s", msg)
	}
	if err := c.setTime(val); err != nil {
		return nil, err
	}
	return c, nil
}

// setTime parses the literal of a comparison on a time, from token t.
func (c *comparison) setTime(t token) error {
	if c.kind != KindTime || c.op == OpPr {
		return nil
	}
	when, err := parseTime(c.text)
	if err != nil {
		hint := fmt.Sprintf(`%.64s needs an RFC 3339 time such as "2013-06-01T00:00:00.000Z"`, c.path)
		return invalidHint(t.pos, hint, "%.64q is not a time", c.text)
	}
	c.when = when
	return nil
}

// setLiteral sets the value c compares with from token t.
func (c *comparison) setLiteral(t token) error {
	switch {
	case t.kind == tokString:
		c.text = t.text
	case t.kind == tokWord && (t.text == "true" || t.text == "false"):
		c.text, c.bare = t.text, true
	case t.kind == tokWord && isInteger(t.text):
		c.text, c.bare = t.text, true
		n, err := strconv.ParseInt(t.text, 10, 64)
		c.num, c.isNum = n, err == nil
	case t.kind == tokWord && strings.EqualFold(t.text, "null"):
		return invalidHint(t.pos, fmt.Sprintf("use %.80q to test whether an attribute is present", c.path+" pr"), "null is not supported")
	case t.kind == tokEOF:
		return invalid(t.pos, "missing value after %s", c.op)
	default:
		return invalid(t.pos, "expected a quoted value after %s but found %s", c.op, t.describe())
	}
	c.folded = fold(c.text)
	return nil
}

// literal returns c's value as it is written in canonical form.
func (c *comparison) literal() string {
	if c.bare {
		return c.text
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(c.text) + `"`
}

// refusal returns why g does not allow comparison c, and any advice; "" when
// it does.
func (g Grammar) refusal(c *comparison) (msg, hint string) {
	switch {
	case c.kind == KindTime && (c.op == OpSw || c.op == OpCo):
		return fmt.Sprintf("attribute %.64q is a time and cannot be used with %s", c.path, c.op), ""
	case !g.anyKindAllows(c.op):
		msg = fmt.Sprintf("operator %s is not supported in this expression", c.op)
		if c.op == OpNe && g.allows(c.kind, OpLt) && g.allows(c.kind, OpGt) {
			lit := c.literal()
			if len(lit) > 64 {
				lit = `"X"`
			}
			hint = fmt.Sprintf("use (%.64s lt %s or %.64s gt %s)", c.path, lit, c.path, lit)
		}
		return msg, hint
	case !g.allows(c.kind, c.op), c.op == OpCo && g.Contains != nil && !g.Contains(c.path):
		return fmt.Sprintf("attribute %.64q cannot be used with %s", c.path, c.op), ""
	}
	return "", ""
}

func (g Grammar) allows(k Kind, op Op) bool { return slices.Contains(g.Ops[k], op) }

func (g Grammar) anyKindAllows(op Op) bool {
	for _, ops := range g.Ops {
		if slices.Contains(ops, op) {
			return true
		}
	}
	return false
}
