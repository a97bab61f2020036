package samlsp_test

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/samlsp"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// The attacker is mallory, who may sign in as herself; the victim is alice.

// reparse writes doc and reads it back, as the ACS will: an edited tree
// then has the indices etree keeps for each child.
func reparse(t testing.TB, doc *etree.Document) *etree.Document {
	t.Helper()
	b, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	out := etree.NewDocument()
	if err := out.ReadFromBytes(b); err != nil {
		t.Fatal(err)
	}
	return out
}

// mallorys is a Response for mallory, its assertion signed.
func (f *fixture) mallorys(t testing.TB) *etree.Document {
	t.Helper()
	s := f.spec()
	s.nameID = "mallory@example.com"
	doc := response(s)
	f.idp.signAssertion(t, doc)
	return reparse(t, doc)
}

// forge copies assertion a as alice's, unsigned and with a new ID.
func forge(a *etree.Element, id string) *etree.Element {
	c := a.Copy()
	if sig := c.SelectElement("Signature"); sig != nil {
		c.RemoveChildAt(sig.Index())
	}
	c.SelectElement("Subject").SelectElement("NameID").SetText("alice@example.com")
	c.RemoveAttr("ID")
	c.CreateAttr("ID", id)
	return c
}

// withDTD puts a document type declaration in front of a valid response.
func withDTD(t testing.TB, f *fixture, dtd, nameID string) url.Values {
	t.Helper()
	b, err := f.mallorys(t).WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.Replace(b, []byte("mallory@example.com"), []byte(nameID), 1)
	return formOf(append([]byte(dtd), b...), "")
}

const billionLaughs = `<!DOCTYPE samlp:Response [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
`

type attack struct {
	name   string
	reason samlsp.Reason
	build  func(t *testing.T, f *fixture) url.Values
}

