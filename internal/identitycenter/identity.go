package identitycenter

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/keyward/keyward/internal/errs"
)

// User statuses.
const (
	UserEnabled  = "ENABLED"
	UserDisabled = "DISABLED"
)

// Name is a user's structured name. The JSON names are the identity store's.
type Name struct {
	Formatted       string `json:"Formatted,omitempty"`
	FamilyName      string `json:"FamilyName,omitempty"`
	GivenName       string `json:"GivenName,omitempty"`
	MiddleName      string `json:"MiddleName,omitempty"`
	HonorificPrefix string `json:"HonorificPrefix,omitempty"`
	HonorificSuffix string `json:"HonorificSuffix,omitempty"`
}

// Email is one of a user's addresses.
type Email struct {
	Value   string `json:"Value,omitempty"`
	Type    string `json:"Type,omitempty"`
	Primary bool   `json:"Primary,omitempty"`
}

// Address is one of a user's postal addresses.
type Address struct {
	StreetAddress string `json:"StreetAddress,omitempty"`
	Locality      string `json:"Locality,omitempty"`
	Region        string `json:"Region,omitempty"`
	PostalCode    string `json:"PostalCode,omitempty"`
	Country       string `json:"Country,omitempty"`
	Formatted     string `json:"Formatted,omitempty"`
	Type          string `json:"Type,omitempty"`
	Primary       bool   `json:"Primary,omitempty"`
}

// PhoneNumber is one of a user's phone numbers.
type PhoneNumber struct {
	Value   string `json:"Value,omitempty"`
	Type    string `json:"Type,omitempty"`
	Primary bool   `json:"Primary,omitempty"`
}

// ExternalID links a user or group to an external identity provider.
type ExternalID struct {
	Issuer string `json:"Issuer"`
	ID     string `json:"Id"`
}

// Profile is the set of user attributes an administrator edits.
type Profile struct {
	UserName          string        `json:"UserName,omitempty"`
	Name              Name          `json:"Name,omitzero"`
	DisplayName       string        `json:"DisplayName,omitempty"`
	NickName          string        `json:"NickName,omitempty"`
	ProfileURL        string        `json:"ProfileUrl,omitempty"`
	Emails            []Email       `json:"Emails,omitempty"`
	Addresses         []Address     `json:"Addresses,omitempty"`
	PhoneNumbers      []PhoneNumber `json:"PhoneNumbers,omitempty"`
	UserType          string        `json:"UserType,omitempty"`
	Title             string        `json:"Title,omitempty"`
	PreferredLanguage string        `json:"PreferredLanguage,omitempty"`
	Locale            string        `json:"Locale,omitempty"`
	Timezone          string        `json:"Timezone,omitempty"`
}

// Enterprise is SCIM's enterprise user extension
// (urn:ietf:params:scim:schemas:extension:enterprise:2.0:User) as Identity
// Center keeps it. The Identity Store API shows it only on request (its
// "aws:identitystore:enterprise" extension), so it is not part of Profile.
type Enterprise struct {
	EmployeeNumber string `json:"EmployeeNumber,omitempty"`
	CostCenter     string `json:"CostCenter,omitempty"`
	Organization   string `json:"Organization,omitempty"`
	Division       string `json:"Division,omitempty"`
	Department     string `json:"Department,omitempty"`
	// ManagerID is manager.value: the manager's user id.
	ManagerID string `json:"ManagerId,omitempty"`
}

// User is an identity-store user.
type User struct {
	ID      string
	Profile Profile
	// Enterprise is set by SCIM provisioning; zero otherwise.
	Enterprise  Enterprise
	ExternalIDs []ExternalID
	Status      string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedBy   string
	UpdatedBy   string
}

// PrimaryEmail returns the primary email, or the first one.
func (p Profile) PrimaryEmail() string {
	for _, e := range p.Emails {
		if e.Primary {
			return e.Value
		}
	}
	if len(p.Emails) > 0 {
		return p.Emails[0].Value
	}
	return ""
}

// Group is an identity-store group.
type Group struct {
	ID          string
	DisplayName string
	Description string
	ExternalIDs []ExternalID
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedBy   string
	UpdatedBy   string
}

// Membership puts a user in a group.
type Membership struct {
	ID        string
	GroupID   string
	UserID    string
	CreatedAt time.Time
	CreatedBy string
}

