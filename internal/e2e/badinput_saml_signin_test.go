package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// samlSignInXXE is a Response with an external entity in its Role
// attribute, posted as an attacker would.
const samlSignInXXE = `<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ` +
	`xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><saml:Assertion><saml:AttributeStatement><saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role">` +
	`<saml:AttributeValue>arn:aws:iam::111111111111:role/R,arn:aws:iam::111111111111:saml-provider/P&x;</saml:AttributeValue></saml:Attribute>` +
	`</saml:AttributeStatement></saml:Assertion></samlp:Response>`

// TestTheSAMLSignInAnswersBadPostsWithAPageAndSignsNoOneIn posts what an
// attacker or a misconfigured identity provider would to the AWS side's
// /saml over HTTP, from another site as identity providers do: every one is
// a 4xx HTML page saying what went wrong, sets no console cookie and is
// logged. The signed-assertion corpus is sts's
// TestAssumeRoleWithSAMLRefusesTheSAMLAttackCorpus.
func TestTheSAMLSignInAnswersBadPostsWithAPageAndSignsNoOneIn(t *testing.T) {
	s := start(t)
	before := countEvents(t, s, "aws.saml.refuse")
	roles := `<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role"><saml:AttributeValue>arn:aws:iam::111111111111:role/R,arn:aws:iam::111111111111:saml-provider/Nope</saml:AttributeValue></saml:Attribute>`
	noProvider := `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><saml:Assertion><saml:AttributeStatement>` +
		roles + `</saml:AttributeStatement></saml:Assertion></samlp:Response>`
	for _, tc := range []struct {
		name, path string
		form       url.Values
		status     int
		says       string
	}{
		{"no SAMLResponse", "/saml", url.Values{}, http.StatusBadRequest, "takes the SAML response"},
		{"two SAMLResponses", "/saml", url.Values{"SAMLResponse": {b64("<a/>"), b64("<b/>")}}, http.StatusBadRequest, "takes the SAML response"},
		{"a SAMLResponse that is not base64", "/saml", url.Values{"SAMLResponse": {"%%%"}}, http.StatusBadRequest, "not base64"},
		{"a document that is not XML", "/saml", url.Values{"SAMLResponse": {b64("hello")}}, http.StatusBadRequest, "names no role"},
		{"an external entity (XXE)", "/saml", url.Values{"SAMLResponse": {b64(samlSignInXXE)}}, http.StatusBadRequest, "document type declaration"},
		{"a response naming a SAML provider that does not exist", "/saml", url.Values{"SAMLResponse": {b64(noProvider)}}, http.StatusBadRequest, "does not exist"},
		{"a RelayState too long", "/saml", url.Values{"SAMLResponse": {b64(noProvider)}, "RelayState": {strings.Repeat("r", 100000)}}, http.StatusBadRequest, "too long"},
		{"a role choice that was never offered", "/saml/role", url.Values{"choice": {"forged"}, "role": {"arn:aws:iam::111111111111:role/R"}}, http.StatusForbidden, "another website"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := s.inSubtest(t).browser()
			b.t = t
			w, _ := b.form(tc.path, tc.form, map[string]string{"Origin": "https://idp.example.com", "Sec-Fetch-Site": "cross-site"})
			if ct := w.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type %q, want an HTML page", ct)
			}
			if c := w.Header.Get("Set-Cookie"); strings.Contains(c, "keyward_console") {
				t.Errorf("a refused post set the console cookie: %s", c)
			}
			wantPage(t, w.Status, string(w.Body), tc.status, tc.says)
		})
	}
	t.Run("a body too large to read", func(t *testing.T) {
		b := s.inSubtest(t).browser()
		b.t = t
		w, _ := b.form("/saml", url.Values{"SAMLResponse": {strings.Repeat("A", 400<<10)}}, nil)
		wantPage(t, w.Status, string(w.Body), http.StatusBadRequest, "could not be read")
	})
	if got := countEvents(t, s, "aws.saml.refuse") - before; got < 3 {
		t.Errorf("%d refused sign-ins logged, want one per response STS read (at least 3)", got)
	}
}

// TestUnsignedAssumeRoleWithSAMLAnswersBadInputInSTSsShape sends
// AssumeRoleWithSAML unsigned, as the CLI does, with bad parameters: each
// is STS's XML error with the modeled code.
func TestUnsignedAssumeRoleWithSAMLAnswersBadInputInSTSsShape(t *testing.T) {
	s := start(t)
	c := s.caller()
	c.t = t
	const role, provider = "arn:aws:iam::111111111111:role/R", "arn:aws:iam::111111111111:saml-provider/P"
	form := func(assertion string) string {
		return url.Values{"Action": {"AssumeRoleWithSAML"}, "Version": {"2011-06-15"}, "RoleArn": {role},
			"PrincipalArn": {provider}, "SAMLAssertion": {assertion}}.Encode()
	}
	for _, tc := range []struct {
		name, form, code, msg string
		status                int
	}{
		{"an assertion shorter than 4 characters", form("YQ="), "ValidationError", "SAMLAssertion", http.StatusBadRequest},
		{"an assertion over 100000 characters", form(strings.Repeat("A", 100004)), "ValidationError", "100000", http.StatusBadRequest},
		{"a provider that does not exist", form(b64("<samlp:Response/>")), "InvalidIdentityToken", "does not exist", http.StatusBadRequest},
		{"a DurationSeconds below 900", form(b64("<r/>")) + "&DurationSeconds=60", "ValidationError", "durationSeconds", http.StatusBadRequest},
		{"no RoleArn", "Action=AssumeRoleWithSAML&Version=2011-06-15&PrincipalArn=" + url.QueryEscape(provider) + "&SAMLAssertion=" + url.QueryEscape(b64("<r/>")),
			"ValidationError", "roleArn", http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			queryError(t, c.query(tc.form, unsigned()), tc.status, tc.code, tc.msg)
		})
	}
}
