package awsconfig

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Set sets keys of s, updating each existing key where it stands and
// adding the others at the end of the section; it adds the section at the
// end of the file if it is missing.
func (f *File) Set(s Section, kvs ...KV) {
	if !f.valid(s, kvs) {
		return
	}
	start, ok := f.find(s)
	if !ok {
		f.appendSection(s, kvs)
		return
	}
	for _, kv := range kvs {
		f.setKey(start, kv)
	}
}

// PutSection makes kvs the only settings of s: existing keys are updated
// in place, the others removed, new ones added; comments stay.
func (f *File) PutSection(s Section, kvs []KV) {
	if !f.valid(s, kvs) {
		return
	}
	if start, ok := f.find(s); ok {
		var stale []string
		for _, kv := range f.kvs(start) {
			if !hasKey(kvs, kv.Key) {
				stale = append(stale, kv.Key)
			}
		}
		f.Delete(s, stale...)
	}
	f.Set(s, kvs...)
}

// Delete removes keys (any case) from s, with their continuation lines.
func (f *File) Delete(s Section, keys ...string) {
	start, ok := f.find(s)
	if !ok {
		return
	}
	for _, k := range keys {
		if i, ok := f.findKey(start, strings.ToLower(k)); ok {
			f.cut(i, f.valueEnd(i))
		}
	}
}

// DeleteSection removes s: its header, its settings and the blank lines
// after them. Comments after its last setting stay: they usually
// introduce the next section.
func (f *File) DeleteSection(s Section) {
	start, ok := f.find(s)
	if !ok {
		return
	}
	end := f.coreEnd(start)
	for end < len(f.lines) && f.lines[end].typ == blankLine {
		end++
	}
	f.cut(start, end)
}

func (f *File) valid(s Section, kvs []KV) bool {
	if f.err != nil {
		return false
	}
	err := f.checkSection(s)
	for _, kv := range kvs {
		if err == nil {
			err = checkKV(kv)
		}
	}
	if err != nil {
		f.err = fmt.Errorf("%s not saved: %w", tildePath(f.path), err)
		return false
	}
	return true
}

// checkSection accepts a section only if its header reads back as itself.
func (f *File) checkSection(s Section) error {
	h := s.String()
	bad := s.Name == "" || strings.TrimSpace(s.Name) != s.Name || strings.ContainsAny(s.Name, "[]\"'\\") ||
		strings.ContainsFunc(s.Name, unicode.IsControl) || sectionOf(f.kind, h[1:len(h)-1]) != s
	if f.kind == credentialsFile && s.Type != "" {
		bad = true
	}
	if s.Type != "" && !typed[s.Type] {
		bad = true
	}
	if bad {
		return fmt.Errorf("%q is not a usable section name", s.String())
	}
	return nil
}

func checkKV(kv KV) error {
	k := kv.Key
	if k == "" || strings.ContainsAny(k, "=:[]#;") || strings.ContainsFunc(k, unicode.IsSpace) ||
		strings.ContainsFunc(k, unicode.IsControl) {
		return fmt.Errorf("%q is not a usable key", k)
	}
	if strings.ContainsFunc(kv.Value, func(r rune) bool { return r != '\t' && unicode.IsControl(r) }) {
		return fmt.Errorf("the value of %s holds a line break or control character", k)
	}
	return nil
}

func (f *File) setKey(start int, kv KV) {
	key, val := strings.ToLower(kv.Key), strings.TrimSpace(kv.Value)
	i, ok := f.findKey(start, key)
	if !ok {
		f.insert(f.coreEnd(start), newLine(key+" = "+val, keyLine, key, val))
		return
	}
	end := f.valueEnd(i)
	if f.lines[i].val == val && end == i+1 {
		return
	}
	l := &f.lines[i]
	text := l.text
	if d := strings.IndexAny(text, "=:"); d >= 0 {
		text = strings.TrimRightFunc(text[:d], unicode.IsSpace)
	}
	l.text, l.val = text+" = "+val, val
	f.cut(i+1, end)
	f.dirty = true
}

func (f *File) appendSection(s Section, kvs []KV) {
	at := len(f.lines)
	if at > 0 && f.lines[at-1].typ != blankLine {
		f.insert(at, newLine("", blankLine, "", ""))
		at++
	}
	h := newLine(s.String(), headerLine, "", "")
	h.sec = s
	f.insert(at, h)
	for _, kv := range kvs {
		f.setKey(at, kv)
	}
}

func newLine(text string, t lineType, key, val string) line {
	return line{text: text, typ: t, key: key, val: val}
}

func (f *File) insert(at int, l line) {
	l.eol = f.nl
	if at > 0 && f.lines[at-1].eol == "" {
		f.lines[at-1].eol = f.nl
	}
	f.lines = slices.Insert(f.lines, at, l)
	f.dirty, f.index = true, nil
	f.settle(at + 1)
}

func (f *File) cut(from, to int) {
	if from >= to {
		return
	}
	f.lines = slices.Delete(f.lines, from, to)
	f.dirty, f.index = true, nil
	f.settle(from)
}

// settle keeps the next header at or after i a header. An indented header
// reads as a continuation of the setting above it when it is indented
// deeper, which an edit can bring about (a setting added before it, or
// the section between them removed); such a header loses its indent.
func (f *File) settle(i int) {
	for i < len(f.lines) && (f.lines[i].typ == blankLine || f.lines[i].typ == commentLine) {
		i++
	}
	if i == len(f.lines) || f.lines[i].typ != headerLine {
		return
	}
	h := &f.lines[i]
	for j := i - 1; j >= 0; j-- {
		switch f.lines[j].typ {
		case keyLine:
			if indentOf(h.text) > indentOf(f.lines[j].text) {
				h.text = strings.TrimLeftFunc(h.text, unicode.IsSpace)
			}
			return
		case headerLine:
			return
		}
	}
}
