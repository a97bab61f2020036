package scimclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// SCIM schema URNs.
const (
	SchemaUser       = "urn:ietf:params:scim:schemas:core:2.0:User"
	SchemaGroup      = "urn:ietf:params:scim:schemas:core:2.0:Group"
	SchemaEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	SchemaPatchOp    = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	SchemaList       = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	SchemaError      = "urn:ietf:params:scim:api:messages:2.0:Error"
)

// User is a SCIM user as AWS IAM Identity Center accepts it: each
// multi-valued attribute holds at most one value.
type User struct {
	Schemas           []string     `json:"schemas,omitempty"`
	ID                string       `json:"id,omitempty"`
	ExternalID        string       `json:"externalId,omitempty"`
	UserName          string       `json:"userName"`
	Name              Name         `json:"name"`
	DisplayName       string       `json:"displayName"`
	NickName          string       `json:"nickName,omitempty"`
	Title             string       `json:"title,omitempty"`
	UserType          string       `json:"userType,omitempty"`
	PreferredLanguage string       `json:"preferredLanguage,omitempty"`
	Locale            string       `json:"locale,omitempty"`
	Timezone          string       `json:"timezone,omitempty"`
	Active            bool         `json:"active"`
	Emails            []MultiValue `json:"emails,omitempty"`
	PhoneNumbers      []MultiValue `json:"phoneNumbers,omitempty"`
	Addresses         []Address    `json:"addresses,omitempty"`
	Enterprise        *Enterprise  `json:"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User,omitempty"`
	Meta              *Meta        `json:"meta,omitempty"`
}

// Name is a user's name.
type Name struct {
	GivenName       string `json:"givenName,omitempty"`
	FamilyName      string `json:"familyName,omitempty"`
	MiddleName      string `json:"middleName,omitempty"`
	HonorificPrefix string `json:"honorificPrefix,omitempty"`
	HonorificSuffix string `json:"honorificSuffix,omitempty"`
}

// MultiValue is one email or phone number.
type MultiValue struct {
	Value   string `json:"value"`
	Type    string `json:"type,omitempty"`
	Primary bool   `json:"primary,omitempty"`
}

// Address is a user's one address.
type Address struct {
	StreetAddress string `json:"streetAddress,omitempty"`
	Locality      string `json:"locality,omitempty"`
	Region        string `json:"region,omitempty"`
	PostalCode    string `json:"postalCode,omitempty"`
	Country       string `json:"country,omitempty"`
	Formatted     string `json:"formatted,omitempty"`
	Type          string `json:"type,omitempty"`
	Primary       bool   `json:"primary,omitempty"`
}

// Enterprise is the enterprise user extension.
type Enterprise struct {
	EmployeeNumber string `json:"employeeNumber,omitempty"`
	CostCenter     string `json:"costCenter,omitempty"`
	Organization   string `json:"organization,omitempty"`
	Division       string `json:"division,omitempty"`
	Department     string `json:"department,omitempty"`
}

// Meta is a resource's metadata.
type Meta struct {
	ResourceType string `json:"resourceType,omitempty"`
	Created      string `json:"created,omitempty"`
	LastModified string `json:"lastModified,omitempty"`
}

// Group is a SCIM group. Members is sent only on create and is never
// trusted on read (AWS always returns []).
type Group struct {
	Schemas     []string `json:"schemas,omitempty"`
	ID          string   `json:"id,omitempty"`
	ExternalID  string   `json:"externalId,omitempty"`
	DisplayName string   `json:"displayName"`
	Members     []Member `json:"members,omitempty"`
	Meta        *Meta    `json:"meta,omitempty"`
}

// Member is a group member reference.
type Member struct {
	Value string `json:"value"`
}

// ListResponse is a page of a list, in either of AWS's forms: with
// totalResults and startIndex, or with nextCursor.
type ListResponse[T any] struct {
	TotalResults int    `json:"totalResults"`
	ItemsPerPage int    `json:"itemsPerPage"`
	StartIndex   int    `json:"startIndex"`
	NextCursor   string `json:"nextCursor"`
	Resources    []T    `json:"Resources"`
}

// PatchOp is a SCIM PATCH request.
type PatchOp struct {
	Schemas    []string    `json:"schemas"`
	Operations []Operation `json:"Operations"`
}

// Operation is one PATCH operation.
type Operation struct {
	Op    string `json:"op"`
	Path  string `json:"path,omitempty"`
	Value any    `json:"value,omitempty"`
}

func patch(ops ...Operation) PatchOp {
	return PatchOp{Schemas: []string{SchemaPatchOp}, Operations: ops}
}

// Size bounds of what the client reads from a target.
const (
	maxResourceBody = 1 << 20 // one user or group, or an error
	maxListBody     = 8 << 20 // a page of up to 100 resources
)

// errTooLarge is an answer longer than the client reads: asking again
// would not make it shorter.
var errTooLarge = errors.New("scim: response body exceeds the size limit")

// decode reads at most limit bytes of r as JSON into v; a longer body is
// an error rather than a truncated value.
func decode(r io.Reader, limit int64, v any) error {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return err
	}
	if int64(len(b)) > limit {
		return fmt.Errorf("%w (%d bytes)", errTooLarge, limit)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("scim: malformed response: %w", err)
	}
	return nil
}
