package okta

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"
)

const (
	provider = "arn:aws:iam::123456789012:saml-provider/okta-idp"
	readOnly = "arn:aws:iam::123456789012:role/ReadOnly"
	admin    = "arn:aws:iam::123456789012:role/ops/Admin"
)

// response is a SAML response as Okta writes one (saml2p/saml2 prefixes)
// whose assertion carries attrs.
func response(attrs string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" ID="id1" Version="2.0">` +
		`<saml2:Issuer xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">http://www.okta.com/exk1</saml2:Issuer>` +
		`<saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></saml2p:Status>` +
		`<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="id2" Version="2.0"><saml2:AttributeStatement>` +
		attrs + `</saml2:AttributeStatement></saml2:Assertion></saml2p:Response>`
}

func roleAttr(values ...string) string {
	s := `<saml2:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">`
	for _, v := range values {
		s += `<saml2:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">` +
			v + `</saml2:AttributeValue>`
	}
	return s + `</saml2:Attribute>`
}

const sessionAttr = `<saml2:Attribute Name="https://aws.amazon.com/SAML/Attributes/SessionDuration"><saml2:AttributeValue>3600</saml2:AttributeValue></saml2:Attribute>`

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestAssertionRolesReadsRolesByNamespaceInEitherOrder(t *testing.T) {
	for _, c := range []struct {
		name, xml string
		want      []Role
	}{
		{"Okta's order, provider first, with the session duration", response(roleAttr(provider+","+readOnly) + sessionAttr),
			[]Role{{AccountID: "123456789012", RoleName: "ReadOnly", RoleARN: readOnly, PrincipalARN: provider, MaxDuration: time.Hour}}},
		{"role first, as AWS also accepts, a path in the role, whitespace around", response(roleAttr(" "+admin+" , "+provider+"\n", provider+","+readOnly)),
			[]Role{{AccountID: "123456789012", RoleName: "Admin", RoleARN: admin, PrincipalARN: provider},
				{AccountID: "123456789012", RoleName: "ReadOnly", RoleARN: readOnly, PrincipalARN: provider}}},
		{"a value twice is one role", response(roleAttr(provider+","+readOnly, readOnly+","+provider)),
			[]Role{{AccountID: "123456789012", RoleName: "ReadOnly", RoleARN: readOnly, PrincipalARN: provider}}},
		{"other prefixes for the same namespaces",
			strings.NewReplacer("saml2p:", "p:", "xmlns:saml2p", "xmlns:p", "saml2:", "a:", "xmlns:saml2", "xmlns:a").Replace(response(roleAttr(provider + "," + readOnly))),
			[]Role{{AccountID: "123456789012", RoleName: "ReadOnly", RoleARN: readOnly, PrincipalARN: provider}}},
		{"the saml2 prefix bound to another namespace is not SAML's attribute",
			response(`<saml2:Attribute xmlns:saml2="urn:example" Name="https://aws.amazon.com/SAML/Attributes/Role"><saml2:AttributeValue>` +
				provider + "," + readOnly + `</saml2:AttributeValue></saml2:Attribute>`),
			nil},
		{"no Role attribute is no role", response(sessionAttr), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := assertionRoles(b64(c.xml))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("roles = %+v, want %+v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("role %d = %+v, want %+v", i, got[i], c.want[i])
				}
			}
		})
	}
}

func TestAssertionRolesRefusesWhatItCannotTrust(t *testing.T) {
	ok := roleAttr(provider + "," + readOnly)
	for _, c := range []struct{ name, value, want string }{
		{"not base64", "%%%", "not base64"},
		{"not XML", b64("<saml2p:Response"), "not well-formed"},
		{"not a SAML response", b64(`<Response xmlns="urn:example"/>`), "not a SAML 2.0 Response"},
		{"a failed status", b64(strings.Replace(response(ok), "status:Success", "status:Responder", 1)), "not success"},
		{"two assertions", b64(strings.Replace(response(ok), "</saml2p:Response>",
			`<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion"/></saml2p:Response>`, 1)), "2 assertions"},
		{"an encrypted assertion", b64(strings.Replace(response(ok), "</saml2p:Response>",
			`<saml2:EncryptedAssertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion"/></saml2p:Response>`, 1)), "encrypted"},
		{"a value with one ARN", b64(response(roleAttr(readOnly))), "is not a SAML provider ARN and a role ARN"},
		{"two roles", b64(response(roleAttr(admin + "," + readOnly))), "is not a SAML provider ARN and a role ARN"},
		{"two accounts", b64(response(roleAttr(strings.Replace(provider, "123456789012", "210987654321", 1) + "," + readOnly))), "of one account"},
		{"a session duration out of range", b64(response(ok + strings.Replace(sessionAttr, "3600", "99999", 1))), "from 900 to 43200"},
	} {
		t.Run(c.name, func(t *testing.T) {
			roles, err := assertionRoles(c.value)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("roles %+v, err = %v; want an error saying %q", roles, err, c.want)
			}
		})
	}
}

