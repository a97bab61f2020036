package samlidp

import (
	"slices"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// attribute is one Attribute of the assertion.
type attribute struct {
	Name, NameFormat string
	Values           []string
}

// attributes evaluates the app's statements for u in groups. A statement
// with no values is left out, as Okta does, except the AWS Role: without
// one there is no assertion to send.
func attributes(st []directory.AttributeStatement, u directory.User, groups []directory.Group) ([]attribute, error) {
	var out []attribute
	for _, s := range st {
		a := attribute{Name: s.Name, NameFormat: s.Namespace}
		if a.NameFormat == "" {
			a.NameFormat = attrNameBasic
		}
		switch s.Type {
		case directory.AttributeAWSRoles:
			roleOf, err := directory.AWSRoleMapper(s)
			if err != nil {
				return nil, err
			}
			for _, g := range groups {
				if v := roleOf(g.Name); v != "" && !slices.Contains(a.Values, v) {
					a.Values = append(a.Values, v)
				}
			}
			if len(a.Values) == 0 {
				// AWS refuses an assertion without a Role; Okta shows
				// an error page rather than posting one.
				return nil, errs.E(errs.Denied, "None of your groups gives you a role in AWS, so you cannot sign in to it. Ask your administrator to add you to a group for an AWS role.")
			}
		case directory.AttributeGroup:
			keep, err := directory.CompileGroupFilter(s.FilterType, s.FilterValue)
			if err != nil {
				return nil, err
			}
			for _, g := range groups {
				if keep(g.Name) {
					a.Values = append(a.Values, g.Name)
				}
			}
		default:
			a.Values = directory.ExpressionValues(s.Values, u)
		}
		if len(a.Values) > 0 {
			out = append(out, a)
		}
	}
	return out, nil
}

// ValidateSettings checks what issuing needs from an app's SAML settings,
// for the API to refuse a bad app before anyone signs in.
func ValidateSettings(s directory.SAMLSettings) error {
	if s.ACSURL == "" || s.Audience == "" {
		return errs.E(errs.Invalid, "a SAML app needs an ACS URL (ssoAcsUrl) and an audience (SP entity id)")
	}
	if !s.ResponseSigned && !s.AssertionSigned {
		return errs.E(errs.Invalid, "a SAML app signs its response, its assertion or both")
	}
	for _, a := range s.Attributes {
		var err error
		switch a.Type {
		case directory.AttributeGroup:
			_, err = directory.CompileGroupFilter(a.FilterType, a.FilterValue)
		case directory.AttributeAWSRoles:
			_, err = directory.AWSRoleMapper(a)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
