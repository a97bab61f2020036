package scimserver

import (
	"strings"
)

// patchPath is a parsed PATCH operation path (RFC 7644 §3.5.2):
// [URN ":"] attr ["[" attr eq "value" "]"] ["." sub]. Names are lowercased.
type patchPath struct {
	URN    string // a schema URN other than the core one, lowercased; "" for core attributes
	Attr   string
	Filter *cond // the value filter of a multi-valued attribute
	Sub    string
}

// parsePatchPath parses a PATCH path as far as AWS supports it: one value
// filter with eq, at most one sub-attribute.
func parsePatchPath(s string) (patchPath, error) {
	if s == "" {
		return patchPath{}, invalid("path must not be empty")
	}
	if len(s) > maxFilter {
		return patchPath{}, invalid("path is longer than %d characters", maxFilter)
	}
	var p patchPath
	rest := s
	if strings.HasPrefix(strings.ToLower(s), "urn:") {
		head := s
		if i := strings.IndexByte(s, '['); i >= 0 {
			head = s[:i]
		}
		i := strings.LastIndexByte(head, ':')
		if !validURN(s[:i]) {
			return patchPath{}, invalid("path %.64q names no known schema", s)
		}
		p.URN, rest = strings.ToLower(s[:i]), s[i+1:]
		if p.URN == schemaUser || p.URN == schemaGroup {
			p.URN = ""
		}
	}
	if open := strings.IndexByte(rest, '['); open >= 0 {
		closing := strings.LastIndexByte(rest, ']')
		if closing < open {
			return patchPath{}, invalid("path %.64q has an unclosed value filter", s)
		}
		fs, err := parseFilter(rest[open+1 : closing])
		if err != nil {
			return patchPath{}, err
		}
		if len(fs) != 1 {
			return patchPath{}, invalid("path %.64q: a value filter holds one comparison", s)
		}
		p.Filter = &fs[0]
		after := rest[closing+1:]
		rest = rest[:open]
		if after != "" {
			if after[0] != '.' || !validName(after[1:]) {
				return patchPath{}, invalid("path %.64q: only .subAttribute may follow a value filter", s)
			}
			p.Sub = strings.ToLower(after[1:])
		}
		if !validName(rest) {
			return patchPath{}, invalid("path %.64q is not a valid attribute path", s)
		}
		p.Attr = strings.ToLower(rest)
		return p, nil
	}
	name, sub, dotted := strings.Cut(rest, ".")
	if !validName(name) || dotted && !validName(sub) {
		return patchPath{}, invalid("path %.64q is not a valid attribute path", s)
	}
	p.Attr, p.Sub = strings.ToLower(name), strings.ToLower(sub)
	return p, nil
}
