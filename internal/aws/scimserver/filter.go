package scimserver

import (
	"encoding/json"
	"strings"
)

// maxFilter bounds a filter or PATCH path: AWS's are one or two short
// comparisons.
const maxFilter = 1024

// cond is one `attr eq "value"` comparison. Attr is lowercased (SCIM
// attribute names are case-insensitive), with a schema URN prefix kept.
type cond struct {
	Attr  string
	Value string
}

// parseFilter parses what AWS supports of RFC 7644's filter language: one
// `attr eq "value"` comparison, or two joined by `and`. Every other
// operator, `or`, `not`, grouping and value paths are a clear 400.
func parseFilter(s string) ([]cond, error) {
	if len(s) > maxFilter {
		return nil, invalid("filter is longer than %d characters", maxFilter)
	}
	lx := &lexer{s: s}
	first, err := lx.cond()
	if err != nil {
		return nil, err
	}
	out := []cond{first}
	if lx.done() {
		return out, nil
	}
	if w := lx.word(); !strings.EqualFold(w, "and") {
		return nil, unsupportedFilter(w)
	}
	second, err := lx.cond()
	if err != nil {
		return nil, err
	}
	if !lx.done() {
		return nil, invalid("filter: only two comparisons joined by \"and\" are supported")
	}
	return append(out, second), nil
}

func unsupportedFilter(w string) error {
	return invalid("filter: %.40q is not supported; only `attribute eq \"value\"`, optionally joined by `and`", w)
}

// lexer reads a filter left to right.
type lexer struct {
	s   string
	pos int
}

func (l *lexer) skipSpace() {
	for l.pos < len(l.s) && l.s[l.pos] == ' ' {
		l.pos++
	}
}

func (l *lexer) done() bool { l.skipSpace(); return l.pos == len(l.s) }

// word reads up to the next space (or the end).
func (l *lexer) word() string {
	l.skipSpace()
	start := l.pos
	for l.pos < len(l.s) && l.s[l.pos] != ' ' {
		l.pos++
	}
	return l.s[start:l.pos]
}

// cond reads `attr eq "value"`.
func (l *lexer) cond() (cond, error) {
	attr := l.word()
	if !validAttrPath(attr) {
		if attr == "" {
			return cond{}, invalid("filter: an attribute name is missing")
		}
		return cond{}, unsupportedFilter(attr)
	}
	if op := l.word(); !strings.EqualFold(op, "eq") {
		if op == "" {
			return cond{}, invalid("filter: the operator after %.64q is missing", attr)
		}
		return cond{}, invalid("filter: operator %.20q is not supported; only eq is", op)
	}
	v, err := l.str()
	if err != nil {
		return cond{}, err
	}
	return cond{Attr: strings.ToLower(attr), Value: v}, nil
}

// str reads a JSON string literal.
func (l *lexer) str() (string, error) {
	l.skipSpace()
	if l.pos == len(l.s) || l.s[l.pos] != '"' {
		if w := l.word(); w == "true" || w == "false" {
			return w, nil
		}
		return "", invalid("filter: the value must be a quoted string")
	}
	end := l.pos + 1
	for ; end < len(l.s); end++ {
		if l.s[end] == '\\' {
			end++
			continue
		}
		if l.s[end] == '"' {
			break
		}
	}
	if end >= len(l.s) {
		return "", invalid("filter: the quoted value is not closed")
	}
	var v string
	if err := json.Unmarshal([]byte(l.s[l.pos:end+1]), &v); err != nil {
		return "", invalid("filter: the quoted value is not a valid string")
	}
	l.pos = end + 1
	return v, nil
}

// validAttrPath accepts `name`, `name.sub` and a schema URN followed by
// `:name` or `:name.sub`.
func validAttrPath(s string) bool {
	if s == "" {
		return false
	}
	if strings.HasPrefix(strings.ToLower(s), "urn:") {
		i := strings.LastIndexByte(s, ':')
		if !validURN(s[:i]) {
			return false
		}
		s = s[i+1:]
	}
	name, sub, dotted := strings.Cut(s, ".")
	return validName(name) && (!dotted || validName(sub))
}

// validName is RFC 7643's ATTRNAME: ALPHA *(nameChar).
func validName(s string) bool {
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isAlpha(c) && !(c >= '0' && c <= '9') && c != '_' && c != '-' && c != '$' {
			return false
		}
	}
	return true
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func validURN(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isAlpha(c) && !(c >= '0' && c <= '9') && !strings.ContainsRune(":.-_", rune(c)) {
			return false
		}
	}
	return len(s) > 4
}
