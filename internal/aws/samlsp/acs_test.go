package samlsp_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/samlsp"
)

func TestAValidResponseSignsInTheUserItNames(t *testing.T) {
	tests := []struct {
		name  string
		build func(t *testing.T, f *fixture, s spec) url.Values
	}{
		{"an assertion signed by the identity provider", func(t *testing.T, f *fixture, s spec) url.Values {
			return f.signed(t, s)
		}},
		{"a response signed by the identity provider", func(t *testing.T, f *fixture, s spec) url.Values {
			doc := response(s)
			f.idp.signResponse(t, doc)
			return form(t, doc, "")
		}},
		{"a response and its assertion both signed", func(t *testing.T, f *fixture, s spec) url.Values {
			doc := response(s)
			f.idp.signAssertion(t, doc)
			f.idp.signResponse(t, doc)
			return form(t, doc, "")
		}},
		{"a NameID in another case than the user name", func(t *testing.T, f *fixture, s spec) url.Values {
			s.nameID = "Alice@Example.COM"
			return f.signed(t, s)
		}},
		{"an identity provider whose clock is two minutes ahead", func(t *testing.T, f *fixture, s spec) url.Values {
			s.issueInstant, s.notBefore = s.issueInstant.Add(2*time.Minute), s.notBefore.Add(3*time.Minute)
			return f.signed(t, s)
		}},
		{"an assertion that expired a minute ago, within the allowed skew", func(t *testing.T, f *fixture, s spec) url.Values {
			f.clk.Advance(6 * time.Minute)
			return f.signed(t, s)
		}},
		{"an assertion signed with RSA-SHA512", func(t *testing.T, f *fixture, s spec) url.Values {
			doc := response(s)
			f.idp.sign(t, assertionOf(doc), dsig.RSASHA512SignatureMethod)
			return form(t, doc, "")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			got, err := f.sp.Consume(f.ctx, tc.build(t, f, f.spec()))
			if err != nil {
				t.Fatalf("Consume: %v", err)
			}
			if got.User.ID != f.alice.ID || got.SPInitiated {
				t.Errorf("signed in user %s (SP-initiated %v), want alice %s, IdP-initiated", got.User.ID, got.SPInitiated, f.alice.ID)
			}
			e := f.lastEvent(t)
			want := []string{"user.signin", audit.Success, f.alice.ID, idpEntityID, "SAML2"}
			if diff := cmp.Diff(want, []string{e.Action, e.Outcome, e.TargetID, e.Detail["issuer"], e.Detail["credentialType"]}); diff != "" {
				t.Errorf("event (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTheResultCarriesTheSessionCapAndAttributesForAccessControl(t *testing.T) {
	f := newFixture(t)
	s := f.spec()
	s.sessionNotOnOrAfter = start.Add(time.Hour)
	s.attributes = map[string]string{
		samlsp.AccessControlPrefix + "Department":                "Engineering",
		samlsp.AccessControlPrefix + "CostCenter":                "4711",
		"https://aws.amazon.com/SAML/Attributes/RoleSessionName": "alice",
	}
	got, err := f.sp.Consume(f.ctx, f.signed(t, s))
	if err != nil {
		t.Fatal(err)
	}
	want := samlsp.Result{User: f.alice, NameID: "alice@example.com", Issuer: idpEntityID, AssertionID: s.assertionID,
		SessionNotOnOrAfter: start.Add(time.Hour), AccessControl: map[string]string{"Department": "Engineering", "CostCenter": "4711"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if ends := got.SessionEnds(start, 8*time.Hour); !ends.Equal(start.Add(time.Hour)) {
		t.Errorf("an 8-hour portal session ends at %v, want the identity provider's %v", ends, start.Add(time.Hour))
	}
	if ends := got.SessionEnds(start, 30*time.Minute); !ends.Equal(start.Add(30 * time.Minute)) {
		t.Errorf("a 30-minute portal session ends at %v, want after 30 minutes", ends)
	}
}

func TestAnSPInitiatedSignInAnswersItsRequestOnce(t *testing.T) {
	f := newFixture(t)
	req, err := f.sp.AuthnRequest(f.ctx, "/start/#/device?user_code=ABCD-EFGH")
	if err != nil {
		t.Fatal(err)
	}
	s := f.spec()
	s.inResponseTo = req.ID
	post := f.signed(t, s)
	post.Set("RelayState", "/start/#/device?user_code=ABCD-EFGH")
	got, err := f.sp.Consume(f.ctx, post)
	if err != nil {
		t.Fatal(err)
	}
	if !got.SPInitiated || got.RelayState != "/start/#/device?user_code=ABCD-EFGH" || got.User.ID != f.alice.ID {
		t.Errorf("result %+v, want alice SP-initiated with the request's RelayState", got)
	}
	s.assertionID = "_another"
	_, err = f.sp.Consume(f.ctx, f.signed(t, s))
	refused(t, err, samlsp.ReasonUnknownRequest)
}

// Session tag limits count characters, as the refusal's words say and as
// AWS counts them: a department name in Japanese is three bytes a
// character.
func TestAttributesForAccessControlAreBoundedInCharactersNotBytes(t *testing.T) {
	f := newFixture(t)
	s := f.spec()
	key, value := strings.Repeat("部", 100), strings.Repeat("開発", 100) // 300 and 600 bytes
	s.attributes = map[string]string{samlsp.AccessControlPrefix + key: value}
	got, err := f.sp.Consume(f.ctx, f.signed(t, s))
	if err != nil {
		t.Fatalf("Consume: %v", err)
	}
	if got.AccessControl[key] != value {
		t.Errorf("access control %q, want %s = %s", got.AccessControl, key, value)
	}

	s = f.spec()
	s.attributes = map[string]string{samlsp.AccessControlPrefix + "Team": strings.Repeat("開", 257)}
	_, err = f.sp.Consume(f.ctx, f.signed(t, s))
	refused(t, err, samlsp.ReasonMalformed)
}
