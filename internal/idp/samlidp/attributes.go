package samlidp

import (
	"regexp"
	"slices"
	"strings"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// maxFilterRegex bounds a GROUP statement's REGEX. Go's regexp runs in
// time linear in its input, so a bounded pattern bounds the work.
const maxFilterRegex = 1024

// expand fills a template such as "${user.firstName} ${user.lastName}"
// from u's profile (Okta's expression subset keyward supports:
// ${user.<attribute>}, where user.userName is the login). An unknown
// attribute is empty; text outside ${...} is kept.
func expand(tmpl string, u directory.User) string {
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
func userValues(expr string, u directory.User) []string {
	name, ok := strings.CutPrefix(strings.TrimSpace(expr), "user.")
	if !ok {
		return nil
	}
	if name == "userName" {
		name = directory.AttrLogin
	}
	return u.Profile.Texts(name)
}

// expressionValues are an EXPRESSION statement's values for u: a whole
// "user.x" or "${user.x}" gives each of the attribute's values (a list
// attribute gives several), a template with text gives one expanded
// value, a "quoted" value its text.
func expressionValues(values []string, u directory.User) []string {
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
		out = append(out, expand(v, u))
	}
	return out
}

// GroupFilter decides which group names a GROUP statement sends.
type GroupFilter func(name string) bool

// CompileGroupFilter compiles a GROUP statement's filter. STARTS_WITH,
// EQUALS and CONTAINS compare case-sensitively; REGEX must match the whole
// name and is at most 1024 bytes.
func CompileGroupFilter(kind, value string) (GroupFilter, error) {
	switch kind {
	case directory.FilterStartsWith:
		return func(n string) bool { return strings.HasPrefix(n, value) }, nil
	case directory.FilterEquals:
		return func(n string) bool { return n == value }, nil
	case directory.FilterContains:
		return func(n string) bool { return strings.Contains(n, value) }, nil
	case directory.FilterRegex:
		if len(value) > maxFilterRegex {
			return nil, errs.E(errs.Invalid, "a group filter's regular expression is longer than %d bytes", maxFilterRegex)
		}
		re, err := regexp.Compile(`^(?:` + value + `)$`)
		if err != nil {
			return nil, errs.E(errs.Invalid, "the group filter %s is not a valid regular expression", quote(value))
		}
		return re.MatchString, nil
	}
	return nil, errs.E(errs.Invalid, "unknown group filter type %s", quote(kind))
}

// attribute is one Attribute of the assertion.
type attribute struct {
	Name, NameFormat string
	Values           []string
}

// attributes evaluates the app's statements for u in groups. A statement
// with no values is left out, as Okta does.
func attributes(st []directory.AttributeStatement, u directory.User, groups []directory.Group) ([]attribute, error) {
	var out []attribute
	for _, s := range st {
		a := attribute{Name: s.Name, NameFormat: s.Namespace}
		if a.NameFormat == "" {
			a.NameFormat = attrNameBasic
		}
		switch s.Type {
		case directory.AttributeAWSRoles:
			roleOf, err := directory.AWSRoleMapper(s)
			if err != nil {
				return nil, err
			}
			for _, g := range groups {
				if v := roleOf(g.Name); v != "" && !slices.Contains(a.Values, v) {
					a.Values = append(a.Values, v)
				}
			}
		case directory.AttributeGroup:
			keep, err := CompileGroupFilter(s.FilterType, s.FilterValue)
			if err != nil {
				return nil, err
			}
			for _, g := range groups {
				if keep(g.Name) {
					a.Values = append(a.Values, g.Name)
				}
			}
		default:
			a.Values = expressionValues(s.Values, u)
		}
		if len(a.Values) > 0 {
			out = append(out, a)
		}
	}
	return out, nil
}

// ValidateSettings checks what issuing needs from an app's SAML settings,
// for the API to refuse a bad app before anyone signs in.
func ValidateSettings(s directory.SAMLSettings) error {
	if s.ACSURL == "" || s.Audience == "" {
		return errs.E(errs.Invalid, "a SAML app needs an ACS URL (ssoAcsUrl) and an audience (SP entity id)")
	}
	if !s.ResponseSigned && !s.AssertionSigned {
		return errs.E(errs.Invalid, "a SAML app signs its response, its assertion or both")
	}
	for _, a := range s.Attributes {
		var err error
		switch a.Type {
		case directory.AttributeGroup:
			_, err = CompileGroupFilter(a.FilterType, a.FilterValue)
		case directory.AttributeAWSRoles:
			_, err = directory.AWSRoleMapper(a)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
