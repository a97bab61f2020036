package scimserver

import (
	"encoding/json"

	ic "github.com/keyward/keyward/internal/identitycenter"
)

// Schema URNs, lowercased where they are compared.
const (
	schemaUser       = "urn:ietf:params:scim:schemas:core:2.0:user"
	schemaGroup      = "urn:ietf:params:scim:schemas:core:2.0:group"
	schemaEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user"

	urnUser       = "urn:ietf:params:scim:schemas:core:2.0:User"
	urnGroup      = "urn:ietf:params:scim:schemas:core:2.0:Group"
	urnEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	urnList       = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	urnPatch      = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
)

type scimName struct {
	Formatted       string `json:"formatted,omitempty"`
	FamilyName      string `json:"familyName,omitempty"`
	GivenName       string `json:"givenName,omitempty"`
	MiddleName      string `json:"middleName,omitempty"`
	HonorificPrefix string `json:"honorificPrefix,omitempty"`
	HonorificSuffix string `json:"honorificSuffix,omitempty"`
}

// scimValue is an email or phone number. Display is refused: AWS does not
// support the display sub-attribute.
type scimValue struct {
	Value   string          `json:"value,omitempty"`
	Type    string          `json:"type,omitempty"`
	Primary bool            `json:"primary,omitempty"`
	Display json.RawMessage `json:"display,omitempty"`
}

type scimAddress struct {
	Formatted     string          `json:"formatted,omitempty"`
	StreetAddress string          `json:"streetAddress,omitempty"`
	Locality      string          `json:"locality,omitempty"`
	Region        string          `json:"region,omitempty"`
	PostalCode    string          `json:"postalCode,omitempty"`
	Country       string          `json:"country,omitempty"`
	Type          string          `json:"type,omitempty"`
	Primary       bool            `json:"primary,omitempty"`
	Display       json.RawMessage `json:"display,omitempty"`
}

type scimManager struct {
	Value       string          `json:"value,omitempty"`
	DisplayName json.RawMessage `json:"displayName,omitempty"`
}

type scimEnterprise struct {
	EmployeeNumber string       `json:"employeeNumber,omitempty"`
	CostCenter     string       `json:"costCenter,omitempty"`
	Organization   string       `json:"organization,omitempty"`
	Division       string       `json:"division,omitempty"`
	Department     string       `json:"department,omitempty"`
	Manager        *scimManager `json:"manager,omitempty"`
}

// scimUser is a User resource, in and out. The RawMessage members are
// attributes AWS refuses; they are read only to refuse them.
type scimUser struct {
	ID                string          `json:"id,omitempty"`
	ExternalID        string          `json:"externalId,omitempty"`
	Meta              *meta           `json:"meta,omitempty"`
	Schemas           []string        `json:"schemas,omitempty"`
	UserName          string          `json:"userName,omitempty"`
	Name              *scimName       `json:"name,omitempty"`
	DisplayName       string          `json:"displayName,omitempty"`
	NickName          string          `json:"nickName,omitempty"`
	ProfileURL        string          `json:"profileUrl,omitempty"`
	Title             string          `json:"title,omitempty"`
	UserType          string          `json:"userType,omitempty"`
	PreferredLanguage string          `json:"preferredLanguage,omitempty"`
	Locale            string          `json:"locale,omitempty"`
	Timezone          string          `json:"timezone,omitempty"`
	Active            *bool           `json:"active,omitempty"`
	Emails            []scimValue     `json:"emails,omitempty"`
	Addresses         []scimAddress   `json:"addresses,omitempty"`
	PhoneNumbers      []scimValue     `json:"phoneNumbers,omitempty"`
	Enterprise        *scimEnterprise `json:"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User,omitempty"`

	Password         json.RawMessage `json:"password,omitempty"`
	Ims              json.RawMessage `json:"ims,omitempty"`
	Photos           json.RawMessage `json:"photos,omitempty"`
	X509Certificates json.RawMessage `json:"x509Certificates,omitempty"`
	Entitlements     json.RawMessage `json:"entitlements,omitempty"`
	Groups           json.RawMessage `json:"groups,omitempty"`
	Roles            json.RawMessage `json:"roles,omitempty"`
}

type meta struct {
	ResourceType string `json:"resourceType"`
	Created      string `json:"created"`
	LastModified string `json:"lastModified"`
}

// check refuses what AWS refuses in a user: unsupported attributes and
// sub-attributes, more than one value of a multi-valued attribute, an
// email that is not primary.
func (u *scimUser) check() error {
	refused := []struct {
		name string
		v    json.RawMessage
	}{
		{"password", u.Password}, {"ims", u.Ims}, {"photos", u.Photos},
		{"x509Certificates", u.X509Certificates}, {"entitlements", u.Entitlements}, {"groups", u.Groups},
		{"roles", u.Roles},
	}
	for _, a := range refused {
		if present(a.v) {
			return invalid("the attribute %s is not supported", a.name)
		}
	}
	if len(u.Emails) > 1 || len(u.Addresses) > 1 || len(u.PhoneNumbers) > 1 {
		return invalid("emails, addresses and phoneNumbers accept only a single value")
	}
	for _, e := range u.Emails {
		if !e.Primary {
			return invalid("the email must be primary")
		}
	}
	if displayed(u) {
		return invalid("the display sub-attribute is not supported")
	}
	if e := u.Enterprise; e != nil && e.Manager != nil && present(e.Manager.DisplayName) {
		return invalid("manager.displayName is not supported")
	}
	return nil
}

