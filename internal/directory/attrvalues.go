package directory

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/keyward/keyward/internal/errs"
)

// Profile expressions and group filters, as Okta's apps use them in SAML
// attribute statements and OpenID Connect claims.

// maxFilterRegex bounds a GROUP statement's REGEX. Go's regexp runs in
// time linear in its input, so a bounded pattern bounds the work.
const maxFilterRegex = 1024

// Expand fills a template such as "${user.firstName} ${user.lastName}"
// from u's profile (Okta's expression subset keyward supports:
// ${user.<attribute>}, where user.userName is the login). An unknown
// attribute is empty; text outside ${...} is kept.
func Expand(tmpl string, u User) string {
	var b strings.Builder
	for {
		start := strings.Index(tmpl, "${")
		if start < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		end := strings.IndexByte(tmpl[start:], '}')
		if end < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:start])
		b.WriteString(strings.Join(userValues(tmpl[start+2:start+end], u), ","))
		tmpl = tmpl[start+end+1:]
	}
}

// userValues are the values of the expression user.<attribute>.
func userValues(expr string, u User) []string {
	name, ok := strings.CutPrefix(strings.TrimSpace(expr), "user.")
	if !ok {
		return nil
	}
	if name == "userName" {
		name = AttrLogin
	}
	return u.Profile.Texts(name)
}

// ExpressionValues are an EXPRESSION statement's values for u: a whole
// "user.x" or "${user.x}" gives each of the attribute's values (a list
// attribute gives several), a template with text gives one expanded
// value, a "quoted" value its text.
func ExpressionValues(values []string, u User) []string {
	var out []string
	for _, v := range values {
		v = strings.TrimSpace(v)
		inner, whole := strings.CutPrefix(v, "${")
		if whole && strings.HasSuffix(inner, "}") && !strings.Contains(inner, "${") {
			out = append(out, userValues(strings.TrimSuffix(inner, "}"), u)...)
			continue
		}
		if strings.HasPrefix(v, "user.") && !strings.ContainsAny(v, " ${}") {
			out = append(out, userValues(v, u)...)
			continue
		}
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			out = append(out, v[1:len(v)-1])
			continue
		}
		out = append(out, Expand(v, u))
	}
	return out
}

// CompileGroupFilter compiles a group filter (a SAML GROUP statement's,
// an OIDC groups claim's): it reports which group names pass. STARTS_WITH,
// EQUALS and CONTAINS compare case-sensitively; REGEX must match the whole
// name and is at most 1024 bytes.
func CompileGroupFilter(kind, value string) (func(name string) bool, error) {
	switch kind {
	case FilterStartsWith:
		return func(n string) bool { return strings.HasPrefix(n, value) }, nil
	case FilterEquals:
		return func(n string) bool { return n == value }, nil
	case FilterContains:
		return func(n string) bool { return strings.Contains(n, value) }, nil
	case FilterRegex:
		if len(value) > maxFilterRegex {
			return nil, errs.E(errs.Invalid, "a group filter's regular expression is longer than %d bytes", maxFilterRegex)
		}
		re, err := regexp.Compile(`^(?:` + value + `)$`)
		if err != nil {
			return nil, errs.E(errs.Invalid, "the group filter %s is not a valid regular expression", strconv.Quote(value))
		}
		return re.MatchString, nil
	}
	return nil, errs.E(errs.Invalid, "unknown group filter type %s", strconv.Quote(kind))
}
