package identitycenter

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/keyward/keyward/internal/errs"
)

// Attributes for access control (ABAC): the instance maps user attributes
// to keys, and each Identity Center role session carries them as session
// tags.

// MaxAccessControlAttributes is how many attributes an instance maps (and
// how many session tags STS allows).
const MaxAccessControlAttributes = 50

// AccessControlAttribute maps one session tag key to a user attribute,
// named as a path such as ${path:enterprise.department}.
type AccessControlAttribute struct {
	Key    string `json:"Key"`
	Source string `json:"Source"`
}

// AccessControlConfig is the instance's attribute-based access control
// configuration.
type AccessControlConfig struct {
	Attributes []AccessControlAttribute `json:"Attributes"`
}

var accessControlKeyRe = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$`)

// userPaths reads the user attributes a source path may name.
var userPaths = map[string]func(User) string{
	"userName":                            func(u User) string { return u.Profile.UserName },
	"name.familyName":                     func(u User) string { return u.Profile.Name.FamilyName },
	"name.givenName":                      func(u User) string { return u.Profile.Name.GivenName },
	"name.middleName":                     func(u User) string { return u.Profile.Name.MiddleName },
	"displayName":                         func(u User) string { return u.Profile.DisplayName },
	"nickName":                            func(u User) string { return u.Profile.NickName },
	"title":                               func(u User) string { return u.Profile.Title },
	"userType":                            func(u User) string { return u.Profile.UserType },
	"preferredLanguage":                   func(u User) string { return u.Profile.PreferredLanguage },
	"locale":                              func(u User) string { return u.Profile.Locale },
	"timezone":                            func(u User) string { return u.Profile.Timezone },
	"profileUrl":                          func(u User) string { return u.Profile.ProfileURL },
	"emails[primary eq true].value":       func(u User) string { return u.Profile.PrimaryEmail() },
	"phoneNumbers[primary eq true].value": func(u User) string { return primaryPhone(u.Profile.PhoneNumbers) },
	"addresses[primary eq true].streetAddress": func(u User) string { return primaryAddress(u).StreetAddress },
	"addresses[primary eq true].locality":      func(u User) string { return primaryAddress(u).Locality },
	"addresses[primary eq true].region":        func(u User) string { return primaryAddress(u).Region },
	"addresses[primary eq true].postalCode":    func(u User) string { return primaryAddress(u).PostalCode },
	"addresses[primary eq true].country":       func(u User) string { return primaryAddress(u).Country },
	"addresses[primary eq true].formatted":     func(u User) string { return primaryAddress(u).Formatted },
	"enterprise.employeeNumber":                func(u User) string { return u.Enterprise.EmployeeNumber },
	"enterprise.costCenter":                    func(u User) string { return u.Enterprise.CostCenter },
	"enterprise.organization":                  func(u User) string { return u.Enterprise.Organization },
	"enterprise.division":                      func(u User) string { return u.Enterprise.Division },
	"enterprise.department":                    func(u User) string { return u.Enterprise.Department },
	"enterprise.manager.value":                 func(u User) string { return u.Enterprise.ManagerID },
}

func primaryPhone(ps []PhoneNumber) string {
	for _, p := range ps {
		if p.Primary {
			return p.Value
		}
	}
	return ""
}

func primaryAddress(u User) Address {
	for _, a := range u.Profile.Addresses {
		if a.Primary {
			return a
		}
	}
	return Address{}
}

// sourcePath is the attribute path a source names: ${path:X} is X.
func sourcePath(source string) (string, bool) {
	p, ok := strings.CutPrefix(source, "${path:")
	if !ok || !strings.HasSuffix(p, "}") {
		return "", false
	}
	p = strings.TrimSuffix(p, "}")
	_, known := userPaths[p]
	return p, known
}

// Validate checks the configuration as Identity Center does: at most 50
// attributes, unique keys of 1 to 128 characters, and each source one of
// the supported ${path:...} user attributes.
func (c AccessControlConfig) Validate() error {
	if len(c.Attributes) > MaxAccessControlAttributes {
		return errs.E(errs.Invalid, "AccessControlAttributes holds at most %d attributes", MaxAccessControlAttributes)
	}
	seen := map[string]bool{}
	for _, a := range c.Attributes {
		if !accessControlKeyRe.MatchString(a.Key) {
			return errs.E(errs.Invalid, "AccessControlAttribute Key %.140q must be 1 to 128 letters, digits, spaces and _.:/=+-@", a.Key)
		}
		if seen[a.Key] {
			return errs.E(errs.Invalid, "AccessControlAttribute Key %q appears more than once", a.Key)
		}
		seen[a.Key] = true
		if _, ok := sourcePath(a.Source); !ok || utf8.RuneCountInString(a.Source) > 256 {
			return errs.E(errs.Invalid, "AccessControlAttribute %q: Source %.260q is not a supported attribute; use ${path:...} with a user attribute such as ${path:enterprise.department}", a.Key, a.Source)
		}
	}
	return nil
}

// SessionTag is one key-value pair an Identity Center role session carries.
type SessionTag struct{ Key, Value string }

// SessionTags are the tags a role session of u carries under the
// configuration, sorted by key: each attribute's value from the user, then
// the attributes an external identity provider asserted at sign-in
// (saml), which take precedence. Empty values are left out.
func (c AccessControlConfig) SessionTags(u User, saml map[string]string) []SessionTag {
	vals := map[string]string{}
	for _, a := range c.Attributes {
		if p, ok := sourcePath(a.Source); ok {
			vals[a.Key] = userPaths[p](u)
		}
	}
	for k, v := range saml {
		vals[k] = v
	}
	out := make([]SessionTag, 0, len(vals))
	for k, v := range vals {
		if v != "" && utf8.RuneCountInString(v) <= 256 { // characters, as STS counts tag values
			out = append(out, SessionTag{Key: k, Value: v})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	if len(out) > MaxAccessControlAttributes {
		out = out[:MaxAccessControlAttributes]
	}
	return out
}
