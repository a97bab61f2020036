package scimclient

import (
	"strings"

	"github.com/keyward/keyward/internal/directory"
)

// MapUser is u as the target's SCIM user: userName is the login,
// externalId the identity provider's id, one primary work email, phone
// and address (AWS accepts one value per multi-valued attribute), and the
// enterprise extension. Required values AWS refuses to go without
// (displayName, givenName, familyName) fall back to what the profile has.
func MapUser(u directory.User, active bool) User {
	p := u.Profile
	s := p.String
	out := User{
		ExternalID: u.ID, UserName: u.Login(), DisplayName: u.DisplayName(), Active: active,
		Name: Name{GivenName: s("firstName"), FamilyName: s("lastName"), MiddleName: s("middleName"),
			HonorificPrefix: s("honorificPrefix"), HonorificSuffix: s("honorificSuffix")},
		NickName: s("nickName"), Title: s("title"), UserType: s("userType"),
		PreferredLanguage: s("preferredLanguage"), Locale: s("locale"), Timezone: s("timezone"),
	}
	if out.Name.GivenName == "" {
		out.Name.GivenName = out.UserName
	}
	if out.Name.FamilyName == "" {
		out.Name.FamilyName = out.UserName
	}
	if e := s(directory.AttrEmail); e != "" {
		out.Emails = []MultiValue{{Value: e, Type: "work", Primary: true}}
	}
	if ph := cmpOr(s("primaryPhone"), s("mobilePhone")); ph != "" {
		out.PhoneNumbers = []MultiValue{{Value: ph, Type: "work", Primary: true}}
	}
	if a := mapAddress(p); a != (Address{}) {
		a.Type, a.Primary = "work", true
		out.Addresses = []Address{a}
	}
	ent := Enterprise{EmployeeNumber: s("employeeNumber"), CostCenter: s("costCenter"),
		Organization: s("organization"), Division: s("division"), Department: s("department")}
	if ent != (Enterprise{}) {
		out.Enterprise = &ent
	}
	return out
}

func mapAddress(p directory.Profile) Address {
	return Address{StreetAddress: p.String("streetAddress"), Locality: p.String("city"),
		Region: p.String("state"), PostalCode: p.String("zipCode"), Country: strings.ToUpper(p.String("countryCode"))}
}

// MapGroup is g as the target's SCIM group.
func MapGroup(g directory.Group) Group {
	return Group{DisplayName: g.Name, ExternalID: g.ID}
}

// Pushable reports whether a user in status s is pushed as active; other
// statuses are deactivated at the target when already there, and STAGED
// users are not created.
func Pushable(s directory.Status) bool {
	switch s {
	case directory.Active, directory.Provisioned, directory.Recovery, directory.PasswordExpired, directory.LockedOut:
		return true
	}
	return false
}

// userDiffs lists the attributes in which got differs from want, as
// attribute, want, got triples.
func userDiffs(want, got User) [][3]string {
	var out [][3]string
	for _, f := range userFields {
		if w, g := f.get(want), f.get(got); w != g {
			out = append(out, [3]string{f.name, w, g})
		}
	}
	return out
}

type field[T any] struct {
	name string
	get  func(T) string
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func first[T any](s []T) T {
	var zero T
	if len(s) == 0 {
		return zero
	}
	return s[0]
}

func ent(u User) Enterprise {
	if u.Enterprise == nil {
		return Enterprise{}
	}
	return *u.Enterprise
}

var userFields = []field[User]{
	{"userName", func(u User) string { return u.UserName }},
	{"externalId", func(u User) string { return u.ExternalID }},
	{"active", func(u User) string { return boolText(u.Active) }},
	{"displayName", func(u User) string { return u.DisplayName }},
	{"name.givenName", func(u User) string { return u.Name.GivenName }},
	{"name.familyName", func(u User) string { return u.Name.FamilyName }},
	{"title", func(u User) string { return u.Title }},
	{"emails[primary].value", func(u User) string { return first(u.Emails).Value }},
	{"phoneNumbers[primary].value", func(u User) string { return first(u.PhoneNumbers).Value }},
	{"enterprise.employeeNumber", func(u User) string { return ent(u).EmployeeNumber }},
	{"enterprise.costCenter", func(u User) string { return ent(u).CostCenter }},
	{"enterprise.organization", func(u User) string { return ent(u).Organization }},
	{"enterprise.division", func(u User) string { return ent(u).Division }},
	{"enterprise.department", func(u User) string { return ent(u).Department }},
}

var groupFields = []field[Group]{
	{"displayName", func(g Group) string { return g.DisplayName }},
	{"externalId", func(g Group) string { return g.ExternalID }},
}

func groupDiffs(want, got Group) [][3]string {
	var out [][3]string
	for _, f := range groupFields {
		if w, g := f.get(want), f.get(got); w != g {
			out = append(out, [3]string{f.name, w, g})
		}
	}
	return out
}
