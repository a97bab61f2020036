package oktaapi

import (
	"maps"
	"net/http"
	"slices"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// userSchemaJSON is Okta's UserSchema: the default user type's profile
// schema, base attributes (fixed) and custom ones (declared).
type userSchemaJSON struct {
	ID          string            `json:"id"`
	Schema      string            `json:"$schema"`
	Name        string            `json:"name"`
	Title       string            `json:"title"`
	Type        string            `json:"type"`
	Definitions schemaDefinitions `json:"definitions"`
	Properties  schemaProfileRef  `json:"properties"`
	Links       map[string]href   `json:"_links"`
}

type schemaDefinitions struct {
	Base   schemaPart `json:"base"`
	Custom schemaPart `json:"custom"`
}

type schemaPart struct {
	ID         string              `json:"id"`
	Type       string              `json:"type"`
	Properties map[string]attrJSON `json:"properties"`
	Required   []string            `json:"required"`
}

type schemaProfileRef struct {
	Profile struct {
		AllOf []map[string]string `json:"allOf"`
	} `json:"profile"`
}

// attrJSON is Okta's UserSchemaAttribute, in the fields keyward keeps.
type attrJSON struct {
	Title       string       `json:"title"`
	Type        string       `json:"type"`
	Description string       `json:"description,omitempty"`
	MaxLength   int          `json:"maxLength,omitempty"`
	Required    bool         `json:"required"`
	Mutability  string       `json:"mutability"`
	Scope       string       `json:"scope"`
	Items       *schemaItems `json:"items,omitempty"`
}

type schemaItems struct {
	Type string `json:"type"`
}

// baseTitles are Okta's titles of the base attributes.
var baseTitles = map[string]string{
	"login": "Username", "email": "Primary email", "secondEmail": "Secondary email",
	"firstName": "First name", "lastName": "Last name", "middleName": "Middle name",
	"honorificPrefix": "Honorific prefix", "honorificSuffix": "Honorific suffix", "title": "Title",
	"displayName": "Display name", "nickName": "Nickname", "profileUrl": "Profile Url",
	"mobilePhone": "Mobile phone", "primaryPhone": "Primary phone", "streetAddress": "Street address",
	"city": "City", "state": "State", "zipCode": "Zip code", "countryCode": "Country code",
	"postalAddress": "Postal Address", "preferredLanguage": "Preferred language", "locale": "Locale",
	"timezone": "Time zone", "userType": "User type", "employeeNumber": "Employee number",
	"costCenter": "Cost center", "organization": "Organization", "division": "Division",
	"department": "Department", "managerId": "ManagerId", "manager": "Manager",
}

func (a *API) schemaJSON(s directory.Schema) userSchemaJSON {
	self := a.cfg.OrgURL + "/api/v1/meta/schemas/user/default"
	out := userSchemaJSON{ID: self, Schema: "http://json-schema.org/draft-04/schema#", Name: "user",
		Title: "User", Type: "object", Links: map[string]href{"self": {Href: self, Method: "GET"}},
		Definitions: schemaDefinitions{
			Base:   schemaPart{ID: "#base", Type: "object", Properties: map[string]attrJSON{}, Required: []string{}},
			Custom: schemaPart{ID: "#custom", Type: "object", Properties: map[string]attrJSON{}, Required: []string{}},
		}}
	out.Properties.Profile.AllOf = []map[string]string{{"$ref": "#/definitions/custom"}, {"$ref": "#/definitions/base"}}
	for _, name := range directory.BaseAttrs() {
		required := directory.IsRequiredAttr(name)
		if required {
			out.Definitions.Base.Required = append(out.Definitions.Base.Required, name)
		}
		out.Definitions.Base.Properties[name] = attrJSON{Title: baseTitles[name], Type: "string",
			MaxLength: directory.BaseAttrMaxLength(name), Required: required, Mutability: "READ_WRITE", Scope: "NONE"}
	}
	for name, attr := range s.Custom {
		j := attrJSON{Title: attr.Title, Type: string(attr.Type), Description: attr.Description,
			MaxLength: attr.MaxLength, Mutability: "READ_WRITE", Scope: "NONE"}
		if attr.Type == directory.TypeArray {
			j.Items = &schemaItems{Type: "string"}
		}
		out.Definitions.Custom.Properties[name] = j
	}
	return out
}

// schemaID checks {schemaId}: keyward has the one user type, "default".
func schemaID(r *http.Request) error {
	if id := r.PathValue("schemaId"); id != defaultUserType {
		return notFound("UserSchema", id)
	}
	return nil
}

// getSchema is GET /api/v1/meta/schemas/user/default.
func (a *API) getSchema(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := a.allow(r, c, directory.ReadDirectory, directory.Scope{}); err != nil {
		return err
	}
	if err := schemaID(r); err != nil {
		return err
	}
	s, err := a.cfg.Store.Schema(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.schemaJSON(s))
	return nil
}

// schemaBody is the part of a UserSchema partial update keyward acts on:
// definitions.custom.properties. Base attributes are fixed, so
// definitions.base is accepted and ignored, as are the other fields.
type schemaBody struct {
	Definitions *struct {
		Custom *struct {
			Properties map[string]*attrBody `json:"properties"`
		} `json:"custom"`
	} `json:"definitions"`
}

type attrBody struct {
	Title       string       `json:"title"`
	Type        string       `json:"type"`
	Description string       `json:"description"`
	MaxLength   *int         `json:"maxLength"`
	Items       *schemaItems `json:"items"`
}

// maxAttributes bounds the custom attributes one update declares.
const maxAttributes = 100

// attributes checks the declarations the body makes, all before any is
// stored; they come back sorted by name.
func (b schemaBody) attributes() ([]directory.Attribute, error) {
	if b.Definitions == nil || b.Definitions.Custom == nil || len(b.Definitions.Custom.Properties) == 0 {
		return nil, errs.E(errs.Invalid, "definitions.custom.properties: required")
	}
	props := b.Definitions.Custom.Properties
	if len(props) > maxAttributes {
		return nil, errs.E(errs.Invalid, "definitions.custom.properties: at most %d in one update", maxAttributes)
	}
	var out []directory.Attribute
	for _, name := range slices.Sorted(maps.Keys(props)) {
		a, err := props[name].attribute(name)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func (p *attrBody) attribute(name string) (directory.Attribute, error) {
	if p == nil {
		return directory.Attribute{}, errs.E(errs.Invalid, "%s: removing a custom attribute is not supported", name)
	}
	a := directory.Attribute{Name: name, Title: p.Title, Type: directory.AttrType(p.Type), Description: p.Description}
	if p.MaxLength != nil {
		if a.Type != directory.TypeString {
			return a, errs.E(errs.Invalid, "%s: maxLength applies only to strings", name)
		}
		a.MaxLength = *p.MaxLength
	}
	if p.Items != nil && (a.Type != directory.TypeArray || p.Items.Type != "string") {
		return a, errs.E(errs.Invalid, "%s: items: only arrays of strings are supported", name)
	}
	if err := directory.ValidateAttribute(a); err != nil {
		return a, errs.E(errs.Invalid, "%s: %s", name, messageOf(err))
	}
	return a, nil
}

// updateSchema is POST /api/v1/meta/schemas/user/default: a partial
// update declaring custom attributes, or redeclaring them with another
// title, description or maxLength; a declared attribute keeps its type,
// so the values people hold stay valid.
func (a *API) updateSchema(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := schemaID(r); err != nil {
		return err
	}
	var b schemaBody
	if err := decodeBody(r, &b, true); err != nil {
		return err
	}
	if err := a.allow(r, c, directory.ManageOrg, directory.Scope{OrgWide: true}); err != nil {
		return err
	}
	attrs, err := b.attributes()
	if err != nil {
		return err
	}
	old, err := a.cfg.Store.Schema(r.Context())
	if err != nil {
		return err
	}
	for _, attr := range attrs {
		if was, ok := old.Custom[attr.Name]; ok && was.Type != attr.Type {
			return errs.E(errs.Invalid, "%s: type: a declared attribute keeps its type (%s)", attr.Name, was.Type)
		}
	}
	for _, attr := range attrs {
		if err := a.cfg.Store.PutAttribute(r.Context(), attr); err != nil {
			return err
		}
	}
	s, err := a.cfg.Store.Schema(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.schemaJSON(s))
	return nil
}
