package directory

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGroupsMapToAWSRolesAsOktasPatternsSay(t *testing.T) {
	multi := map[string]string{AWSFedUseGroupMapping: "true", AWSFedGroupFilter: `^aws\#\S+\#(?{{role}}[\w\-]+)\#(?{{accountid}}\d+)$`,
		AWSFedRoleValuePattern: "arn:aws:iam::${accountid}:saml-provider/Keyward,arn:aws:iam::${accountid}:role/${role}"}
	single := map[string]string{AWSFedIdentityProviderARN: "arn:aws:iam::222222222222:saml-provider/Keyward", AWSFedGroupFilter: `aws-(?{{role}}\w+)`}
	cases := []struct {
		name     string
		settings map[string]string
		group    string
		want     string
	}{
		{"with group mapping, aws#<account name>#<role>#<account id> names role and account", multi, "aws#contractors#Reader#222222222222",
			"arn:aws:iam::222222222222:saml-provider/Keyward,arn:aws:iam::222222222222:role/Reader"},
		{"with group mapping, a group the filter does not match maps to nothing", multi, "engineering", ""},
		{"without group mapping, the provider's account is the role's", single, "aws-Admin",
			"arn:aws:iam::222222222222:saml-provider/Keyward,arn:aws:iam::222222222222:role/Admin"},
		{"without group mapping, a group naming another account than the provider's maps to nothing",
			map[string]string{AWSFedIdentityProviderARN: "arn:aws:iam::222222222222:saml-provider/Keyward"}, "aws_999999999999_Admin", ""},
		{"without group mapping, a group naming the provider's account maps to its role",
			map[string]string{AWSFedIdentityProviderARN: "arn:aws:iam::222222222222:saml-provider/Keyward"}, "aws_222222222222_Admin",
			"arn:aws:iam::222222222222:saml-provider/Keyward,arn:aws:iam::222222222222:role/Admin"},
		{"Okta's default filter reads aws_<account>_<role>", map[string]string{AWSFedUseGroupMapping: "true"}, "aws_333333333333_Dev",
			"arn:aws:iam::333333333333:saml-provider/OKTA,arn:aws:iam::333333333333:role/Dev"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, causes := ReadAWSFederation(c.settings)
			if len(causes) > 0 {
				t.Fatal(causes)
			}
			if got := f.RoleFor(c.group); got != c.want {
				t.Errorf("group %s maps to %q, want %q", c.group, got, c.want)
			}
			if err := ValidateSAML(f.SAML().WithDefaults()); err != nil {
				t.Errorf("the app's SAML settings are refused: %v", err)
			}
		})
	}
}

func TestBadAWSFederationSettingsAreNamed(t *testing.T) {
	provider := "arn:aws:iam::222222222222:saml-provider/Keyward"
	cases := []struct {
		name     string
		settings map[string]string
		want     []string
	}{
		{"a session longer than 12 hours", map[string]string{AWSFedIdentityProviderARN: provider, AWSFedSessionDuration: "50000"},
			[]string{"settings.app.sessionDuration: Must be a number of seconds between 900 and 43200"}},
		{"no provider without group mapping", map[string]string{},
			[]string{"settings.app.identityProviderArn: Must be the ARN of the IAM SAML provider (arn:aws:iam::<account>:saml-provider/<name>), or turn useGroupMapping on"}},
		{"group mapping with a filter that captures no account", map[string]string{AWSFedUseGroupMapping: "true", AWSFedGroupFilter: `aws-(?{{role}}\w+)`},
			[]string{"settings.app.groupFilter: With useGroupMapping it must capture the account id as (?{{accountid}}...)"}},
		{"an unknown environment", map[string]string{AWSFedIdentityProviderARN: provider, AWSFedEnvironmentType: "aws.moon"},
			[]string{"settings.app.awsEnvironmentType: Must be aws.amazon, aws.cn or aws.us-gov"}},
	}
	for _, c := range cases {
		t.Run(c.name+" is refused", func(t *testing.T) {
			_, causes := ReadAWSFederation(c.settings)
			if diff := cmp.Diff(c.want, causes); diff != "" {
				t.Errorf("causes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTheAppPostsToItsLoginURLButAddressesAWSsSignIn(t *testing.T) {
	f, _ := ReadAWSFederation(map[string]string{AWSFedIdentityProviderARN: "arn:aws:iam::222222222222:saml-provider/Keyward",
		AWSFedLoginURL: "https://aws.keyward.test/saml", AWSFedSessionDuration: "7200"})
	s := f.SAML()
	got := []string{s.ACSURL, s.Recipient, s.Destination, s.Audience, s.Attributes[2].Values[0]}
	want := []string{"https://aws.keyward.test/saml", "https://signin.aws.amazon.com/saml", "https://signin.aws.amazon.com/saml", "urn:amazon:webservices", `"7200"`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ACS, recipient, destination, audience, SessionDuration (-want +got):\n%s", diff)
	}
}

func TestRolesAreInTheAWSEnvironmentsPartition(t *testing.T) {
	cases := []struct{ env, provider, group, want string }{
		{"aws.cn", "arn:aws-cn:iam::222222222222:saml-provider/Keyward", "aws-Admin",
			"arn:aws-cn:iam::222222222222:saml-provider/Keyward,arn:aws-cn:iam::222222222222:role/Admin"},
		{"aws.us-gov", "arn:aws-us-gov:iam::222222222222:saml-provider/Keyward", "aws-Admin",
			"arn:aws-us-gov:iam::222222222222:saml-provider/Keyward,arn:aws-us-gov:iam::222222222222:role/Admin"},
		{"aws.cn", "", "aws_333333333333_Dev",
			"arn:aws-cn:iam::333333333333:saml-provider/OKTA,arn:aws-cn:iam::333333333333:role/Dev"},
	}
	for _, c := range cases {
		t.Run(c.env+" "+c.group, func(t *testing.T) {
			s := map[string]string{AWSFedEnvironmentType: c.env, AWSFedIdentityProviderARN: c.provider, AWSFedGroupFilter: `aws-(?{{role}}\w+)`}
			if c.provider == "" {
				s = map[string]string{AWSFedEnvironmentType: c.env, AWSFedUseGroupMapping: "true"}
			}
			f, causes := ReadAWSFederation(s)
			if len(causes) > 0 {
				t.Fatal(causes)
			}
			if got := f.RoleFor(c.group); got != c.want {
				t.Errorf("group %s maps to %q, want %q", c.group, got, c.want)
			}
		})
	}
}
