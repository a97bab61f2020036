package directory

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Attribute name formats (a statement's Namespace).
const (
	AttrFormatBasic       = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"
	AttrFormatURI         = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
	AttrFormatUnspecified = "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"
)

// AuthnPasswordProtected is the authentication context class apps get
// unless they ask for another.
const AuthnPasswordProtected = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"

// Keys of the AWS IAM Identity Center catalogue app's settings.app, as
// Okta's catalogue entry names them (the two values AWS shows when its
// identity source becomes an external identity provider).
const (
	AWSSettingACSURL   = "acsURL"
	AWSSettingEntityID = "entityID"
)

// AWSIdentityCenterSAML is the SAML preset IAM Identity Center needs: the
// NameID is the login in emailAddress format (Identity Center matches it
// to the userName provisioning set, which is the login), responses and
// assertions are signed, the audience is the entity id AWS shows.
func AWSIdentityCenterSAML(acsURL, entityID string) SAMLSettings {
	return SAMLSettings{ACSURL: acsURL, Audience: entityID, Recipient: acsURL, Destination: acsURL,
		NameIDFormat: NameIDEmail, NameIDTemplate: "${user.login}", ResponseSigned: true, AssertionSigned: true,
		AuthnContextClassRef: AuthnPasswordProtected}
}

// WithDefaults fills what an app left empty: Recipient and Destination
// are the ACS URL, NameID is the login in unspecified format, the context
// class is password over a protected transport, attributes are basic.
func (s SAMLSettings) WithDefaults() SAMLSettings {
	if s.Recipient == "" {
		s.Recipient = s.ACSURL
	}
	if s.Destination == "" {
		s.Destination = s.ACSURL
	}
	if s.NameIDFormat == "" {
		s.NameIDFormat = NameIDUnspecified
	}
	if s.NameIDTemplate == "" {
		s.NameIDTemplate = "${user.userName}"
	}
	if s.AuthnContextClassRef == "" {
		s.AuthnContextClassRef = AuthnPasswordProtected
	}
	s.Attributes = slices.Clone(s.Attributes)
	for i, a := range s.Attributes {
		if a.Namespace == "" {
			s.Attributes[i].Namespace = AttrFormatBasic
		}
	}
	return s
}

// ValidateSAML checks a SAML app's settings, naming each bad field as
// Okta's settings.signOn does ("ssoAcsUrl: ...").
func ValidateSAML(s SAMLSettings) error {
	var causes []string
	add := func(field, problem string) {
		if problem != "" {
			causes = append(causes, field+": "+problem)
		}
	}
	add("ssoAcsUrl", checkURL(s.ACSURL, true))
	add("audience", checkAudience(s.Audience))
	add("recipient", checkURL(s.Recipient, false))
	add("destination", checkURL(s.Destination, false))
	add("subjectNameIdFormat", mustBeOneOf(s.NameIDFormat, NameIDEmail, NameIDUnspecified, NameIDPersistent))
	add("subjectNameIdTemplate", checkExpression(s.NameIDTemplate))
	if !s.ResponseSigned && !s.AssertionSigned {
		add("assertionSigned", "The response or the assertion must be signed")
	}
	add("authnContextClassRef", checkText(s.AuthnContextClassRef, 1024))
	add("defaultRelayState", checkText(s.DefaultRelayState, 2048))
	if s.AssertionLifetime < 0 {
		add("samlAssertionLifetimeSeconds", "Must not be negative")
	}
	for i, a := range s.Attributes {
		for _, c := range checkStatement(a) {
			causes = append(causes, "attributeStatements["+strconv.Itoa(i)+"]."+c)
		}
	}
	if len(causes) == 0 {
		return nil
	}
	return validationError(causes)
}

func checkStatement(a AttributeStatement) []string {
	var out []string
	add := func(field, problem string) {
		if problem != "" {
			out = append(out, field+": "+problem)
		}
	}
	if strings.TrimSpace(a.Name) == "" {
		add("name", "The field cannot be left blank")
	}
	add("name", checkText(a.Name, 512))
	if a.Namespace != "" {
		add("namespace", mustBeOneOf(a.Namespace, AttrFormatBasic, AttrFormatURI, AttrFormatUnspecified))
	}
	switch a.Type {
	case AttributeExpression:
		if len(a.Values) == 0 {
			add("values", "An EXPRESSION statement needs at least one value")
		}
		for _, v := range a.Values {
			add("values", checkExpression(v))
		}
	case AttributeGroup:
		add("filterType", mustBeOneOf(a.FilterType, FilterStartsWith, FilterEquals, FilterContains, FilterRegex))
		add("filterValue", checkText(a.FilterValue, 1024))
		if _, err := regexp.Compile(a.FilterValue); a.FilterType == FilterRegex && err != nil {
			add("filterValue", "Not a valid regular expression")
		}
	case AttributeAWSRoles:
		if _, err := AWSRoleMapper(a); err != nil {
			out = append(out, Causes(err)...)
		}
	default:
		add("type", "Must be EXPRESSION or GROUP")
	}
	return out
}

// checkURL requires (when required) an absolute http or https URL.
func checkURL(s string, required bool) string {
	if s == "" {
		if required {
			return "The field cannot be left blank"
		}
		return ""
	}
	if c := checkText(s, 2048); c != "" {
		return c
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "Must be an absolute http or https URL"
	}
	return ""
}

// checkAudience requires an entity id: a URL or a URN.
func checkAudience(s string) string {
	switch {
	case strings.TrimSpace(s) == "":
		return "The field cannot be left blank"
	case checkText(s, 1024) != "":
		return checkText(s, 1024)
	case strings.HasPrefix(s, "urn:"):
		return ""
	}
	return checkURL(s, true)
}

// checkExpression requires a non-blank expression; what it may name is the
// SAML identity provider's to evaluate.
func checkExpression(s string) string {
	if strings.TrimSpace(s) == "" {
		return "The field cannot be left blank"
	}
	return checkText(s, 1024)
}

func mustBeOneOf(s string, allowed ...string) string {
	for _, a := range allowed {
		if s == a {
			return ""
		}
	}
	return "Must be one of " + strings.Join(allowed, ", ")
}
