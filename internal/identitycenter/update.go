package identitycenter

import (
	"encoding/json"
	"reflect"
	"strings"

	"github.com/keyward/keyward/internal/errs"
)

// MaxUpdateOperations bounds UpdateUser and UpdateGroup.
const MaxUpdateOperations = 100

// ApplyUserUpdate applies one identity-store UpdateUser operation: set the
// attribute at path to value (JSON null clears it). Paths are matched without
// regard to case, as the identity store does.
func ApplyUserUpdate(p *Profile, path string, value json.RawMessage) error {
	lower := strings.ToLower(path)
	if f := userStringField(p, lower); f != nil {
		return decodeValue(path, value, f)
	}
	if sub, ok := strings.CutPrefix(lower, "name."); ok {
		if f := nameField(&p.Name, sub); f != nil {
			return decodeValue(path, value, f)
		}
	}
	switch lower {
	case "name":
		p.Name = Name{}
		return decodeValue(path, value, &p.Name)
	case "emails":
		p.Emails = nil
		return decodeValue(path, value, &p.Emails)
	case "addresses":
		p.Addresses = nil
		return decodeValue(path, value, &p.Addresses)
	case "phonenumbers":
		p.PhoneNumbers = nil
		return decodeValue(path, value, &p.PhoneNumbers)
	}
	return errs.E(errs.Invalid, "AttributePath %q is not an updatable user attribute", path)
}

func userStringField(p *Profile, path string) *string {
	switch path {
	case "username":
		return &p.UserName
	case "displayname":
		return &p.DisplayName
	case "nickname":
		return &p.NickName
	case "profileurl":
		return &p.ProfileURL
	case "usertype":
		return &p.UserType
	case "title":
		return &p.Title
	case "preferredlanguage":
		return &p.PreferredLanguage
	case "locale":
		return &p.Locale
	case "timezone":
		return &p.Timezone
	}
	return nil
}

func nameField(n *Name, sub string) *string {
	switch sub {
	case "formatted":
		return &n.Formatted
	case "familyname":
		return &n.FamilyName
	case "givenname":
		return &n.GivenName
	case "middlename":
		return &n.MiddleName
	case "honorificprefix":
		return &n.HonorificPrefix
	case "honorificsuffix":
		return &n.HonorificSuffix
	}
	return nil
}

// ApplyGroupUpdate applies one UpdateGroup operation.
func ApplyGroupUpdate(g *Group, path string, value json.RawMessage) error {
	switch strings.ToLower(path) {
	case "displayname":
		return decodeValue(path, value, &g.DisplayName)
	case "description":
		return decodeValue(path, value, &g.Description)
	}
	return errs.E(errs.Invalid, "AttributePath %q is not an updatable group attribute", path)
}

// decodeValue decodes value into dst; null sets dst to its zero value.
func decodeValue(path string, value json.RawMessage, dst any) error {
	if len(value) == 0 || string(value) == "null" {
		reflect.ValueOf(dst).Elem().SetZero()
		return nil
	}
	if err := json.Unmarshal(value, dst); err != nil {
		return errs.E(errs.Invalid, "AttributeValue for %q has the wrong type", path)
	}
	return nil
}