// signatureAttacks: signature wrapping (XSW), removal, wrong keys and
// refused algorithms.
var signatureAttacks = []attack{
	{"a forged assertion placed before the signed one", samlsp.ReasonAssertionCount, func(t *testing.T, f *fixture) url.Values {
		doc := f.mallorys(t)
		a := assertionOf(doc)
		doc.Root().InsertChildAt(a.Index(), forge(a, "_forged"))
		return form(t, doc, "")
	}},
	{"a forged assertion placed after the signed one", samlsp.ReasonAssertionCount, func(t *testing.T, f *fixture) url.Values {
		doc := f.mallorys(t)
		doc.Root().AddChild(forge(assertionOf(doc), "_forged"))
		return form(t, doc, "")
	}},
	{"a forged assertion hidden in the Response's Extensions", samlsp.ReasonAssertionCount, func(t *testing.T, f *fixture) url.Values {
		doc := f.mallorys(t)
		ext := etree.NewElement("samlp:Extensions")
		ext.AddChild(forge(assertionOf(doc), "_forged"))
		doc.Root().InsertChildAt(1, ext)
		return form(t, doc, "")
	}},
	{"a forged assertion hidden in the signature's Object", samlsp.ReasonAssertionCount, func(t *testing.T, f *fixture) url.Values {
		doc := f.mallorys(t)
		a := assertionOf(doc)
		obj := a.SelectElement("Signature").CreateElement("ds:Object")
		obj.AddChild(forge(a, "_forged"))
		return form(t, doc, "")
	}},
	{"the signed assertion moved into a wrapper and a forgery with its ID and signature in its place", samlsp.ReasonAssertionCount, func(t *testing.T, f *fixture) url.Values {
		doc := f.mallorys(t)
		a := assertionOf(doc)
		fake := forge(a, a.SelectAttrValue("ID", ""))
		fake.InsertChildAt(1, a.SelectElement("Signature").Copy())
		doc.Root().RemoveChildAt(a.Index())
		ext := etree.NewElement("samlp:Extensions")
		ext.AddChild(a)
		doc.Root().InsertChildAt(1, ext)
		doc.Root().AddChild(fake)
		return form(t, doc, "")
	}},
	{"a forged assertion in another namespace beside the signed one", samlsp.ReasonAssertionCount, func(t *testing.T, f *fixture) url.Values {
		doc := f.mallorys(t)
		fake := forge(assertionOf(doc), "_forged")
		fake.Space = "evil"
		fake.CreateAttr("xmlns:evil", "urn:evil")
		doc.Root().AddChild(fake)
		return form(t, doc, "")
	}},
	{"another element carrying the signed assertion's ID", samlsp.ReasonDuplicateID, func(t *testing.T, f *fixture) url.Values {
		doc := f.mallorys(t)
		ext := etree.NewElement("samlp:Extensions")
		ext.CreateElement("Wrapper").CreateAttr("ID", assertionOf(doc).SelectAttrValue("ID", ""))
		doc.Root().InsertChildAt(1, ext)
		return form(t, doc, "")
	}},
	{"a signed response with an unsigned assertion injected", samlsp.ReasonAssertionCount, func(t *testing.T, f *fixture) url.Values {
		s := f.spec()
		s.nameID = "mallory@example.com"
		doc := response(s)
		f.idp.signResponse(t, doc)
		doc = reparse(t, doc)
		doc.Root().AddChild(forge(assertionOf(doc), "_forged"))
		return form(t, doc, "")
	}},
	{"a signed response whose assertion was edited after signing", samlsp.ReasonSignature, func(t *testing.T, f *fixture) url.Values {
		s := f.spec()
		s.nameID = "mallory@example.com"
		doc := response(s)
		f.idp.signResponse(t, doc)
		doc = reparse(t, doc)
		assertionOf(doc).SelectElement("Subject").SelectElement("NameID").SetText("alice@example.com")
		return form(t, doc, "")
	}},
	{"a signed assertion whose NameID was edited after signing", samlsp.ReasonSignature, func(t *testing.T, f *fixture) url.Values {
		doc := f.mallorys(t)
		assertionOf(doc).SelectElement("Subject").SelectElement("NameID").SetText("alice@example.com")
		return form(t, doc, "")
	}},
	{"a response whose signature was removed", samlsp.ReasonSignature, func(t *testing.T, f *fixture) url.Values {
		doc := f.mallorys(t)
		a := assertionOf(doc)
		a.RemoveChildAt(a.SelectElement("Signature").Index())
		a.SelectElement("Subject").SelectElement("NameID").SetText("alice@example.com")
		return form(t, doc, "")
	}},
	{"an assertion signed with another key and its own certificate", samlsp.ReasonSignature, func(t *testing.T, f *fixture) url.Values {
		other := newIdP(t, 1, idpEntityID, start.AddDate(-1, 0, 0), start.AddDate(1, 0, 0))
		doc := response(f.spec())
		other.signAssertion(t, doc)
		return form(t, doc, "")
	}},
	{"an assertion signed with another key naming the trusted certificate", samlsp.ReasonSignature, func(t *testing.T, f *fixture) url.Values {
		other := newIdP(t, 1, idpEntityID, start.AddDate(-1, 0, 0), start.AddDate(1, 0, 0))
		doc := response(f.spec())
		other.signAssertion(t, doc)
		doc = reparse(t, doc)
		doc.FindElement("//X509Certificate").SetText(base64.StdEncoding.EncodeToString(f.idp.der))
		return form(t, doc, "")
	}},
	{"an assertion signed by a certificate that has expired", samlsp.ReasonSignature, func(t *testing.T, f *fixture) url.Values {
		old := newIdP(t, 1, idpEntityID, start.AddDate(-2, 0, 0), start.AddDate(0, 0, -1))
		f.trust(t, old)
		doc := response(f.spec())
		old.signAssertion(t, doc)
		return form(t, doc, "")
	}},
	{"an assertion signed with RSA-SHA1", samlsp.ReasonAlgorithm, func(t *testing.T, f *fixture) url.Values {
		doc := response(f.spec())
		f.idp.sign(t, assertionOf(doc), dsig.RSASHA1SignatureMethod)
		return form(t, doc, "")
	}},
	{"a SHA-1 digest under an RSA-SHA256 signature", samlsp.ReasonAlgorithm, func(t *testing.T, f *fixture) url.Values {
		doc := f.mallorys(t)
		doc.FindElement("//DigestMethod").CreateAttr("Algorithm", "http://www.w3.org/2000/09/xmldsig#sha1")
		return form(t, doc, "")
	}},
	{"an HMAC-SHA1 signature method", samlsp.ReasonAlgorithm, func(t *testing.T, f *fixture) url.Values {
		doc := f.mallorys(t)
		doc.FindElement("//SignatureMethod").CreateAttr("Algorithm", "http://www.w3.org/2000/09/xmldsig#hmac-sha1")
		return form(t, doc, "")
	}},
	{"an encrypted assertion", samlsp.ReasonEncrypted, func(t *testing.T, f *fixture) url.Values {
		doc := f.mallorys(t)
		doc.Root().CreateElement("saml:EncryptedAssertion").CreateElement("xenc:EncryptedData")
		return form(t, doc, "")
	}},
}

