package identitycenter

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/errs"
)

func TestSessionTagsComeFromTheUsersAttributesAndTheAssertionWins(t *testing.T) {
	u := User{Profile: Profile{UserName: "alice", Emails: []Email{{Value: "a@x.test"}, {Value: "alice@example.com", Primary: true}},
		Addresses: []Address{{Country: "FR"}, {Country: "NZ", Primary: true}}},
		Enterprise: Enterprise{Department: "eng", CostCenter: ""}}
	c := AccessControlConfig{Attributes: []AccessControlAttribute{
		{Key: "dept", Source: "${path:enterprise.department}"},
		{Key: "email", Source: "${path:emails[primary eq true].value}"},
		{Key: "country", Source: "${path:addresses[primary eq true].country}"},
		{Key: "cc", Source: "${path:enterprise.costCenter}"},
		{Key: "user", Source: "${path:userName}"},
	}}
	for _, tc := range []struct {
		name string
		saml map[string]string
		want []SessionTag
	}{
		{"the identity store's values are tagged, empty ones left out", nil, []SessionTag{
			{"country", "NZ"}, {"dept", "eng"}, {"email", "alice@example.com"}, {"user", "alice"}}},
		{"an asserted attribute replaces the store's value and adds its own keys", map[string]string{"dept": "sales", "project": "blue"},
			[]SessionTag{{"country", "NZ"}, {"dept", "sales"}, {"email", "alice@example.com"}, {"project", "blue"}, {"user", "alice"}}},
		// A tag value is bounded at 256 characters, as the sign-in checks
		// it, not bytes: 200 characters of Japanese are 600 bytes.
		{"an asserted value of 256 characters is kept, one of 257 left out", map[string]string{"team": strings.Repeat("開", 256), "long": strings.Repeat("開", 257)},
			[]SessionTag{{"country", "NZ"}, {"dept", "eng"}, {"email", "alice@example.com"}, {"team", strings.Repeat("開", 256)}, {"user", "alice"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, c.SessionTags(u, tc.saml)); diff != "" {
				t.Errorf("tags (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAnAccessControlConfigurationIsValidated(t *testing.T) {
	many := AccessControlConfig{}
	for i := range 51 {
		many.Attributes = append(many.Attributes, AccessControlAttribute{Key: "k" + string(rune('A'+i)), Source: "${path:userName}"})
	}
	for _, tc := range []struct {
		name string
		c    AccessControlConfig
	}{
		{"more than 50 attributes", many},
		{"a duplicate key", AccessControlConfig{Attributes: []AccessControlAttribute{{"a", "${path:userName}"}, {"a", "${path:title}"}}}},
		{"an empty key", AccessControlConfig{Attributes: []AccessControlAttribute{{"", "${path:userName}"}}}},
		{"a key with a comma", AccessControlConfig{Attributes: []AccessControlAttribute{{"a,b", "${path:userName}"}}}},
		{"a source that is not a path", AccessControlConfig{Attributes: []AccessControlAttribute{{"a", "userName"}}}},
		{"a path to no attribute", AccessControlConfig{Attributes: []AccessControlAttribute{{"a", "${path:enterprise.shoeSize}"}}}},
	} {
		t.Run("a configuration with "+tc.name+" is refused", func(t *testing.T) {
			if err := tc.c.Validate(); !errs.Is(err, errs.Invalid) {
				t.Errorf("Validate() = %v, want Invalid", err)
			}
		})
	}
	ok := AccessControlConfig{Attributes: []AccessControlAttribute{{"team name", "${path:enterprise.division}"}}}
	if err := ok.Validate(); err != nil {
		t.Errorf("a valid configuration: %v", err)
	}
}

func TestAPolicyReferenceAndABoundaryAreValidated(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"a name with a space", PolicyRef{Name: "a b"}.Validate()},
		{"a path without the trailing slash", PolicyRef{Name: "a", Path: "/x"}.Validate()},
		{"an empty boundary", PermissionsBoundary{}.Validate()},
		{"a boundary with both kinds", PermissionsBoundary{ManagedPolicyARN: "arn:aws:iam::aws:policy/ReadOnlyAccess", CustomerPolicy: &PolicyRef{Name: "a"}}.Validate()},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			if !errs.Is(tc.err, errs.Invalid) {
				t.Errorf("err = %v, want Invalid", tc.err)
			}
		})
	}
	if got := (PolicyRef{Name: "Deploy"}).ARN("111122223333"); got != "arn:aws:iam::111122223333:policy/Deploy" {
		t.Errorf("ARN = %s", got)
	}
}
