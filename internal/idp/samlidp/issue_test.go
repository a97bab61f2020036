package samlidp_test

import (
	"crypto/rand"
	"crypto/x509"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/idp/samlidp"
	"github.com/keyward/keyward/internal/keys"
)

var (
	idpKeyOnce sync.Once
	idpSigner  keys.Signer
)

// testSigner is an IdP signing key made once for issuing tests.
func testSigner(t testing.TB) keys.Signer {
	idpKeyOnce.Do(func() {
		k, der := newCert(t, "idp.keyward.test")
		c, err := x509.ParseCertificate(der)
		must(t, err)
		k.Precompute()
		idpSigner = keys.Signer{Key: directory.SigningKey{ID: "kwkTest", Certificate: der}, Private: k, Certificate: c}
	})
	return idpSigner
}

var (
	issueNow = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	alice    = directory.User{ID: "00uAlice", Status: directory.Active, Profile: directory.Profile{
		"login": "alice@example.com", "email": "alice.liddell@example.com", "firstName": "Alice", "lastName": "Liddell",
		"department": "Research", "costCenters": []any{"cc-1", "cc-2"}}}
	aliceGroups = []directory.Group{{ID: "00g1", Name: "AWS-Admins"}, {ID: "00g2", Name: "Engineering"}, {ID: "00g3", Name: "aws-readers"}}
	session     = directory.Session{IDHash: "abc", UserID: alice.ID, Created: issueNow.Add(-time.Hour),
		ExpiresAt: issueNow.Add(7 * time.Hour)}
)

func testApp(edit func(*directory.SAMLSettings)) directory.App {
	app := directory.App{ID: "0oaApp", Name: "example_saml", Label: "Example", SignOnMode: directory.SAML2,
		Status: directory.AppActive, SAML: directory.SAMLSettings{ACSURL: acsURL, Audience: spEntity,
			NameIDFormat: directory.NameIDEmail, NameIDTemplate: "${user.email}", AssertionSigned: true}}
	edit(&app.SAML)
	return app
}

func issue(t *testing.T, app directory.App, inResponseTo string) (samlidp.Issued, *etree.Element) {
	t.Helper()
	is := &samlidp.Issuer{OrgURL: orgURL, Random: rand.Reader, NameIDKey: []byte("nameid key")}
	out, err := is.Issue(samlidp.Grant{App: app, User: alice, Groups: aliceGroups, Session: session,
		InResponseTo: inResponseTo, Now: issueNow}, testSigner(t))
	must(t, err)
	return out, parseDoc(t, out.Response)
}

func TestIssuedSignatures(t *testing.T) {
	cert := testSigner(t).Key.Certificate
	tests := []struct {
		name                            string
		responseSigned, assertionSigned bool
	}{
		{"only the assertion", false, true},
		{"only the response", true, false},
		{"both", true, true},
	}
	for _, tc := range tests {
		t.Run("signing "+tc.name+" verifies with goxmldsig, RSA-SHA256 and exclusive c14n", func(t *testing.T) {
			app := testApp(func(s *directory.SAMLSettings) {
				s.ResponseSigned, s.AssertionSigned = tc.responseSigned, tc.assertionSigned
			})
			_, root := issue(t, app, "_r1")
			a := root.SelectElement("Assertion")
			got := []bool{root.SelectElement("Signature") != nil, a.SelectElement("Signature") != nil}
			if diff := cmp.Diff([]bool{tc.responseSigned, tc.assertionSigned}, got); diff != "" {
				t.Fatalf("signed (response, assertion) (-want +got):\n%s", diff)
			}
			for _, el := range []*etree.Element{root, a} {
				sig := el.SelectElement("Signature")
				if sig == nil {
					continue
				}
				if _, err := verifiedBy(t, el, cert, issueNow); err != nil {
					t.Errorf("%s signature does not verify: %v", el.Tag, err)
				}
				algs := []string{sig.FindElement("./SignedInfo/CanonicalizationMethod").SelectAttrValue("Algorithm", ""),
					sig.FindElement("./SignedInfo/SignatureMethod").SelectAttrValue("Algorithm", ""),
					sig.FindElement("./SignedInfo/Reference/DigestMethod").SelectAttrValue("Algorithm", "")}
				want := []string{"http://www.w3.org/2001/10/xml-exc-c14n#", rsaSHA256, "http://www.w3.org/2001/04/xmlenc#sha256"}
				if diff := cmp.Diff(want, algs); diff != "" {
					t.Errorf("%s algorithms (-want +got):\n%s", el.Tag, diff)
				}
				if prev := el.ChildElements()[sig.Index()-1]; prev.Tag != "Issuer" {
					t.Errorf("%s signature follows %s, want Issuer (the schema's order)", el.Tag, prev.Tag)
				}
			}
		})
	}
	t.Run("a signature by another key does not verify", func(t *testing.T) {
		_, root := issue(t, testApp(func(*directory.SAMLSettings) {}), "")
		_, other := newCert(t, "other")
		if _, err := verifiedBy(t, root.SelectElement("Assertion"), other, issueNow); err == nil {
			t.Error("verified with another certificate")
		}
	})
}