// parserAttacks: XXE, entity expansion, size and compression bombs, and
// malformed posts.
var parserAttacks = []attack{
	{"an external entity (XXE) reading a local file", samlsp.ReasonDTD, func(t *testing.T, f *fixture) url.Values {
		return withDTD(t, f, `<!DOCTYPE samlp:Response [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`+"\n", "&xxe;")
	}},
	{"an external DTD", samlsp.ReasonDTD, func(t *testing.T, f *fixture) url.Values {
		return withDTD(t, f, `<!DOCTYPE samlp:Response SYSTEM "http://evil.example/saml.dtd">`+"\n", "mallory@example.com")
	}},
	{"entity expansion (billion laughs)", samlsp.ReasonDTD, func(t *testing.T, f *fixture) url.Values {
		return withDTD(t, f, billionLaughs, "&lol9;")
	}},
	{"a body over the size limit", samlsp.ReasonTooLarge, func(t *testing.T, f *fixture) url.Values {
		b, _ := f.mallorys(t).WriteToBytes()
		pad := strings.Repeat("<!-- padding -->", samlsp.MaxResponseBytes/16+1)
		return formOf(bytes.Replace(b, []byte("<saml:Issuer>"), []byte(pad+"<saml:Issuer>"), 1), "")
	}},
	{"a deflate bomb", samlsp.ReasonMalformed, func(t *testing.T, f *fixture) url.Values {
		var buf bytes.Buffer
		w, _ := flate.NewWriter(&buf, flate.BestCompression)
		w.Write([]byte("<samlp:Response>"))
		w.Write(make([]byte, 50<<20))
		w.Close()
		return formOf(buf.Bytes(), "")
	}},
	{"a processing instruction", samlsp.ReasonDTD, func(t *testing.T, f *fixture) url.Values {
		return withDTD(t, f, `<?xml-stylesheet href="http://evil.example/x.xsl"?>`+"\n", "mallory@example.com")
	}},
	{"a response that is not base64", samlsp.ReasonMalformed, func(t *testing.T, f *fixture) url.Values {
		return url.Values{"SAMLResponse": {"<samlp:Response/>"}}
	}},
	{"two SAMLResponse values", samlsp.ReasonMalformed, func(t *testing.T, f *fixture) url.Values {
		v := form(t, f.mallorys(t), "")
		v.Add("SAMLResponse", v.Get("SAMLResponse"))
		return v
	}},
	{"a signed assertion posted without its Response", samlsp.ReasonMalformed, func(t *testing.T, f *fixture) url.Values {
		doc := etree.NewDocument()
		doc.SetRoot(assertionOf(f.mallorys(t)).Copy())
		return form(t, doc, "")
	}},
}

