package awsconfig

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxFileSize bounds what Load reads from either file.
const MaxFileSize = 4 << 20

// ParseError is a file keyward will not read or edit, with the line at
// fault (0 when the whole file is at fault).
type ParseError struct {
	Path string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", tildePath(e.Path), e.Msg)
	}
	return fmt.Sprintf("%s line %d: %s", tildePath(e.Path), e.Line, e.Msg)
}

// tildePath shows a path under the home directory as ~/...
func tildePath(p string) string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" || p == "" {
		return p
	}
	if rel, err := filepath.Rel(home, p); err == nil && filepath.IsLocal(rel) {
		return "~" + string(filepath.Separator) + rel
	}
	return p
}

type kind uint8

const (
	configFile kind = iota
	credentialsFile
)

type lineType uint8

const (
	blankLine lineType = iota
	commentLine
	headerLine
	keyLine
	contLine // a continuation of the key above it (indented deeper)
)

// line is one line of the file: text is kept exactly; the rest is what
// the AWS CLI makes of it.
type line struct {
	text string // without the line end
	eol  string // "\n", "\r\n", or "" for a last line without one
	typ  lineType
	sec  Section // headerLine
	key  string  // keyLine: lower-cased, as configparser does
	val  string  // keyLine and contLine: the trimmed value
}

// parser follows Python's configparser (which botocore uses): full-line
// comments start with # or ;, there are no inline comments, a line
// indented deeper than the key above it continues that key's value, keys
// are case-insensitive, `=` or `:` separates key and value, and a repeated
// section or key is an error.
type parser struct {
	path      string
	kind      kind
	lines     []line
	inSection bool
	inKey     bool
	keyIndent int
	nested    bool           // the current key's own value is empty: its continuation is a sub-section
	sections  map[string]int // header identity → line number
	keys      map[string]int // key → line number, in the current section
	section   string
}

func parse(path string, k kind, b []byte) (*File, error) {
	if len(b) > MaxFileSize {
		return nil, &ParseError{Path: path, Msg: "the file is larger than 4 MiB, the most keyward reads"}
	}
	f := &File{path: path, kind: k, nl: "\n"}
	s := string(b)
	if rest, ok := strings.CutPrefix(s, "\ufeff"); ok {
		f.bom, s = true, rest
	}
	p := &parser{path: path, kind: k, sections: map[string]int{}}
	for n := 1; s != ""; n++ {
		text, eol := s, ""
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			text, eol, s = s[:i], "\n", s[i+1:]
		} else {
			s = ""
		}
		if t, ok := strings.CutSuffix(text, "\r"); ok && eol != "" {
			text, eol = t, "\r\n"
		}
		if n == 1 && eol == "\r\n" {
			f.nl = eol
		}
		if err := p.add(n, text, eol); err != nil {
			return nil, err
		}
	}
	f.lines = p.lines
	return f, nil
}

func (p *parser) fail(n int, format string, a ...any) error {
	return &ParseError{Path: p.path, Line: n, Msg: fmt.Sprintf(format, a...)}
}

func (p *parser) add(n int, text, eol string) error {
	l, err := p.classify(n, text)
	if err != nil {
		return err
	}
	l.text, l.eol = text, eol
	p.lines = append(p.lines, l)
	return nil
}

func (p *parser) classify(n int, text string) (line, error) {
	if !utf8.ValidString(text) {
		return line{}, p.fail(n, "the line is not UTF-8 text")
	}
	if strings.ContainsAny(text, "\r\x00") {
		return line{}, p.fail(n, "the line holds a carriage return or NUL byte")
	}
	trimmed := strings.TrimSpace(text)
	switch {
	case trimmed == "":
		return line{typ: blankLine}, nil
	case trimmed[0] == '#' || trimmed[0] == ';':
		return line{typ: commentLine}, nil
	case p.inKey && indentOf(text) > p.keyIndent:
		if p.nested && !strings.Contains(trimmed, "=") {
			return line{}, p.fail(n, "a nested setting must be key = value")
		}
		return line{typ: contLine, val: trimmed}, nil
	case trimmed[0] == '[':
		return p.header(n, trimmed)
	case !p.inSection:
		return line{}, p.fail(n, "expected a [section] header before the first setting")
	}
	return p.keyLine(n, text, trimmed)
}

func (p *parser) header(n int, trimmed string) (line, error) {
	end := strings.LastIndexByte(trimmed, ']')
	if end < 0 {
		return line{}, p.fail(n, "section header is not closed")
	}
	raw := trimmed[1:end]
	if raw == "" {
		return line{}, p.fail(n, "section header has no name")
	}
	sec := sectionOf(p.kind, raw)
	id := sec.Type + "\x00" + sec.Name
	if first, dup := p.sections[id]; dup {
		return line{}, p.fail(n, "section [%s] appears again (first at line %d)", raw, first)
	}
	p.sections[id] = n
	p.inSection, p.inKey, p.section = true, false, raw
	p.keys = map[string]int{}
	return line{typ: headerLine, sec: sec}, nil
}

func (p *parser) keyLine(n int, text, trimmed string) (line, error) {
	i := strings.IndexAny(trimmed, "=:")
	if i < 0 {
		return line{}, p.fail(n, "expected key = value")
	}
	key := strings.ToLower(strings.TrimSpace(trimmed[:i]))
	if key == "" {
		return line{}, p.fail(n, "the setting has no key before %q", trimmed[i])
	}
	if first, dup := p.keys[key]; dup {
		return line{}, p.fail(n, "key %q appears again in [%s] (first at line %d)", key, p.section, first)
	}
	p.keys[key] = n
	val := strings.TrimSpace(trimmed[i+1:])
	p.inKey, p.keyIndent, p.nested = true, indentOf(text), val == ""
	return line{typ: keyLine, key: key, val: val}, nil
}

// indentOf counts leading white space in characters, as configparser does.
func indentOf(s string) int {
	return utf8.RuneCountInString(s[:len(s)-len(strings.TrimLeftFunc(s, unicode.IsSpace))])
}

// typed are the config file's section types.
var typed = map[string]bool{"profile": true, "sso-session": true, "services": true, "keyward-okta": true}

// sectionOf names a header the way botocore reads it: in the config file
// "profile NAME", "sso-session NAME" and "services NAME" are typed, any
// other header (such as "default") is untyped, but for keyward's own
// "keyward-okta NAME" (an Okta sign-in, which botocore skips); in the credentials file
// every header is a profile name as it stands.
func sectionOf(k kind, raw string) Section {
	if k == configFile {
		fields := strings.Fields(raw)
		if len(fields) == 2 && strings.HasPrefix(raw, fields[0]) {
			if typed[fields[0]] {
				return Section{Type: fields[0], Name: fields[1]}
			}
		}
	}
	return Section{Name: raw}
}
