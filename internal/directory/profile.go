package directory

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/mail"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/keyward/keyward/internal/errs"
)

// Profile is a user's attributes as Okta sends them: the base attributes
// below (strings) and custom attributes an administrator declared in the
// Schema. A JSON null or an absent key means no value.
type Profile map[string]any

// The attributes every sign-in needs.
const (
	AttrLogin = "login"
	AttrEmail = "email"
)

// baseAttrs are Okta's base user profile attributes with their maximum
// length in characters (0: Okta states none; we allow 1024).
var baseAttrs = map[string]int{
	"login": 100, "email": 100, "secondEmail": 100, "firstName": 50, "lastName": 50,
	"middleName": 0, "honorificPrefix": 0, "honorificSuffix": 0, "title": 0,
	"displayName": 0, "nickName": 0, "profileUrl": 0, "mobilePhone": 100, "primaryPhone": 100,
	"streetAddress": 1024, "city": 128, "state": 128, "zipCode": 50, "countryCode": 2,
	"postalAddress": 4096, "preferredLanguage": 0, "locale": 0, "timezone": 0, "userType": 0,
	"employeeNumber": 0, "costCenter": 0, "organization": 0, "division": 0, "department": 0,
	"managerId": 0, "manager": 0,
}

// requiredAttrs are required in Okta's default user schema.
var requiredAttrs = []string{"login", "email", "firstName", "lastName"}

// IsBaseAttr reports whether name is one of Okta's base attributes.
func IsBaseAttr(name string) bool { _, ok := baseAttrs[name]; return ok }

// BaseAttrMaxLength is a base attribute's maximum length in characters,
// or 0 when Okta states none (keyward then allows 1024).
func BaseAttrMaxLength(name string) int { return baseAttrs[name] }

// IsRequiredAttr reports whether the default schema requires name.
func IsRequiredAttr(name string) bool { return slices.Contains(requiredAttrs, name) }

// BaseAttrs lists the base attribute names, sorted.
func BaseAttrs() []string { return slices.Sorted(maps.Keys(baseAttrs)) }

// String returns attribute name as text: a string as is, a number or
// boolean in its JSON form, and "" for null, absent or a list.
func (p Profile) String(name string) string {
	switch v := p[name].(type) {
	case string:
		return v
	case bool, float64, json.Number:
		return fmt.Sprint(v)
	}
	return ""
}

// Texts returns attribute name as search compares it: one text, or the
// text of each item of a list; nothing when absent. A number is written
// as its float64 text ("42.50" is "42.5") whether it is held as a
// json.Number (as the API and the store read it) or a float64, so one
// value searches as the same text however it arrived.
func (p Profile) Texts(name string) []string { return texts(p[name]) }

func texts(v any) []string {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, item := range x {
			out = append(out, texts(item)...)
		}
		return out
	case json.Number:
		f, _ := x.Float64()
		return []string{fmt.Sprint(f)}
	}
	return []string{fmt.Sprint(v)}
}

// Clone returns a copy of p (list values are shared; they are never
// modified in place).
func (p Profile) Clone() Profile { return maps.Clone(p) }

// Merge returns p with every key of update applied: a null deletes the
// attribute. It is Okta's partial update (POST /users/{id}).
func (p Profile) Merge(update Profile) Profile {
	out := p.Clone()
	if out == nil {
		out = Profile{}
	}
	for k, v := range update {
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	return out
}

// Compact drops null values, so stored profiles hold only set attributes.
func (p Profile) Compact() Profile {
	out := Profile{}
	for k, v := range p {
		if v != nil {
			out[k] = v
		}
	}
	return out
}

// Validate checks p against Okta's default schema plus the custom
// attributes in s: required attributes present, base attributes strings of
// allowed length, custom attributes declared and of their type, login and
// email well formed. Every problem is listed in the error's causes.
func (s Schema) Validate(p Profile) error {
	var causes []string
	for _, name := range requiredAttrs {
		if p.String(name) == "" {
			causes = append(causes, fmt.Sprintf("%s: The field cannot be left blank", name))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(p)) {
		if c := s.checkAttr(name, p[name]); c != "" {
			causes = append(causes, name+": "+c)
		}
	}
	if c := checkLogin(p.String(AttrLogin)); c != "" {
		causes = append(causes, "login: "+c)
	}
	if e := p.String(AttrEmail); e != "" && !validEmail(e) {
		causes = append(causes, "email: Does not match required pattern")
	}
	if len(causes) == 0 {
		return nil
	}
	return validationError(causes)
}

func validationError(causes []string) *errs.Error {
	return &errs.Error{Kind: errs.Invalid, Message: "Api validation failed: " + strings.Join(causes, "; "),
		Reason: ReasonValidation}
}

// Causes splits a validation error's message into Okta's errorCauses.
func Causes(err error) []string {
	e, ok := errs.As(err)
	if !ok || e.Reason != ReasonValidation {
		return nil
	}
	return strings.Split(strings.TrimPrefix(e.Message, "Api validation failed: "), "; ")
}

func (s Schema) checkAttr(name string, v any) string {
	if v == nil {
		return ""
	}
	if max, ok := baseAttrs[name]; ok {
		str, isString := v.(string)
		if !isString {
			return "Must be a string"
		}
		return checkText(str, max)
	}
	a, ok := s.Custom[name]
	if !ok {
		return "Property name is not defined in the profile schema"
	}
	return a.check(v)
}

// checkText checks a string attribute's length and characters.
func checkText(s string, max int) string {
	if max == 0 {
		max = 1024
	}
	switch {
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		return "Must be valid text"
	case utf8.RuneCountInString(s) > max:
		return fmt.Sprintf("Must be at most %d characters", max)
	}
	return ""
}

// checkLogin applies Okta's default login rule: an email-shaped name. A
// login with "/" could only be fetched by id, so it is refused too.
func checkLogin(login string) string {
	switch {
	case login == "":
		return ""
	case strings.ContainsAny(login, "/ \t\r\n"):
		return "Username must not contain spaces or slashes"
	case strings.IndexFunc(login, invisible) >= 0:
		return "Username must not contain spaces, control or invisible characters"
	case !validEmail(login):
		return "Username must be in the form of an email address"
	}
	return ""
}

// validEmail reports whether s is a bare address. net/mail takes any
// non-ASCII character as part of a name, so the spaces, controls and
// invisible format characters (a no-break or zero-width space) it would
// let through are refused here: they make an address that looks like
// another and cannot be typed.
func validEmail(s string) bool {
	if strings.IndexFunc(s, invisible) >= 0 {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

// invisible reports a space, line or paragraph separator, control or
// format character (Unicode Z*, Cc, Cf).
func invisible(r rune) bool {
	return unicode.IsSpace(r) || unicode.In(r, unicode.Z, unicode.Cc, unicode.Cf)
}
