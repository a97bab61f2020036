package awsconfig

import (
	"crypto/sha256"
	"strings"
	"unicode"
)

// File is one parsed shared file. Edits change only the lines they must;
// an invalid edit (a name or value that would break the file) changes
// nothing and makes Save fail with the reason.
type File struct {
	path  string
	kind  kind
	lines []line
	nl    string // the line end new lines get
	bom   bool
	err   error // the first invalid edit
	dirty bool
	index map[Section]int // header line by section; nil after an edit
	disk  snapshot        // the file as read, to refuse saving over someone else's change
}

type snapshot struct {
	exists bool
	sum    [sha256.Size]byte
}

// Section names a section. Type is "profile", "sso-session" or "services"
// for [TYPE NAME] in the config file, and "" for [NAME]: [default] and
// other untyped config sections, and every credentials-file section.
type Section struct{ Type, Name string }

// ProfileSection is the config-file section of a profile: [default] or
// [profile NAME]. In the credentials file use Section{Name: name}.
func ProfileSection(name string) Section {
	if name == "default" {
		return Section{Name: name}
	}
	return Section{Type: "profile", Name: name}
}

// Profile is the section of profile name in f: ProfileSection(name), but
// for "default" in a config file that has [profile default], that section.
// The AWS CLI and SDKs read [profile default] as the default profile (the
// Go SDK prefers it to [default]), so keyward reads and edits the one they
// use.
func (f *File) Profile(name string) Section {
	if name == "default" && f.kind == configFile {
		if _, ok := f.find(Section{Type: "profile", Name: name}); ok {
			return Section{Type: "profile", Name: name}
		}
	}
	return ProfileSection(name)
}

// SSOSessionSection is [sso-session NAME].
func SSOSessionSection(name string) Section { return Section{Type: "sso-session", Name: name} }

func (s Section) String() string {
	if s.Type == "" {
		return "[" + s.Name + "]"
	}
	return "[" + s.Type + " " + s.Name + "]"
}

// KV is one setting.
type KV struct{ Key, Value string }

// Values are a section's settings by lower-cased key. A nested
// sub-section (`s3 =` then indented lines) reads as its lines joined by
// "\n" after a leading "\n", as botocore sees it before splitting them.
type Values map[string]string

// Get returns the value of key k (any case), "" if unset.
func (v Values) Get(k string) string { return v[strings.ToLower(k)] }

// Section returns the settings of s and whether the file has s.
func (f *File) Section(s Section) (Values, bool) {
	start, ok := f.find(s)
	if !ok {
		return nil, false
	}
	v := Values{}
	for _, kv := range f.kvs(start) {
		v[kv.Key] = kv.Value
	}
	return v, true
}

// Profiles lists the profile names the file defines, in file order.
func (f *File) Profiles() []string {
	var names []string
	seen := map[string]bool{}
	for _, l := range f.lines {
		if n, ok := f.profileName(l); ok && !seen[n] {
			names, seen[n] = append(names, n), true
		}
	}
	return names
}

func (f *File) profileName(l line) (string, bool) {
	s := l.sec
	switch {
	case l.typ != headerLine:
		return "", false
	case f.kind == credentialsFile:
		return s.Name, true
	case s.Type == "profile" || s == Section{Name: "default"}:
		return s.Name, true
	}
	return "", false
}

// SSOSessions lists the [sso-session NAME] names, in file order.
func (f *File) SSOSessions() []string {
	var names []string
	for _, l := range f.lines {
		if l.typ == headerLine && l.sec.Type == "sso-session" {
			names = append(names, l.sec.Name)
		}
	}
	return names
}

// find returns the index of the header of s.
func (f *File) find(s Section) (int, bool) {
	if f.index == nil {
		f.index = map[Section]int{}
		for i, l := range f.lines {
			if l.typ == headerLine {
				f.index[l.sec] = i
			}
		}
	}
	i, ok := f.index[s]
	return i, ok
}

// end is the index of the next header after start (or the end of file).
func (f *File) end(start int) int {
	for i := start + 1; i < len(f.lines); i++ {
		if f.lines[i].typ == headerLine {
			return i
		}
	}
	return len(f.lines)
}

// coreEnd is the index after the section's last setting line (after the
// header when it has none).
func (f *File) coreEnd(start int) int {
	core := start + 1
	for i, end := start+1, f.end(start); i < end; i++ {
		if t := f.lines[i].typ; t == keyLine || t == contLine {
			core = i + 1
		}
	}
	return core
}

func (f *File) findKey(start int, key string) (int, bool) {
	for i, end := start+1, f.end(start); i < end; i++ {
		if f.lines[i].typ == keyLine && f.lines[i].key == key {
			return i, true
		}
	}
	return 0, false
}

// valueEnd is the index after key line i's last continuation line.
func (f *File) valueEnd(i int) int {
	end := i + 1
	for j := i + 1; j < len(f.lines); j++ {
		switch f.lines[j].typ {
		case contLine:
			end = j + 1
		case keyLine, headerLine:
			return end
		}
	}
	return end
}

// kvs returns the section's settings in file order, with values joined
// as configparser joins continuation lines.
func (f *File) kvs(start int) []KV {
	var out []KV
	var parts []string
	flush := func() {
		if parts != nil {
			out[len(out)-1].Value = strings.TrimRightFunc(strings.Join(parts, "\n"), unicode.IsSpace)
		}
	}
	for i, end := start+1, f.end(start); i < end; i++ {
		switch l := f.lines[i]; l.typ {
		case keyLine:
			flush()
			out, parts = append(out, KV{Key: l.key}), []string{l.val}
		case contLine, blankLine:
			if parts != nil {
				parts = append(parts, l.val)
			}
		}
	}
	flush()
	return out
}

// bytes renders the file.
func (f *File) bytes() []byte {
	var b strings.Builder
	if f.bom {
		b.WriteString("\ufeff")
	}
	for _, l := range f.lines {
		b.WriteString(l.text)
		b.WriteString(l.eol)
	}
	return []byte(b.String())
}
