package sts_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/keyward/keyward/internal/aws/samlsp/samltest"
	"github.com/keyward/keyward/internal/aws/sts"
)

// samlAttack is an assertion AssumeRoleWithSAML must refuse, the role it
// asks for and the STS error code and message part the caller sees.
type samlAttack struct {
	name      string
	role      string
	assertion func(t *testing.T, s *samlServer) string
	code, msg string
}

// edited is the signed Response of spec with edit applied afterwards.
func edited(t *testing.T, s *samlServer, spec samltest.Spec, edit func(doc *etree.Document)) string {
	doc := samltest.Document(spec)
	s.idp.SignAssertion(t, doc, "")
	edit(doc)
	return samltest.Encode(t, doc)
}

// wrapped is a signature-wrapping attack: place puts the signed assertion
// and a forged unsigned copy naming root in the Response.
func wrapped(place func(root, signed, forged *etree.Element)) func(*testing.T, *samlServer) string {
	return func(t *testing.T, s *samlServer) string {
		return edited(t, s, s.spec(), func(doc *etree.Document) {
			signed := doc.Root().SelectElement("Assertion")
			forged := signed.Copy()
			forged.RemoveChildAt(forged.SelectElement("Signature").Index())
			forged.SelectElement("Subject").SelectElement("NameID").SetText("root")
			place(doc.Root(), signed, forged)
		})
	}
}

func withSpec(edit func(*samltest.Spec)) func(*testing.T, *samlServer) string {
	return func(t *testing.T, s *samlServer) string {
		spec := s.spec()
		edit(&spec)
		return s.idp.Signed(t, spec)
	}
}

var samlAttacks = []samlAttack{
	{"an assertion whose signed NameID was changed", readerARN, func(t *testing.T, s *samlServer) string {
		return edited(t, s, s.spec(), func(doc *etree.Document) {
			doc.Root().SelectElement("Assertion").SelectElement("Subject").SelectElement("NameID").SetText("root")
		})
	}, "InvalidIdentityToken", "Response signature invalid"},
	{"a Role attribute added after signing", "arn:aws:iam::222222222222:role/Deployer", func(t *testing.T, s *samlServer) string {
		return edited(t, s, s.spec(), func(doc *etree.Document) {
			st := doc.Root().SelectElement("Assertion").SelectElement("AttributeStatement")
			at := st.CreateElement("saml:Attribute")
			at.CreateAttr("Name", sts.AttrRole)
			at.CreateElement("saml:AttributeValue").SetText("arn:aws:iam::222222222222:role/Deployer," + providerARN)
		})
	}, "InvalidIdentityToken", "Response signature invalid"},
	{"a forged second assertion beside the signed one (signature wrapping)", readerARN, wrapped(func(root, signed, forged *etree.Element) {
		root.InsertChildAt(signed.Index(), forged)
	}), "InvalidIdentityToken", "exactly one assertion"},
	{"a forged assertion wrapping the signed one", readerARN, wrapped(func(root, signed, forged *etree.Element) {
		root.RemoveChild(signed)
		forged.AddChild(signed)
		root.AddChild(forged)
	}), "InvalidIdentityToken", "exactly one assertion"},
	{"the signed assertion hidden in the Response's Extensions, a forged one in its place", readerARN, wrapped(func(root, signed, forged *etree.Element) {
		root.RemoveChild(signed)
		root.CreateElement("samlp:Extensions").AddChild(signed)
		root.AddChild(forged)
	}), "InvalidIdentityToken", "exactly one assertion"},
	{"an assertion signed with an unknown key", readerARN, func(t *testing.T, s *samlServer) string {
		return samltest.New(t, 1, idpEntityID, time.Now()).Signed(t, s.spec())
	}, "InvalidIdentityToken", "Response signature invalid"},
	{"an assertion signed with RSA-SHA1", readerARN, func(t *testing.T, s *samlServer) string {
		doc := samltest.Document(s.spec())
		s.idp.SignAssertion(t, doc, dsig.RSASHA1SignatureMethod)
		return samltest.Encode(t, doc)
	}, "InvalidIdentityToken", "RSA-SHA256"},
	{"an unsigned assertion", readerARN, func(t *testing.T, s *samlServer) string {
		return samltest.Encode(t, samltest.Document(s.spec()))
	}, "InvalidIdentityToken", "not signed"},
	{"an assertion with a DTD (XXE)", readerARN, func(t *testing.T, s *samlServer) string {
		doc := samltest.Document(s.spec())
		s.idp.SignAssertion(t, doc, "")
		b, _ := doc.WriteToString()
		return encodeString(`<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>` + b)
	}, "InvalidIdentityToken", "document type declaration"},
	{"an assertion from another issuer", readerARN, withSpec(func(s *samltest.Spec) { s.Issuer = "https://evil.example.com" }),
		"InvalidIdentityToken", "Issuer not present in specified provider"},
	{"an assertion for another audience", readerARN, withSpec(func(s *samltest.Spec) { s.Audience = "https://other.example.com" }),
		"InvalidIdentityToken", "Audience"},
	{"an assertion for another recipient", readerARN, withSpec(func(s *samltest.Spec) {
		s.Recipient, s.Destination = "https://other.example.com/acs", ""
	}), "InvalidIdentityToken", "meant for"},
	{"an expired assertion", readerARN, withSpec(func(s *samltest.Spec) {
		s.IssueInstant, s.NotOnOrAfter = time.Now().Add(-time.Hour), time.Now().Add(-30*time.Minute)
	}), "ExpiredTokenException", "expired"},
	{"an assertion without RoleSessionName", readerARN, withSpec(func(s *samltest.Spec) { delete(s.Attributes, sts.AttrRoleSessionName) }),
		"InvalidIdentityToken", "RoleSessionName is required in AuthnResponse"},
	{"an assertion with a bad RoleSessionName", readerARN, withSpec(func(s *samltest.Spec) { s.Attributes[sts.AttrRoleSessionName] = []string{"a b"} }),
		"InvalidIdentityToken", "must match"},
	{"a role the assertion does not list", "arn:aws:iam::222222222222:role/Deployer", withSpec(func(*samltest.Spec) {}),
		"AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML"},
	{"a listed role whose trust policy does not allow the provider", "arn:aws:iam::222222222222:role/Deployer", withSpec(func(s *samltest.Spec) {
		s.Attributes[sts.AttrRole] = []string{"arn:aws:iam::222222222222:role/Deployer," + providerARN}
	}), "AccessDenied", "Not authorized"},
	{"an Identity Center role", "arn:aws:iam::222222222222:role/AWSReservedSSO_Admin_0123456789abcdef", withSpec(func(s *samltest.Spec) {
		s.Attributes[sts.AttrRole] = []string{"arn:aws:iam::222222222222:role/AWSReservedSSO_Admin_0123456789abcdef," + providerARN}
	}), "AccessDenied", "Not authorized"},
}

