package awsconfig

import (
	"errors"
	"fmt"
	"strings"
	"text/template"
	"unicode"
)

// DefaultTemplate names a synced profile after its account and role.
const DefaultTemplate = "{{.AccountName}}-{{.RoleName}}"

const (
	maxTemplate = 1 << 10
	maxName     = 128
)

// Namer turns a role into a profile name with a text/template over Role
// and the helpers lower, upper, kebab ("ReadOnly Access" → "read-only-access")
// and replace (`replace .AccountName " " "_"`).
type Namer struct{ t *template.Template }

var nameFuncs = template.FuncMap{
	"lower":   strings.ToLower,
	"upper":   strings.ToUpper,
	"kebab":   kebab,
	"replace": func(s, old, new string) string { return strings.ReplaceAll(s, old, new) },
}

// NewNamer parses a naming template ("" is DefaultTemplate) and tries it
// on a sample role, so a bad template fails here and not halfway through.
func NewNamer(tmpl string) (*Namer, error) {
	if tmpl == "" {
		tmpl = DefaultTemplate
	}
	if len(tmpl) > maxTemplate {
		return nil, errors.New("the profile name template is longer than 1 KiB")
	}
	t, err := template.New("profile name").Funcs(nameFuncs).Parse(tmpl)
	if err != nil {
		return nil, fmt.Errorf("the profile name template %q does not parse: %w", tmpl, err)
	}
	n := &Namer{t: t}
	sample := Role{AccountID: "111122223333", AccountName: "Sample", RoleName: "SampleRole", Region: "us-east-1"}
	if _, err := n.Name(sample); err != nil {
		return nil, fmt.Errorf("the profile name template %q: %w", tmpl, err)
	}
	return n, nil
}

// Name renders r's profile name, made safe for a [profile NAME] header:
// white space, brackets, quotes, backslashes and control characters become
// "-" (one for a run), and leading or trailing "-" go.
func (n *Namer) Name(r Role) (string, error) {
	var b strings.Builder
	if err := n.t.Execute(&b, r); err != nil {
		return "", fmt.Errorf("cannot name the profile: %w", err)
	}
	name := sanitize(b.String())
	if name == "" {
		return "", fmt.Errorf("the profile name for role %s in account %s is empty", r.RoleName, r.AccountID)
	}
	if len(name) > maxName {
		return "", fmt.Errorf("the profile name %.40q… is longer than %d bytes", name, maxName)
	}
	return name, nil
}

func unsafeInName(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune("[]\"'\\", r) ||
		r == unicode.ReplacementChar
}

func sanitize(s string) string {
	var b strings.Builder
	replaced := false // the last "-" written stands for unsafe characters
	for _, r := range s {
		switch {
		case unsafeInName(r) || (r == '-' && replaced):
			if !strings.HasSuffix(b.String(), "-") {
				b.WriteByte('-')
			}
			replaced = true
		default:
			b.WriteRune(r)
			replaced = false
		}
	}
	return strings.Trim(b.String(), "-")
}

// kebab lower-cases s, splits camel case and joins words with "-".
func kebab(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			b.WriteByte(' ')
			continue
		}
		if unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) ||
			(unicode.IsUpper(rs[i-1]) && i+1 < len(rs) && unicode.IsLower(rs[i+1]))) {
			b.WriteByte(' ')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.Join(strings.Fields(b.String()), "-")
}