func TestIssuedAssertion(t *testing.T) {
	out, root := issue(t, testApp(func(s *directory.SAMLSettings) {
		s.Recipient, s.Destination = acsURL+"?r", acsURL+"?d"
		s.AssertionLifetime = 2 * time.Minute
	}), "_req")
	a := root.SelectElement("Assertion")
	attr := func(path, name string) string { return a.FindElement(path).SelectAttrValue(name, "") }
	got := map[string]string{
		"Destination":   root.SelectAttrValue("Destination", ""),
		"InResponseTo":  root.SelectAttrValue("InResponseTo", ""),
		"Issuer":        a.SelectElement("Issuer").Text(),
		"NameID":        a.FindElement("./Subject/NameID").Text(),
		"NameIDFormat":  attr("./Subject/NameID", "Format"),
		"Method":        attr("./Subject/SubjectConfirmation", "Method"),
		"Recipient":     attr("./Subject/SubjectConfirmation/SubjectConfirmationData", "Recipient"),
		"SCDInResponse": attr("./Subject/SubjectConfirmation/SubjectConfirmationData", "InResponseTo"),
		"SCDNotOnOrAft": attr("./Subject/SubjectConfirmation/SubjectConfirmationData", "NotOnOrAfter"),
		"NotBefore":     attr("./Conditions", "NotBefore"),
		"NotOnOrAfter":  attr("./Conditions", "NotOnOrAfter"),
		"Audience":      a.FindElement("./Conditions/AudienceRestriction/Audience").Text(),
		"AuthnInstant":  attr("./AuthnStatement", "AuthnInstant"),
		"SessionEnd":    attr("./AuthnStatement", "SessionNotOnOrAfter"),
		"ClassRef":      a.FindElement("./AuthnStatement/AuthnContext/AuthnContextClassRef").Text(),
		"AssertionID":   a.SelectAttrValue("ID", ""),
	}
	want := map[string]string{
		"Destination": acsURL + "?d", "InResponseTo": "_req", "Issuer": orgURL + "/app/0oaApp",
		"NameID": "alice.liddell@example.com", "NameIDFormat": directory.NameIDEmail,
		"Method": "urn:oasis:names:tc:SAML:2.0:cm:bearer", "Recipient": acsURL + "?r", "SCDInResponse": "_req",
		"SCDNotOnOrAft": "2026-12-02T09:02:00.000Z", "NotBefore": "2026-12-02T08:59:00.000Z",
		"NotOnOrAfter": "2026-12-02T09:02:00.000Z", "Audience": spEntity, "AuthnInstant": "2026-12-02T08:00:00.000Z",
		"SessionEnd": "2026-12-02T16:00:00.000Z", "ClassRef": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
		"AssertionID": out.AssertionID,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("assertion (-want +got):\n%s", diff)
	}
	t.Run("an IdP-initiated response answers no request", func(t *testing.T) {
		_, root := issue(t, testApp(func(*directory.SAMLSettings) {}), "")
		if root.FindElement("//SubjectConfirmationData").SelectAttr("InResponseTo") != nil || root.SelectAttr("InResponseTo") != nil {
			t.Error("InResponseTo set on an IdP-initiated response")
		}
	})
}