// oktaForm is the page Okta answers /login/token/sso with.
func oktaForm(value string) string {
	return `<!DOCTYPE html><html><head><title>Signing in</title></head><body onload="document.forms[0].submit()">` +
		`<form id="appForm" action="https://signin.aws.amazon.com/saml" method="POST">` +
		`<input name="SAMLResponse" type="hidden" value="` + value + `"/><input name="RelayState" type="hidden" value=""/></form></body></html>`
}

func TestFormResponseReadsTheFormsOneSAMLResponse(t *testing.T) {
	if got, err := formResponse([]byte(oktaForm("PHNhbWw+&#x2b;/Zz0&#x3d;"))); err != nil || got != "PHNhbWw++/Zz0=" {
		t.Errorf("formResponse = %q, %v; want the HTML-unescaped value", got, err)
	}
	for _, c := range []struct{ name, page, want string }{
		{"no form", `<html><body><input name="SAMLResponse" value="abc"></body></html>`, "no SAML response"},
		{"an error page", `<html><body><h1>Sign in again</h1></body></html>`, "no SAML response"},
		{"two responses", strings.Replace(oktaForm("abc"), "</form>", `<input name="SAMLResponse" value="def"></form>`, 1), "more than one"},
		{"an empty response", oktaForm(""), "empty"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := formResponse([]byte(c.page))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("formResponse = %q, %v; want an error saying %q", got, err, c.want)
			}
		})
	}
}

func FuzzFormResponse(f *testing.F) {
	f.Add([]byte(oktaForm(b64(response(roleAttr(provider + "," + readOnly))))))
	f.Add([]byte(`<form><input name="SAMLResponse" value="a&amp;b"><form><input name=SAMLResponse value=c>`))
	f.Add([]byte(`<html><body><h1>error</h1>`))
	f.Fuzz(func(t *testing.T, page []byte) {
		v, err := formResponse(page)
		if err == nil && strings.TrimSpace(v) == "" {
			t.Errorf("an empty SAMLResponse was accepted")
		}
	})
}

func FuzzAssertionRoles(f *testing.F) {
	f.Add(b64(response(roleAttr(provider+","+readOnly) + sessionAttr)))
	f.Add(b64(response(roleAttr(readOnly+","+provider, admin+","+provider))))
	f.Add(b64(response(roleAttr(provider))))
	f.Add(b64(`<!DOCTYPE x [<!ENTITY a "b">]><saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol">&a;</saml2p:Response>`))
	f.Add("not base64")
	f.Fuzz(func(t *testing.T, value string) {
		roles, err := assertionRoles(value)
		if err != nil {
			return
		}
		for _, r := range roles {
			if !providerARN.MatchString(r.PrincipalARN) || !roleARN.MatchString(r.RoleARN) || r.AccountID == "" ||
				r.RoleName == "" || strings.ContainsAny(r.RoleName, "/,") {
				t.Errorf("an accepted role is malformed: %+v", r)
			}
		}
	})
}

func FuzzParseRole(f *testing.F) {
	f.Add(provider + "," + readOnly)
	f.Add(admin + "," + provider)
	f.Add("arn:aws-us-gov:iam::123456789012:saml-provider/x,arn:aws-us-gov:iam::123456789012:role/a/b/c")
	f.Add(",")
	f.Fuzz(func(t *testing.T, v string) {
		r, err := parseRole(v)
		if err != nil {
			return
		}
		if !strings.Contains(v, r.RoleARN) || !strings.Contains(v, r.PrincipalARN) ||
			!strings.HasPrefix(r.RoleARN, strings.Split(r.PrincipalARN, ":saml-provider/")[0]) {
			t.Errorf("parseRole(%q) = %+v", v, r)
		}
	})
}