func TestAssumeRoleWithSAMLRefusesTheSAMLAttackCorpus(t *testing.T) {
	s := newSAMLServer(t)
	for _, a := range samlAttacks {
		t.Run(a.name+" is refused", func(t *testing.T) {
			_, err := s.assume(a.role, a.assertion(t, s))
			refused(t, err, a.code, a.msg)
		})
	}
}

func TestACommentInTheRoleSessionNameDoesNotShortenIt(t *testing.T) {
	s := newSAMLServer(t)
	spec := s.spec()
	spec.Attributes[sts.AttrRoleSessionName] = []string{"admin.evil"}
	// Exclusive c14n leaves comments out, so a comment added after
	// signing keeps the signature valid: a reader taking the first text
	// node would see "admin".
	assertion := edited(t, s, spec, func(doc *etree.Document) {
		for _, at := range doc.FindElements("//Attribute") {
			if at.SelectAttrValue("Name", "") == sts.AttrRoleSessionName {
				v := at.SelectElement("AttributeValue")
				v.SetText("admin")
				v.CreateComment("")
				v.CreateText(".evil")
			}
		}
	})
	out, err := s.assume(readerARN, assertion)
	must(t, err)
	if got := aws.ToString(out.AssumedRoleUser.Arn); got != "arn:aws:sts::222222222222:assumed-role/SAMLReader/admin.evil" {
		t.Errorf("assumed %s, want the whole session name admin.evil", got)
	}
}

// An assertion is spent once per role: a second AssumeRoleWithSAML for
// the same role is a replay, while each other role it lists may still be
// taken once (okta-aws-cli --all-profiles assumes them all with one).
func TestAnAssertionIsUsedOncePerRole(t *testing.T) {
	s := newSAMLServer(t)
	assertion := s.idp.Signed(t, s.spec())
	_, err := s.assume(readerARN, assertion)
	must(t, err)
	_, err = s.assume(readerARN, assertion)
	refused(t, err, "InvalidIdentityToken", "already been used")
	_, err = s.assume(adminARN, assertion)
	must(t, err)
	_, err = s.assume(adminARN, assertion)
	refused(t, err, "InvalidIdentityToken", "already been used")
}

func encodeString(doc string) string { return base64.StdEncoding.EncodeToString([]byte(doc)) }

// A refused call does not spend the assertion: the caller may fix the
// request (here, a smaller session policy) and send it again.
func TestARefusedAssumeRoleWithSAMLLeavesTheAssertionUnspent(t *testing.T) {
	s := newSAMLServer(t)
	spec := s.spec()
	for _, k := range []string{"a", "b", "c", "d", "e", "f"} {
		spec.Attributes[sts.AttrPrincipalTag+k] = []string{strings.Repeat(k, 256)}
	}
	assertion := s.idp.Signed(t, spec)
	resources := make([]string, 40)
	for i := range resources {
		resources[i] = fmt.Sprintf(`"arn:aws:s3:::bucket-%03d-with-a-long-name/*"`, i)
	}
	policy := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":[` + strings.Join(resources, ",") + `]}}`
	in := assumeInput(readerARN, providerARN, assertion)
	in.Policy = aws.String(policy)
	_, err := s.anonymous().AssumeRoleWithSAML(s.ctx, in)
	refused(t, err, "PackedPolicyTooLarge", "too large")
	_, err = s.assume(readerARN, assertion)
	must(t, err)
}