func displayed(u *scimUser) bool {
	for _, e := range u.Emails {
		if present(e.Display) {
			return true
		}
	}
	for _, p := range u.PhoneNumbers {
		if present(p.Display) {
			return true
		}
	}
	for _, a := range u.Addresses {
		if present(a.Display) {
			return true
		}
	}
	return false
}

// present reports whether a refused attribute was sent with a value.
func present(v json.RawMessage) bool { return len(v) > 0 && string(v) != "null" }

// profile is the identity-store profile u describes.
func (u *scimUser) profile() ic.Profile {
	p := ic.Profile{
		UserName: u.UserName, DisplayName: u.DisplayName, NickName: u.NickName, ProfileURL: u.ProfileURL,
		Title: u.Title, UserType: u.UserType, PreferredLanguage: u.PreferredLanguage, Locale: u.Locale,
		Timezone: u.Timezone,
	}
	if n := u.Name; n != nil {
		p.Name = ic.Name{Formatted: n.Formatted, FamilyName: n.FamilyName, GivenName: n.GivenName,
			MiddleName: n.MiddleName, HonorificPrefix: n.HonorificPrefix, HonorificSuffix: n.HonorificSuffix}
	}
	for _, e := range u.Emails {
		p.Emails = append(p.Emails, ic.Email{Value: e.Value, Type: e.Type, Primary: e.Primary})
	}
	for _, ph := range u.PhoneNumbers {
		p.PhoneNumbers = append(p.PhoneNumbers, ic.PhoneNumber{Value: ph.Value, Type: ph.Type, Primary: ph.Primary})
	}
	for _, a := range u.Addresses {
		p.Addresses = append(p.Addresses, ic.Address{StreetAddress: a.StreetAddress, Locality: a.Locality,
			Region: a.Region, PostalCode: a.PostalCode, Country: a.Country, Formatted: a.Formatted,
			Type: a.Type, Primary: a.Primary})
	}
	return p
}

func (u *scimUser) enterprise() ic.Enterprise {
	e := u.Enterprise
	if e == nil {
		return ic.Enterprise{}
	}
	out := ic.Enterprise{EmployeeNumber: e.EmployeeNumber, CostCenter: e.CostCenter, Organization: e.Organization,
		Division: e.Division, Department: e.Department}
	if e.Manager != nil {
		out.ManagerID = e.Manager.Value
	}
	return out
}

// toSCIMUser is the User resource of u; issuer picks the ExternalId that
// is its externalId.
func toSCIMUser(u ic.User, issuer string) scimUser {
	p := u.Profile
	active := u.Status != ic.UserDisabled
	out := scimUser{
		ID: u.ID, ExternalID: externalID(u.ExternalIDs, issuer), Schemas: []string{urnUser},
		Meta:     &meta{ResourceType: "User", Created: scimTime(u.CreatedAt), LastModified: scimTime(u.UpdatedAt)},
		UserName: p.UserName, DisplayName: p.DisplayName, NickName: p.NickName, ProfileURL: p.ProfileURL,
		Title: p.Title, UserType: p.UserType, PreferredLanguage: p.PreferredLanguage, Locale: p.Locale,
		Timezone: p.Timezone, Active: &active,
	}
	if n := p.Name; n != (ic.Name{}) {
		out.Name = &scimName{Formatted: n.Formatted, FamilyName: n.FamilyName, GivenName: n.GivenName,
			MiddleName: n.MiddleName, HonorificPrefix: n.HonorificPrefix, HonorificSuffix: n.HonorificSuffix}
	}
	for _, e := range p.Emails {
		out.Emails = append(out.Emails, scimValue{Value: e.Value, Type: e.Type, Primary: e.Primary})
	}
	for _, ph := range p.PhoneNumbers {
		out.PhoneNumbers = append(out.PhoneNumbers, scimValue{Value: ph.Value, Type: ph.Type, Primary: ph.Primary})
	}
	for _, a := range p.Addresses {
		out.Addresses = append(out.Addresses, scimAddress{StreetAddress: a.StreetAddress, Locality: a.Locality,
			Region: a.Region, PostalCode: a.PostalCode, Country: a.Country, Formatted: a.Formatted,
			Type: a.Type, Primary: a.Primary})
	}
	if e := u.Enterprise; e != (ic.Enterprise{}) {
		out.Schemas = append(out.Schemas, urnEnterprise)
		out.Enterprise = &scimEnterprise{EmployeeNumber: e.EmployeeNumber, CostCenter: e.CostCenter,
			Organization: e.Organization, Division: e.Division, Department: e.Department}
		if e.ManagerID != "" {
			out.Enterprise.Manager = &scimManager{Value: e.ManagerID}
		}
	}
	return out
}

// externalID is the Id of the ExternalId issuer gave, or "".
func externalID(xs []ic.ExternalID, issuer string) string {
	for _, x := range xs {
		if x.Issuer == issuer {
			return x.ID
		}
	}
	return ""
}

// withExternalID sets (or, for id "", removes) the ExternalId of issuer,
// keeping the others.
func withExternalID(xs []ic.ExternalID, issuer, id string) []ic.ExternalID {
	out := make([]ic.ExternalID, 0, len(xs)+1)
	for _, x := range xs {
		if x.Issuer != issuer {
			out = append(out, x)
		}
	}
	if id != "" {
		out = append(out, ic.ExternalID{Issuer: issuer, ID: id})
	}
	return out
}
