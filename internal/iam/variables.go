package iam

import "strings"

// versionWithVariables is the policy language version that knows policy
// variables; in 2008-10-17 documents "${...}" is literal text.
const versionWithVariables = "2012-10-17"

// substitute replaces the policy variables in s: ${key} is the request's
// single value for a condition key, ${key, 'default'} falls back to the
// default when the key is missing, and ${*}, ${?} and ${$} are a literal
// '*', '?' and '$'. A missing key without a default, or a key with more
// than one value, makes the whole element unusable: ok is false and the
// element must not match. With pattern, the result is a glob pattern, so
// literal '*' and '?' (from the escapes and from values) are written as the
// markers glob matches only literally.
func substitute(s string, lookup func(string) ([]string, bool), pattern bool) (out string, ok bool) {
	if !strings.Contains(s, "${") {
		return s, true
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		val, found := variableValue(s[i+2:i+j], lookup)
		if !found {
			return "", false
		}
		writeLiteral(&b, val, pattern)
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String(), true
}

// variableValue resolves the inside of one ${...}.
func variableValue(inner string, lookup func(string) ([]string, bool)) (string, bool) {
	switch inner {
	case "*", "?", "$":
		return inner, true
	}
	key, def, hasDefault := strings.Cut(inner, ",")
	key = strings.TrimSpace(key)
	if vals, ok := lookup(key); ok && len(vals) == 1 {
		return vals[0], true
	}
	if !hasDefault {
		return "", false
	}
	def = strings.TrimSpace(def)
	if len(def) < 2 || def[0] != '\'' || def[len(def)-1] != '\'' {
		return "", false
	}
	return def[1 : len(def)-1], true
}

// writeLiteral appends v so that, in a pattern, it matches only itself.
func writeLiteral(b *strings.Builder, v string, pattern bool) {
	if !pattern {
		b.WriteString(v)
		return
	}
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '*':
			b.WriteByte(litStar)
		case '?':
			b.WriteByte(litQuestion)
		default:
			b.WriteByte(v[i])
		}
	}
}
