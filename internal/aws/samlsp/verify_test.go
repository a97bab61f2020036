package samlsp_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/aws/samlsp"
	"github.com/keyward/keyward/internal/aws/samlsp/samltest"
)

func TestVerifyAppliesTheACSChecksUnderOtherRules(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	idp := samltest.New(t, 0, idpEntityID, now)
	rules := samlsp.Rules{IdPEntityID: idpEntityID, Certificates: [][]byte{idp.DER}, Clock: fixedClock{now},
		Recipients: []string{samlsp.SignInURL, "https://aws.keyward.test/saml"}, Audiences: samlsp.SignInAudiences, Product: "AWS", App: "AWS"}
	spec := idp.Spec(now, "alice", map[string][]string{"Role": {"a", "b"}})
	spec.Recipient, spec.Destination, spec.Audience = "https://aws.keyward.test/saml", "", "urn:amazon:webservices"

	got, err := samlsp.Verify(idp.Signed(t, spec), rules)
	if err != nil {
		t.Fatal(err)
	}
	want := samlsp.Assertion{ID: spec.AssertionID, Issuer: idpEntityID, NameID: "alice", NameIDFormat: spec.NameIDFormat,
		Recipient: "https://aws.keyward.test/saml", ValidUntil: spec.NotOnOrAfter.Add(samlsp.DefaultSkew),
		Attributes: map[string][]string{"Role": {"a", "b"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("assertion (-want +got):\n%s", diff)
	}

	cases := []struct {
		name   string
		edit   func(*samltest.Spec)
		reason samlsp.Reason
	}{
		{"a recipient outside the rules", func(s *samltest.Spec) { s.Recipient = "https://other.example/saml" }, samlsp.ReasonRecipient},
		{"a destination other than an accepted recipient", func(s *samltest.Spec) { s.Destination = "https://other.example/saml" }, samlsp.ReasonDestination},
		{"an audience outside the rules", func(s *samltest.Spec) { s.Audience = "https://other.example" }, samlsp.ReasonAudience},
	}
	for _, c := range cases {
		t.Run(c.name+" is refused", func(t *testing.T) {
			s := spec
			s.AssertionID = "_other"
			c.edit(&s)
			_, err := samlsp.Verify(idp.Signed(t, s), rules)
			refused(t, err, c.reason)
		})
	}
}

// fixedClock is a clock stopped at one time.
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }
