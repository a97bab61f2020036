package samlidp_test

import (
	"crypto/rand"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/idp/samlidp"
)

func TestTheAWSAccountFederationAppSendsAWSsAttributes(t *testing.T) {
	f, causes := directory.ReadAWSFederation(map[string]string{
		directory.AWSFedIdentityProviderARN: "arn:aws:iam::222222222222:saml-provider/Keyward",
		directory.AWSFedGroupFilter:         `(?i)aws-(?{{role}}[a-z]+)`, directory.AWSFedSessionDuration: "7200"})
	if len(causes) > 0 {
		t.Fatal(causes)
	}
	app := testApp(func(s *directory.SAMLSettings) {})
	app.SAML = f.SAML().WithDefaults()
	_, root := issue(t, app, "")
	values := func(name string) []string {
		var out []string
		for _, v := range root.FindElements("//Attribute[@Name='" + name + "']/AttributeValue") {
			out = append(out, v.Text())
		}
		return out
	}
	got := map[string][]string{}
	for _, n := range []string{directory.AWSAttrRole, directory.AWSAttrRoleSessionName, directory.AWSAttrSessionDuration} {
		got[n] = values(n)
	}
	want := map[string][]string{
		directory.AWSAttrRole: {"arn:aws:iam::222222222222:saml-provider/Keyward,arn:aws:iam::222222222222:role/Admins",
			"arn:aws:iam::222222222222:saml-provider/Keyward,arn:aws:iam::222222222222:role/readers"},
		directory.AWSAttrRoleSessionName: {"alice@example.com"},
		directory.AWSAttrSessionDuration: {"7200"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AWS attributes (-want +got):\n%s", diff)
	}
	scd := root.FindElement("//SubjectConfirmationData")
	if r := scd.SelectAttrValue("Recipient", ""); r != "https://signin.aws.amazon.com/saml" {
		t.Errorf("Recipient %s, want AWS's sign-in", r)
	}
}

func TestAPersonWhoseGroupsMapToNoAWSRoleGetsNoAssertion(t *testing.T) {
	f, causes := directory.ReadAWSFederation(map[string]string{
		directory.AWSFedIdentityProviderARN: "arn:aws:iam::222222222222:saml-provider/Keyward",
		directory.AWSFedGroupFilter:         `aws_prod_(?{{role}}[a-z]+)`})
	if len(causes) > 0 {
		t.Fatal(causes)
	}
	app := testApp(func(s *directory.SAMLSettings) {})
	app.SAML = f.SAML().WithDefaults()
	is := &samlidp.Issuer{OrgURL: orgURL, Random: rand.Reader, NameIDKey: []byte("nameid key")}
	_, err := is.Issue(samlidp.Grant{App: app, User: alice, Groups: aliceGroups, Session: session, Now: issueNow}, testSigner(t))
	if err == nil {
		t.Fatal("issued an assertion without a Role attribute, which AWS refuses")
	}
	if e, ok := errs.As(err); !ok || e.Kind != errs.Denied {
		t.Errorf("error %v, want the person told they have no AWS role (denied)", err)
	}
}
