package directory

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSAMLSettingsAreCheckedFieldByField(t *testing.T) {
	good := AWSIdentityCenterSAML("https://us-east-1.signin.aws/platform/saml/acs/abc", "https://us-east-1.signin.aws/platform/saml/d-123")
	cases := []struct {
		name   string
		change func(*SAMLSettings)
		causes []string
	}{
		{"the AWS preset is valid", func(*SAMLSettings) {}, nil},
		{"a URN audience is valid", func(s *SAMLSettings) { s.Audience = "urn:amazon:webservices" }, nil},
		{"a missing ACS URL is refused", func(s *SAMLSettings) { s.ACSURL = "" }, []string{"ssoAcsUrl: The field cannot be left blank"}},
		{"a relative ACS URL is refused", func(s *SAMLSettings) { s.ACSURL = "/acs" }, []string{"ssoAcsUrl: Must be an absolute http or https URL"}},
		{"a javascript recipient is refused", func(s *SAMLSettings) { s.Recipient = "javascript:alert(1)" }, []string{"recipient: Must be an absolute http or https URL"}},
		{"an unknown NameID format is refused", func(s *SAMLSettings) { s.NameIDFormat = "urn:x" },
			[]string{"subjectNameIdFormat: Must be one of " + strings.Join([]string{NameIDEmail, NameIDUnspecified, NameIDPersistent}, ", ")}},
		{"nothing signed is refused", func(s *SAMLSettings) { s.ResponseSigned, s.AssertionSigned = false, false },
			[]string{"assertionSigned: The response or the assertion must be signed"}},
		{"a GROUP statement with a bad regex is refused", func(s *SAMLSettings) {
			s.Attributes = []AttributeStatement{{Type: AttributeGroup, Name: "groups", FilterType: FilterRegex, FilterValue: "("}}
		}, []string{"attributeStatements[0].filterValue: Not a valid regular expression"}},
		{"an EXPRESSION statement without values is refused", func(s *SAMLSettings) {
			s.Attributes = []AttributeStatement{{Type: AttributeExpression, Name: "email"}}
		}, []string{"attributeStatements[0].values: An EXPRESSION statement needs at least one value"}},
		{"a statement of another type is refused", func(s *SAMLSettings) {
			s.Attributes = []AttributeStatement{{Type: "MAGIC", Name: "x"}}
		}, []string{"attributeStatements[0].type: Must be EXPRESSION or GROUP"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := good
			c.change(&s)
			if diff := cmp.Diff(c.causes, Causes(ValidateSAML(s))); diff != "" {
				t.Errorf("causes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDefaultsFillWhatACustomAppLeftEmpty(t *testing.T) {
	got := SAMLSettings{ACSURL: "https://sp.example/acs", Audience: "https://sp.example/",
		Attributes: []AttributeStatement{{Type: AttributeExpression, Name: "email", Values: []string{"${user.email}"}}}}.WithDefaults()
	want := SAMLSettings{ACSURL: "https://sp.example/acs", Audience: "https://sp.example/", Recipient: "https://sp.example/acs",
		Destination: "https://sp.example/acs", NameIDFormat: NameIDUnspecified, NameIDTemplate: "${user.userName}",
		AuthnContextClassRef: AuthnPasswordProtected,
		Attributes:           []AttributeStatement{{Type: AttributeExpression, Name: "email", Namespace: AttrFormatBasic, Values: []string{"${user.email}"}}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
}
