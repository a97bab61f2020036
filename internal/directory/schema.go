package directory

import (
	"encoding/json"
	"fmt"
	"regexp"
)

// AttrType is a custom attribute's type, named as Okta's schema names them.
type AttrType string

// The custom attribute types.
const (
	TypeString  AttrType = "string"
	TypeBoolean AttrType = "boolean"
	TypeInteger AttrType = "integer"
	TypeNumber  AttrType = "number"
	TypeArray   AttrType = "array" // of strings
)

// Attribute is a custom attribute an administrator declared.
type Attribute struct {
	Name        string   `json:"name"`
	Title       string   `json:"title"`
	Type        AttrType `json:"type"`
	Description string   `json:"description,omitempty"`
	MaxLength   int      `json:"maxLength,omitempty"` // strings only; 0 means 1024
}

// Schema is the user profile schema: Okta's base attributes (fixed) plus
// the declared custom ones, by name.
type Schema struct {
	Custom map[string]Attribute
}

var attrNameRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,63}$`)

// ValidateAttribute checks a custom attribute declaration.
func ValidateAttribute(a Attribute) error {
	switch {
	case !attrNameRe.MatchString(a.Name):
		return invalid("name: letters, digits and underscores, starting with a letter, at most 64")
	case IsBaseAttr(a.Name):
		return invalid("name: %q is a base attribute", a.Name)
	case a.Title == "" || checkText(a.Title, 100) != "":
		return invalid("title: required, at most 100 characters")
	case a.MaxLength < 0 || a.MaxLength > 4096:
		return invalid("maxLength: between 0 and 4096")
	}
	switch a.Type {
	case TypeString, TypeBoolean, TypeInteger, TypeNumber, TypeArray:
		return nil
	}
	return invalid("type: one of string, boolean, integer, number, array")
}

// check checks a value of the attribute, returning why it is wrong.
func (a Attribute) check(v any) string {
	switch a.Type {
	case TypeString:
		if s, ok := v.(string); ok {
			return checkText(s, a.MaxLength)
		}
	case TypeBoolean:
		if _, ok := v.(bool); ok {
			return ""
		}
	case TypeInteger, TypeNumber:
		if f, ok := number(v); ok && (a.Type == TypeNumber || f == float64(int64(f))) {
			return ""
		}
	case TypeArray:
		return checkList(v)
	}
	return fmt.Sprintf("Must be of type %s", a.Type)
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

func checkList(v any) string {
	list, ok := v.([]any)
	if !ok || len(list) > 100 {
		return "Must be a list of at most 100 strings"
	}
	for _, item := range list {
		s, ok := item.(string)
		if !ok {
			return "Must be a list of strings"
		}
		if c := checkText(s, 1024); c != "" {
			return c
		}
	}
	return ""
}