// userNameRe is the identity store's UserName pattern: no spaces or
// control characters.
var userNameRe = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$`)

// NormalizeName folds a user or group name for uniqueness checks: identity
// store names are unique regardless of case.
func NormalizeName(s string) string { return strings.ToLower(s) }

// textCheck is one text field to check: its name, value, most characters
// and whether it must be present.
type textCheck struct {
	field, value string
	max          int
	required     bool
}

// ValidateProfile checks a user profile as the identity store does on create
// and after every update: required names, and every text field's length
// (the model's SensitiveStringType: at most 1024 characters) and characters.
func ValidateProfile(p Profile) error {
	checks := []textCheck{
		{"userName", p.UserName, 128, true},
		{"displayName", p.DisplayName, 1024, true},
		{"givenName", p.Name.GivenName, 1024, true},
		{"familyName", p.Name.FamilyName, 1024, true},
		{"nickName", p.NickName, 1024, false},
		{"profileUrl", p.ProfileURL, 1024, false},
		{"title", p.Title, 1024, false},
		{"userType", p.UserType, 1024, false},
		{"preferredLanguage", p.PreferredLanguage, 1024, false},
		{"locale", p.Locale, 1024, false},
		{"timezone", p.Timezone, 1024, false},
		{"name.formatted", p.Name.Formatted, 1024, false},
		{"name.middleName", p.Name.MiddleName, 1024, false},
		{"name.honorificPrefix", p.Name.HonorificPrefix, 1024, false},
		{"name.honorificSuffix", p.Name.HonorificSuffix, 1024, false},
	}
	for _, e := range p.Emails {
		checks = append(checks, textCheck{"emails.value", e.Value, 1024, false}, textCheck{"emails.type", e.Type, 1024, false})
	}
	for _, a := range p.Addresses {
		checks = append(checks,
			textCheck{"addresses.streetAddress", a.StreetAddress, 1024, false},
			textCheck{"addresses.locality", a.Locality, 1024, false},
			textCheck{"addresses.region", a.Region, 1024, false},
			textCheck{"addresses.postalCode", a.PostalCode, 1024, false},
			textCheck{"addresses.country", a.Country, 1024, false},
			textCheck{"addresses.formatted", a.Formatted, 1024, false},
			textCheck{"addresses.type", a.Type, 1024, false})
	}
	for _, n := range p.PhoneNumbers {
		checks = append(checks, textCheck{"phoneNumbers.value", n.Value, 1024, false}, textCheck{"phoneNumbers.type", n.Type, 1024, false})
	}
	for _, c := range checks {
		if err := checkText(c.field, c.value, c.max, c.required, identityText); err != nil {
			return err
		}
	}
	if !userNameRe.MatchString(p.UserName) {
		return errs.E(errs.Invalid, "userName: letters, marks, symbols, digits and punctuation only; no spaces")
	}
	if len(p.Emails) > 1 || len(p.Addresses) > 1 || len(p.PhoneNumbers) > 1 {
		return errs.E(errs.Invalid, "Emails, Addresses and PhoneNumbers accept at most one value each")
	}
	return nil
}

// ValidateGroup checks a group's display name and description.
func ValidateGroup(displayName, description string) error {
	if err := checkText("displayName", displayName, 1024, true, groupDisplayName); err != nil {
		return err
	}
	return checkText("description", description, 1024, false, identityText)
}

// checkText checks a text field's presence, length in characters and
// characters (those allowed accepts).
func checkText(field, value string, max int, required bool, allowed func(rune) bool) error {
	if value == "" {
		if required {
			return errs.E(errs.Invalid, "%s: The attribute %s is required", strings.ToLower(field), strings.ToLower(field))
		}
		return nil
	}
	if err := checkChars(field, value, allowed); err != nil {
		return err
	}
	if utf8.RuneCountInString(value) > max {
		return errs.E(errs.Invalid, "%s: must be valid text of at most %d characters", field, max)
	}
	return nil
}

// UserGone says why a user with status (empty when the user no longer
// exists) may not use what they signed in to: the reason a refusal logs.
func UserGone(status string) string {
	if status == "" {
		return "the user no longer exists"
	}
	return "the user is " + strings.ToLower(status)
}