// ruleAttacks: valid signatures on responses that break a rule.
var ruleAttacks = []attack{
	{"a replay of a response already used", samlsp.ReasonReplay, func(t *testing.T, f *fixture) url.Values {
		v := f.signed(t, f.spec())
		if _, err := f.sp.Consume(f.ctx, v); err != nil {
			t.Fatalf("first use: %v", err)
		}
		return v
	}},
	{"an InResponseTo no request of ours carried", samlsp.ReasonUnknownRequest, func(t *testing.T, f *fixture) url.Values {
		s := f.spec()
		s.inResponseTo = "_never-sent"
		return f.signed(t, s)
	}},
	{"a RelayState other than the request's", samlsp.ReasonUnknownRequest, func(t *testing.T, f *fixture) url.Values {
		req, err := f.sp.AuthnRequest(f.ctx, "/start")
		if err != nil {
			t.Fatal(err)
		}
		s := f.spec()
		s.inResponseTo = req.ID
		v := f.signed(t, s)
		v.Set("RelayState", "https://evil.example/")
		return v
	}},
	{"an expired request", samlsp.ReasonUnknownRequest, func(t *testing.T, f *fixture) url.Values {
		req, err := f.sp.AuthnRequest(f.ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(samlsp.DefaultRequestLifetime + time.Second)
		s := f.spec()
		s.inResponseTo = req.ID
		return f.signed(t, s)
	}},
	{"another audience", samlsp.ReasonAudience, func(t *testing.T, f *fixture) url.Values {
		s := f.spec()
		s.audience = "https://signin.aws.amazon.com/saml"
		return f.signed(t, s)
	}},
	{"another recipient", samlsp.ReasonRecipient, func(t *testing.T, f *fixture) url.Values {
		s := f.spec()
		s.recipient = "https://other.keyward.test/platform/saml/acs/ssoins-0123456789abcdef"
		return f.signed(t, s)
	}},
	{"another destination", samlsp.ReasonDestination, func(t *testing.T, f *fixture) url.Values {
		s := f.spec()
		s.destination = "https://other.keyward.test/acs"
		return f.signed(t, s)
	}},
	{"no destination", samlsp.ReasonDestination, func(t *testing.T, f *fixture) url.Values {
		s := f.spec()
		s.destination = ""
		return f.signed(t, s)
	}},
	{"another issuer", samlsp.ReasonIssuer, func(t *testing.T, f *fixture) url.Values {
		s := f.spec()
		s.issuer = "https://evil.example/idp"
		return f.signed(t, s)
	}},
	{"an assertion past NotOnOrAfter and the skew", samlsp.ReasonExpired, func(t *testing.T, f *fixture) url.Values {
		v := f.signed(t, f.spec())
		f.clk.Advance(5*time.Minute + samlsp.DefaultSkew + time.Second)
		return v
	}},
	{"conditions that expired though the confirmation did not", samlsp.ReasonExpired, func(t *testing.T, f *fixture) url.Values {
		s := f.spec()
		s.notOnOrAfter = start.Add(-samlsp.DefaultSkew - time.Second)
		return f.signed(t, s)
	}},
	{"an assertion not valid before ten minutes from now", samlsp.ReasonNotYetValid, func(t *testing.T, f *fixture) url.Values {
		s := f.spec()
		s.notBefore = start.Add(10 * time.Minute)
		return f.signed(t, s)
	}},
	{"an identity provider session that already ended", samlsp.ReasonExpired, func(t *testing.T, f *fixture) url.Values {
		s := f.spec()
		s.sessionNotOnOrAfter = start.Add(-time.Second)
		return f.signed(t, s)
	}},
	{"a status other than success", samlsp.ReasonStatus, func(t *testing.T, f *fixture) url.Values {
		s := f.spec()
		s.status = "urn:oasis:names:tc:SAML:2.0:status:Responder"
		return f.signed(t, s)
	}},
	{"a user Identity Center does not have", samlsp.ReasonUnknownUser, func(t *testing.T, f *fixture) url.Values {
		s := f.spec()
		s.nameID = "nobody@example.com"
		return f.signed(t, s)
	}},
	{"a disabled user", samlsp.ReasonDisabledUser, func(t *testing.T, f *fixture) url.Values {
		s := f.spec()
		s.nameID = "bob@example.com"
		return f.signed(t, s)
	}},
	{"a response while the identity source is the Identity Center directory", samlsp.ReasonNotExternal, func(t *testing.T, f *fixture) url.Values {
		v := f.signed(t, f.spec())
		if _, err := f.db.UpdateIdentitySource(f.ctx, func(ic.IdentitySource) (ic.IdentitySource, error) {
			return ic.IdentitySource{Type: ic.SourceIdentityCenter}, nil
		}); err != nil {
			t.Fatal(err)
		}
		return v
	}},
}

func TestEveryAttackIsRefusedAndLogged(t *testing.T) {
	for _, group := range []struct {
		name    string
		attacks []attack
	}{{"signature", signatureAttacks}, {"parser", parserAttacks}, {"rules", ruleAttacks}} {
		t.Run(group.name, func(t *testing.T) {
			for _, tc := range group.attacks {
				t.Run(tc.name, func(t *testing.T) {
					f := newFixture(t)
					f.user(t, "mallory@example.com", ic.UserEnabled)
					post := tc.build(t, f)
					got, err := f.sp.Consume(f.ctx, post)
					refused(t, err, tc.reason)
					if got.User.ID != "" {
						t.Errorf("a refusal returned user %s", got.User.ID)
					}
					e := f.lastEvent(t)
					if e.Action != "user.signin" || e.Outcome == audit.Success || e.Detail["reason"] != string(tc.reason) {
						t.Errorf("event %s %s reason %q, want a refused user.signin for %s", e.Action, e.Outcome, e.Detail["reason"], tc.reason)
					}
				})
			}
		})
	}
}

// A comment inside the NameID is outside the signature's canonical form;
// a reader that stops at it would sign in user@evil.com.
func TestACommentInTheNameIDDoesNotShortenIt(t *testing.T) {
	f := newFixture(t)
	victim := f.user(t, "user@evil.com", ic.UserEnabled)
	attacker := f.user(t, "user@evil.com.victim.com", ic.UserEnabled)
	s := f.spec()
	s.nameID = "user@evil.com.victim.com"
	doc := response(s)
	f.idp.signAssertion(t, doc)
	b, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.Replace(b, []byte("user@evil.com.victim.com"), []byte("user@evil.com<!---->.victim.com"), 1)
	got, err := f.sp.Consume(f.ctx, formOf(b, ""))
	if err != nil {
		t.Fatalf("Consume: %v", err)
	}
	if got.User.ID == victim.ID || got.User.ID != attacker.ID || got.NameID != "user@evil.com.victim.com" {
		t.Errorf("signed in %s as %q, want %s (user@evil.com.victim.com)", got.User.ID, got.NameID, attacker.ID)
	}
}
