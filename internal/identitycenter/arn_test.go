package identitycenter

import (
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/errs"
)

// arnCase is one input to an ARN parser: wantErr is "" when it parses, or
// a piece of the Invalid error's message.
type arnCase struct {
	name, arn, wantErr string
}

func checkARNCases(t *testing.T, cases []arnCase, parse func(string) error) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := parse(c.arn)
			if c.wantErr == "" {
				if err != nil {
					t.Fatalf("parse(%q) = %v, want no error", c.arn, err)
				}
				return
			}
			if !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("parse(%q) = %v, want an Invalid error containing %q", c.arn, err, c.wantErr)
			}
		})
	}
}

func TestParseInstanceARNFollowsTheServiceModel(t *testing.T) {
	checkARNCases(t, []arnCase{
		{"keyward's own shape parses", "arn:aws:sso:::instance/ssoins-0123456789abcdef", ""},
		{"the model's ins- prefix and capitals parse", "arn:aws:sso:::instance/ins-ABCDEFGH.jklm-no", ""},
		{"a short id is malformed", "arn:aws:sso:::instance/ssoins-0123", "not a valid instance ARN"},
		{"trailing text is malformed", "arn:aws:sso:::instance/ssoins-0123456789abcdef/x", "not a valid instance ARN"},
		{"another service is malformed", "arn:aws:iam:::instance/ssoins-0123456789abcdef", "not a valid instance ARN"},
		{"aws-cn is refused by partition", "arn:aws-cn:sso:::instance/ssoins-0123456789abcdef", "keyward serves the aws partition; arn:aws-cn:sso:::instance/ssoins-0123456789abcdef is in aws-cn"},
		{"aws-us-gov is refused by partition", "arn:aws-us-gov:sso:::instance/ssoins-0123456789abcdef", "is in aws-us-gov"},
		{"aws-iso-b is refused by partition", "arn:aws-iso-b:sso:::instance/ssoins-0123456789abcdef", "is in aws-iso-b"},
		{"a partition that is not aws-something is malformed", "arn:azure:sso:::instance/ssoins-0123456789abcdef", "not a valid instance ARN"},
	}, func(arn string) error { _, err := ParseInstanceARN(arn); return err })
}

func TestParsePermissionSetARNFollowsTheServiceModel(t *testing.T) {
	checkARNCases(t, []arnCase{
		{"keyward's own shape parses", "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-0123456789abcdef", ""},
		{"ids that are not hex parse", "arn:aws:sso:::permissionSet/ins-abcdefghijklmnop/ps-ABCDEFGH./-12345", ""},
		{"a short permission set id is malformed", "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-1", "not a valid permission set ARN"},
		{"a bare id is malformed", "ps-0123456789abcdef", "not a valid permission set ARN"},
		{"aws-cn is refused by partition", "arn:aws-cn:sso:::permissionSet/ssoins-0123456789abcdef/ps-0123456789abcdef", "is in aws-cn"},
	}, func(arn string) error { _, _, err := ParsePermissionSetARN(arn); return err })
}

func TestCheckManagedPolicyARNFollowsTheServiceModel(t *testing.T) {
	checkARNCases(t, []arnCase{
		{"a policy at the root parses", "arn:aws:iam::aws:policy/AdministratorAccess", ""},
		{"a policy under a path parses", "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", ""},
		{"a policy that does not exist still parses", "arn:aws:iam::aws:policy/NoSuchPolicy", ""},
		{"a customer managed policy is malformed", "arn:aws:iam::111122223333:policy/Mine", "not a valid AWS managed policy ARN"},
		{"a space in the name is malformed", "arn:aws:iam::aws:policy/No Such", "not a valid AWS managed policy ARN"},
		{"a path without a name is malformed", "arn:aws:iam::aws:policy/job-function/", "not a valid AWS managed policy ARN"},
		{"an ARN over 2048 characters is malformed", "arn:aws:iam::aws:policy/" + strings.Repeat("a", 2048), "not a valid AWS managed policy ARN"},
		{"aws-us-gov is refused by partition", "arn:aws-us-gov:iam::aws:policy/AdministratorAccess", "is in aws-us-gov"},
	}, CheckManagedPolicyARN)
}

func TestParseTaggableARNNamesTheKindOfResource(t *testing.T) {
	cases := []struct{ arn, kind string }{
		{"arn:aws:sso:::instance/ssoins-0123456789abcdef", ResourceInstance},
		{"arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-0123456789abcdef", ResourcePermissionSet},
		{"arn:aws:sso::111122223333:application/ssoins-0123456789abcdef/apl-0123456789abcdef", ResourceApplication},
		{"arn:aws:sso::111122223333:trustedTokenIssuer/ssoins-0123456789abcdef/tti-01234567-89ab-cdef-0123-456789abcdef", ResourceTrustedTokenIssuer},
	}
	for _, c := range cases {
		if res, err := ParseTaggableARN(c.arn); err != nil || res.Kind != c.kind {
			t.Errorf("ParseTaggableARN(%q) = %+v, %v; want kind %s", c.arn, res, err, c.kind)
		}
	}
	checkARNCases(t, []arnCase{
		{"a malformed ARN names the field", "arn:aws:sso:::nonsense", "ResourceArn"},
		{"another partition is refused by name", "arn:aws-cn:sso:::instance/ssoins-0123456789abcdef", "is in aws-cn"},
	}, func(arn string) error { _, err := ParseTaggableARN(arn); return err })
}

func TestIdentifierShapesFollowTheServiceModels(t *testing.T) {
	cases := []struct {
		name  string
		valid func(string) bool
		good  []string
		bad   []string
	}{
		{"request ids are lowercase UUIDs", ValidUUID,
			[]string{"11111111-2222-4333-8444-555555555555"},
			[]string{"", "nope", "11111111-2222-4333-8444-55555555555G", "11111111-2222-4333-8444-555555555555x", "AAAAAAAA-2222-4333-8444-555555555555"}},
		{"identity store ids are d- and ten hex digits, or a UUID", ValidIdentityStoreID,
			[]string{"d-0123456789", "01234567-89ab-cdef-0123-456789abcdef"},
			[]string{"", "d-012345678", "d-0123456789a", "d-ABCDEF0123", "store"}},
		{"CreateAccount request ids are car- and 8 to 32 characters", ValidCreateAccountRequestID,
			[]string{"car-0123abcd", "car-" + strings.Repeat("a", 32)},
			[]string{"", "car-1234567", "car-" + strings.Repeat("a", 33), "car-ABCDEFGH", "req-12345678"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, s := range c.good {
				if !c.valid(s) {
					t.Errorf("%q was refused", s)
				}
			}
			for _, s := range c.bad {
				if c.valid(s) {
					t.Errorf("%q was accepted", s)
				}
			}
		})
	}
}
