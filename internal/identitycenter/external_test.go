package identitycenter

import (
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/errs"
)

// TestExternalIDsKeepTheIdentityStoreLimits checks ExternalId against the
// identity store model: Issuer 1-100 characters, not starting with arn: or
// aws:, Id 1-256, neither with spaces or control characters, at most 10 of
// them; refusals are ValidationExceptions naming the member.
func TestExternalIDsKeepTheIdentityStoreLimits(t *testing.T) {
	ok := []ExternalID{
		{Issuer: "https://scim.us-east-1.amazonaws.com/d-0123456789", ID: "701984"},
		{Issuer: strings.Repeat("é", 100), ID: strings.Repeat("界", 256)},
		{Issuer: "okta", ID: "00u1!#$%&'*+-/=?^_`{|}~"},
	}
	for _, x := range ok {
		if err := ValidateExternalIDs("externalIds", []ExternalID{x}); err != nil {
			t.Errorf("ValidateExternalIDs(%q) = %v", x, err)
		}
	}
	bad := []struct {
		what string
		xs   []ExternalID
		msg  string
	}{
		{"a 101-character issuer", []ExternalID{{Issuer: strings.Repeat("é", 101), ID: "1"}},
			"Value at 'externalIds.1.member.issuer' failed to satisfy constraint: Member must have length less than or equal to 100"},
		{"a 257-character id", []ExternalID{{Issuer: "okta", ID: strings.Repeat("界", 257)}},
			"Value at 'externalIds.1.member.id' failed to satisfy constraint: Member must have length less than or equal to 256"},
		{"an empty issuer", []ExternalID{{ID: "1"}},
			"Value at 'externalIds.1.member.issuer' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"an empty id", []ExternalID{{Issuer: "okta"}},
			"Value at 'externalIds.1.member.id' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"an aws: issuer", []ExternalID{{Issuer: "AWS:sso", ID: "1"}},
			"Value at 'externalIds.1.member.issuer' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!(?i)(arn|aws):)[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"},
		{"an arn: issuer", []ExternalID{{Issuer: "arn:aws:iam::1", ID: "1"}}, "at 'externalIds.1.member.issuer'"},
		{"a space in the id", []ExternalID{{Issuer: "okta", ID: "a b"}},
			"Value at 'externalIds.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"},
		{"a bidi override in the issuer", []ExternalID{{Issuer: "ok\u202Eta", ID: "1"}}, "at 'externalIds.1.member.issuer'"},
		{"invalid UTF-8 in the id", []ExternalID{{Issuer: "okta", ID: "a\xff"}}, "at 'externalIds.1.member.id'"},
		{"the second one bad", []ExternalID{{Issuer: "okta", ID: "1"}, {Issuer: "x", ID: ""}}, "at 'externalIds.2.member.id'"},
		{"eleven of them", make11(),
			"Value at 'externalIds' failed to satisfy constraint: Member must have length less than or equal to 10"},
	}
	for _, c := range bad {
		err := ValidateExternalIDs("externalIds", c.xs)
		e, isErr := errs.As(err)
		if !isErr || e.Kind != errs.Invalid || !strings.HasPrefix(e.Message, "1 validation error detected: ") ||
			!strings.Contains(e.Message, c.msg) {
			t.Errorf("%s: ValidateExternalIDs = %v, want a ValidationException saying %q", c.what, err, c.msg)
		}
	}
}

func make11() []ExternalID {
	xs := make([]ExternalID, 11)
	for i := range xs {
		xs[i] = ExternalID{Issuer: "okta", ID: strings.Repeat("x", i+1)}
	}
	return xs
}

// TestProfileSubfieldsKeepTheirLimits checks the emails, addresses, phone
// numbers and name parts, SensitiveStringType in the model (at most 1024
// characters, no control or format characters), as the other fields are.
func TestProfileSubfieldsKeepTheirLimits(t *testing.T) {
	set := map[string]func(*Profile, string){
		"emails.value":            func(p *Profile, v string) { p.Emails = []Email{{Value: v}} },
		"emails.type":             func(p *Profile, v string) { p.Emails = []Email{{Value: "a@example.com", Type: v}} },
		"addresses.streetAddress": func(p *Profile, v string) { p.Addresses = []Address{{StreetAddress: v}} },
		"addresses.country":       func(p *Profile, v string) { p.Addresses = []Address{{Country: v}} },
		"phoneNumbers.value":      func(p *Profile, v string) { p.PhoneNumbers = []PhoneNumber{{Value: v}} },
		"name.formatted":          func(p *Profile, v string) { p.Name.Formatted = v },
		"name.honorificSuffix":    func(p *Profile, v string) { p.Name.HonorificSuffix = v },
	}
	for field, setTo := range set {
		p := validProfile()
		setTo(&p, strings.Repeat("é", 1024))
		if err := ValidateProfile(p); err != nil {
			t.Errorf("%s of 1024 characters: ValidateProfile = %v", field, err)
		}
		for what, v := range map[string]string{"1025 characters": strings.Repeat("é", 1025), "a bidi override": "a\u202Eb"} {
			p := validProfile()
			setTo(&p, v)
			err := ValidateProfile(p)
			if e, ok := errs.As(err); !ok || e.Kind != errs.Invalid || !strings.Contains(e.Message, field) {
				t.Errorf("%s with %s: ValidateProfile = %v, want an Invalid error naming %s", field, what, err, field)
			}
		}
	}
}