func TestNameID(t *testing.T) {
	tests := []struct {
		name, format, template, want string
	}{
		{"${user.userName} is the login", directory.NameIDUnspecified, "${user.userName}", "alice@example.com"},
		{"${user.login} is the login", directory.NameIDUnspecified, "${user.login}", "alice@example.com"},
		{"${user.email} is the email", directory.NameIDEmail, "${user.email}", "alice.liddell@example.com"},
		{"no template is ${user.userName}", directory.NameIDUnspecified, "", "alice@example.com"},
		{"a template mixes text and attributes", directory.NameIDUnspecified, "${user.firstName}.${user.lastName}@corp", "Alice.Liddell@corp"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, _ := issue(t, testApp(func(s *directory.SAMLSettings) { s.NameIDFormat, s.NameIDTemplate = tc.format, tc.template }), "")
			if out.NameID != tc.want {
				t.Errorf("NameID %q, want %q", out.NameID, tc.want)
			}
		})
	}
	t.Run("persistent is opaque, stable per app and person, and differs between apps", func(t *testing.T) {
		persistent := func(appID string) string {
			app := testApp(func(s *directory.SAMLSettings) { s.NameIDFormat = directory.NameIDPersistent })
			app.ID = appID
			out, _ := issue(t, app, "")
			return out.NameID
		}
		a1, a2, b := persistent("0oaA"), persistent("0oaA"), persistent("0oaB")
		if a1 != a2 || a1 == b || strings.Contains(a1, "alice") || len(a1) < 32 {
			t.Errorf("persistent NameIDs %q, %q (same app), %q (other app)", a1, a2, b)
		}
	})
	t.Run("an empty NameID is refused with a message for the person", func(t *testing.T) {
		is := &samlidp.Issuer{OrgURL: orgURL, Random: rand.Reader}
		_, err := is.Issue(samlidp.Grant{App: testApp(func(s *directory.SAMLSettings) { s.NameIDTemplate = "${user.title}" }),
			User: alice, Session: session, Now: issueNow}, testSigner(t))
		if err == nil || !strings.Contains(err.Error(), "no value") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestAttributeStatements(t *testing.T) {
	tests := []struct {
		name string
		st   directory.AttributeStatement
		want []string
	}{
		{"a bare expression gives the attribute", directory.AttributeStatement{Type: "EXPRESSION", Values: []string{"user.department"}}, []string{"Research"}},
		{"a ${} expression gives the attribute", directory.AttributeStatement{Type: "EXPRESSION", Values: []string{"${user.department}"}}, []string{"Research"}},
		{"a list attribute gives each value", directory.AttributeStatement{Type: "EXPRESSION", Values: []string{"user.costCenters"}}, []string{"cc-1", "cc-2"}},
		{"a quoted value is literal", directory.AttributeStatement{Type: "EXPRESSION", Values: []string{`"fixed"`}}, []string{"fixed"}},
		{"STARTS_WITH is case-sensitive", directory.AttributeStatement{Type: "GROUP", FilterType: "STARTS_WITH", FilterValue: "AWS-"}, []string{"AWS-Admins"}},
		{"EQUALS matches one name", directory.AttributeStatement{Type: "GROUP", FilterType: "EQUALS", FilterValue: "Engineering"}, []string{"Engineering"}},
		{"CONTAINS matches inside names", directory.AttributeStatement{Type: "GROUP", FilterType: "CONTAINS", FilterValue: "ead"}, []string{"aws-readers"}},
		{"REGEX matches whole names", directory.AttributeStatement{Type: "GROUP", FilterType: "REGEX", FilterValue: "(?i)aws-.*"}, []string{"AWS-Admins", "aws-readers"}},
		{"REGEX does not match a part of a name", directory.AttributeStatement{Type: "GROUP", FilterType: "REGEX", FilterValue: "Eng"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.st.Name = "a"
			_, root := issue(t, testApp(func(s *directory.SAMLSettings) { s.Attributes = []directory.AttributeStatement{tc.st} }), "")
			var got []string
			for _, v := range root.FindElements("//Attribute[@Name='a']/AttributeValue") {
				got = append(got, v.Text())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("values (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("a REGEX longer than 1024 bytes or invalid is refused", func(t *testing.T) {
		for _, re := range []string{strings.Repeat("a", 1025), "(unclosed"} {
			if _, err := directory.CompileGroupFilter("REGEX", re); err == nil {
				t.Errorf("CompileGroupFilter(%.20q) accepted", re)
			}
		}
	})
}

// A profile value with a carriage return (a Windows text area's line
// break, an imported CSV) must reach the SP as written and leave the
// signature intact: a raw CR in the document is read back as LF, while
// the signed canonical form had &#xD;.
func TestCarriageReturnsInProfileValuesKeepTheSignatureValid(t *testing.T) {
	u := alice
	u.Profile = directory.Profile{"login": "alice@example.com", "email": "alice.liddell@example.com",
		"department": "Research\r\nLab", "title": "Head\rof\tthings"}
	app := testApp(func(s *directory.SAMLSettings) {
		s.ResponseSigned, s.AssertionSigned = true, true
		s.NameIDFormat, s.NameIDTemplate = directory.NameIDUnspecified, "${user.title}"
		s.Attributes = []directory.AttributeStatement{{Type: "EXPRESSION", Name: "department", Values: []string{"user.department"}}}
	})
	is := &samlidp.Issuer{OrgURL: orgURL, Random: rand.Reader, NameIDKey: []byte("nameid key")}
	out, err := is.Issue(samlidp.Grant{App: app, User: u, Session: session, Now: issueNow}, testSigner(t))
	must(t, err)
	root := parseDoc(t, out.Response)
	cert := testSigner(t).Key.Certificate
	if _, err := verifiedBy(t, root, cert, issueNow); err != nil {
		t.Errorf("response signature does not verify: %v", err)
	}
	a, err := verifiedBy(t, root.SelectElement("Assertion"), cert, issueNow)
	if err != nil {
		t.Fatalf("assertion signature does not verify: %v", err)
	}
	got := []string{a.FindElement("./Subject/NameID").Text(), a.FindElement("//AttributeValue").Text()}
	if diff := cmp.Diff([]string{"Head\rof\tthings", "Research\r\nLab"}, got); diff != "" {
		t.Errorf("values the SP reads (-want +got):\n%s", diff)
	}
}
