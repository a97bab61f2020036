package scimserver

import (
	"net/http"
	"strings"

	"github.com/keyward/keyward/internal/errs"
)

type supported struct {
	Supported bool `json:"supported"`
}

type authScheme struct {
	Type    string `json:"type"`
	Name    string `json:"name"`
	SpecURI string `json:"specUri"`
	Primary bool   `json:"primary"`
}

// serviceProviderConfig is AWS's, as §9 records it.
var serviceProviderConfig = map[string]any{
	"schemas":          []string{"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"},
	"documentationUri": "https://docs.aws.amazon.com/singlesignon/latest/developerguide/what-is-scim.html",
	"authenticationSchemes": []authScheme{{Type: "oauthbearertoken", Name: "OAuth Bearer Token",
		SpecURI: "https://www.rfc-editor.org/info/rfc6750", Primary: true}},
	"patch":          supported{true},
	"bulk":           map[string]any{"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
	"filter":         map[string]any{"supported": true, "maxResults": 50},
	"changePassword": supported{false},
	"sort":           supported{false},
	"etag":           supported{false},
}

// attribute is one attribute of a schema (RFC 7643 §7).
type attribute struct {
	Name          string      `json:"name"`
	Type          string      `json:"type"`
	MultiValued   bool        `json:"multiValued"`
	Required      bool        `json:"required"`
	CaseExact     bool        `json:"caseExact"`
	Mutability    string      `json:"mutability"`
	Returned      string      `json:"returned"`
	Uniqueness    string      `json:"uniqueness"`
	SubAttributes []attribute `json:"subAttributes,omitempty"`
}

func str(name string, required bool) attribute {
	return attribute{Name: name, Type: "string", Required: required, Mutability: "readWrite", Returned: "default", Uniqueness: "none"}
}

func strs(names ...string) []attribute {
	out := make([]attribute, len(names))
	for i, n := range names {
		out[i] = str(n, false)
	}
	return out
}

func multi(name string, subs ...attribute) attribute {
	a := str(name, false)
	a.Type, a.MultiValued, a.SubAttributes = "complex", true, subs
	return a
}

func complexAttr(name string, required bool, subs ...attribute) attribute {
	a := str(name, required)
	a.Type, a.SubAttributes = "complex", subs
	return a
}

var primary = attribute{Name: "primary", Type: "boolean", Mutability: "readWrite", Returned: "default", Uniqueness: "none"}

type schema struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Description string      `json:"description"`
	Attributes  []attribute `json:"attributes"`
	Schemas     []string    `json:"schemas"`
	Meta        any         `json:"meta"`
}

func newSchema(id, name, desc string, attrs ...attribute) schema {
	return schema{ID: id, Name: name, Description: desc, Attributes: attrs,
		Schemas: []string{"urn:ietf:params:scim:schemas:core:2.0:Schema"},
		Meta:    map[string]string{"resourceType": "Schema", "location": "/Schemas/" + id}}
}

// schemas are the attributes AWS supports, per resource.
var schemas = []schema{
	newSchema(urnUser, "User", "User Account", append([]attribute{
		func() attribute { a := str("userName", true); a.Uniqueness = "server"; return a }(),
		complexAttr("name", true, append(strs("formatted", "middleName", "honorificPrefix", "honorificSuffix"),
			str("familyName", true), str("givenName", true))...),
		str("displayName", true),
		{Name: "active", Type: "boolean", Mutability: "readWrite", Returned: "default", Uniqueness: "none"},
		multi("emails", str("value", false), str("type", false), primary),
		multi("addresses", append(strs("formatted", "streetAddress", "locality", "region", "postalCode",
			"country", "type"), primary)...),
		multi("phoneNumbers", str("value", false), str("type", false), primary),
	}, strs("externalId", "nickName", "profileUrl", "title", "userType", "preferredLanguage", "locale", "timezone")...)...),
	newSchema(urnGroup, "Group", "Group", str("displayName", true), str("externalId", false),
		multi("members", str("value", false))),
	newSchema(urnEnterprise, "EnterpriseUser", "Enterprise User", append(
		strs("employeeNumber", "costCenter", "organization", "division", "department"),
		complexAttr("manager", false, str("value", false)))...),
}

type resourceType struct {
	Schemas          []string          `json:"schemas"`
	ID               string            `json:"id"`
	Name             string            `json:"name"`
	Endpoint         string            `json:"endpoint"`
	Description      string            `json:"description"`
	Schema           string            `json:"schema"`
	SchemaExtensions []schemaExtension `json:"schemaExtensions,omitempty"`
}

type schemaExtension struct {
	Schema   string `json:"schema"`
	Required bool   `json:"required"`
}

var resourceTypes = []resourceType{
	{Schemas: []string{"urn:ietf:params:scim:schemas:core:2.0:ResourceType"}, ID: "User", Name: "User",
		Endpoint: "/Users", Description: "User Account", Schema: urnUser,
		SchemaExtensions: []schemaExtension{{Schema: urnEnterprise}}},
	{Schemas: []string{"urn:ietf:params:scim:schemas:core:2.0:ResourceType"}, ID: "Group", Name: "Group",
		Endpoint: "/Groups", Description: "Group", Schema: urnGroup},
}

// discovery serves ServiceProviderConfig, Schemas[/{urn}] and
// ResourceTypes[/{name}].
func (s *Server) discovery(w http.ResponseWriter, r *http.Request, what, id string) error {
	if r.Method != http.MethodGet {
		return methodNotSupported(r)
	}
	switch {
	case what == "ServiceProviderConfig" && id == "":
		writeJSON(w, http.StatusOK, serviceProviderConfig)
	case what == "Schemas" && id == "":
		writeJSON(w, http.StatusOK, listOf(schemas))
	case what == "Schemas":
		for _, sc := range schemas {
			if strings.EqualFold(sc.ID, id) {
				writeJSON(w, http.StatusOK, sc)
				return nil
			}
		}
		return errs.E(errs.NotFound, "no schema %s", id).WithResource("", id)
	case what == "ResourceTypes" && id == "":
		writeJSON(w, http.StatusOK, listOf(resourceTypes))
	case what == "ResourceTypes":
		for _, rt := range resourceTypes {
			if rt.ID == id {
				writeJSON(w, http.StatusOK, rt)
				return nil
			}
		}
		return errs.E(errs.NotFound, "no resource type %s", id).WithResource("", id)
	default:
		return errs.E(errs.NotFound, "no such endpoint")
	}
	return nil
}

func listOf[T any](items []T) listResponse {
	rs := make([]any, len(items))
	for i, it := range items {
		rs[i] = it
	}
	n, one := len(rs), 1
	return listResponse{TotalResults: &n, ItemsPerPage: n, StartIndex: &one, Schemas: []string{urnList}, Resources: rs}
}
