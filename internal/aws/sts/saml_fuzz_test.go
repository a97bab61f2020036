package sts

import (
	"encoding/base64"
	"testing"

	"github.com/keyward/keyward/internal/aws/samlsp"
	"github.com/keyward/keyward/internal/errs"
)

// FuzzSAMLSignInParsing feeds the console sign-in's pre-verification read
// of the Role attribute and the attribute reader arbitrary input: neither
// may panic, and every refusal is InvalidIdentityToken.
func FuzzSAMLSignInParsing(f *testing.F) {
	f.Add([]byte(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><saml:Attribute xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" Name="`+
		AttrRole+`"><saml:AttributeValue>arn:aws:iam::222222222222:role/R,arn:aws:iam::222222222222:saml-provider/P</saml:AttributeValue></saml:Attribute></samlp:Response>`),
		"arn:aws:iam::222222222222:saml-provider/P,arn:aws:iam::222222222222:role/R", "alice", "3600")
	f.Add([]byte("<a><Attribute Name='x'>"), ",", "", "x")
	f.Fuzz(func(t *testing.T, doc []byte, role, sessionName, duration string) {
		if _, err := rolesProviders(base64.StdEncoding.EncodeToString(doc)); err != nil {
			wantInvalidToken(t, err)
		}
		a := SAMLAssertion{Assertion: samlsp.Assertion{Attributes: map[string][]string{AttrRole: {role},
			AttrRoleSessionName: {sessionName}, AttrSessionDuration: {duration}, AttrPrincipalTag + sessionName: {role}}}}
		if err := a.readAttributes(); err != nil {
			wantInvalidToken(t, err)
		}
	})
}

func wantInvalidToken(t *testing.T, err error) {
	t.Helper()
	if got := codeOf(err); got != "InvalidIdentityToken" {
		t.Fatalf("refused with %q (%v), want InvalidIdentityToken", got, err)
	}
}

func codeOf(err error) string {
	if e, ok := errs.As(err); ok {
		return e.Code
	}
	return ""
}
