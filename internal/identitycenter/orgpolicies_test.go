package identitycenter

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
)

func TestValidateSCP(t *testing.T) {
	const deny = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:DeleteRole","Resource":"*"}]}`
	pad := func(n int) string { // a valid SCP of exactly n characters
		doc := `{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Deny","Action":"*","Resource":"*"}]}`
		return strings.Replace(doc, `"Sid":""`, `"Sid":"`+strings.Repeat("a", n-len(doc))+`"`, 1)
	}
	for _, tc := range []struct {
		name, doc, code, reason string
	}{
		{"a deny of one action is accepted", deny, "", ""},
		{"FullAWSAccess is accepted", FullAWSAccess.Content, "", ""},
		{"a condition on an Allow is accepted, as SCPs take the full IAM language", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}]}`, "", ""},
		{"a document of exactly 5120 characters is accepted", pad(5120), "", ""},
		{"a document of 5121 characters is a constraint violation", pad(5121), "ConstraintViolationException", "POLICY_CONTENT_LIMIT_EXCEEDED"},
		{"a Principal is malformed", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}`, "MalformedPolicyDocumentException", ""},
		{"a statement without Resource is malformed", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*"}]}`, "MalformedPolicyDocumentException", ""},
		{"text that is not JSON is malformed", `deny everything`, "MalformedPolicyDocumentException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateSCP(tc.doc)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("ValidateSCP = %v, want nil", err)
				}
				return
			}
			e, ok := errs.As(err)
			if !ok || e.Code != tc.code || e.Reason != tc.reason || e.Kind != errs.Invalid {
				t.Fatalf("ValidateSCP = %#v, want code %s reason %q", err, tc.code, tc.reason)
			}
		})
	}
}

// FuzzValidateSCP checks that no document panics the validator, that what
// it accepts fits the size limit, and that every refusal is a client error
// with a code.
func FuzzValidateSCP(f *testing.F) {
	f.Add(FullAWSAccess.Content)
	f.Add(`{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":["s3:*"],"NotResource":"*"}}`)
	f.Add(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"*","Resource":"*"}]}`)
	f.Add(`[`)
	f.Fuzz(func(t *testing.T, doc string) {
		err := ValidateSCP(doc)
		if err == nil {
			if utf8.RuneCountInString(doc) > MaxSCPSize {
				t.Fatalf("accepted a document of %d characters", utf8.RuneCountInString(doc))
			}
			return
		}
		if e, ok := errs.As(err); !ok || e.Kind != errs.Invalid || e.Code == "" {
			t.Fatalf("refusal %#v is not a client error with a code", err)
		}
	})
}

func TestOrgIdentifiers(t *testing.T) {
	for _, tc := range []struct{ id, kind string }{
		{"r-ab12", KindRoot}, {"ou-ab12-abcdefgh", KindOrgUnit}, {"123456789012", KindAccount},
		{"p-FullAWSAccess", KindPolicy}, {"p-abcd1234", KindPolicy}, {"r-AB12", ""}, {"ou-ab12-short", ""}, {"12345", ""},
	} {
		t.Run(tc.id+" is "+tc.kind, func(t *testing.T) {
			if got := OrgKindOf(tc.id); got != tc.kind {
				t.Errorf("OrgKindOf(%q) = %q, want %q", tc.id, got, tc.kind)
			}
		})
	}
	if got := RootIDFor("o-abcd123456"); got != "r-abcd" {
		t.Errorf("RootIDFor = %q, want r-abcd", got)
	}
	if id := NewOrgUnitID(clock.Random, "r-abcd"); !ValidOrgUnitID(id) || !strings.HasPrefix(id, "ou-abcd-") {
		t.Errorf("NewOrgUnitID = %q, want a valid ou-abcd-… id", id)
	}
}
