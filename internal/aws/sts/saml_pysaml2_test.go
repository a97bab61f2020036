package sts_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/keyward/keyward/internal/aws/samlsp/samltest"
	"github.com/keyward/keyward/internal/aws/sts"
)

// awsSPMetadata is AWS's sign-in as a SAML service provider, as AWS
// publishes it (https://signin.aws.amazon.com/static/saml-metadata.xml),
// reduced to what pysaml2 reads.
const awsSPMetadata = `<?xml version="1.0"?><EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="urn:amazon:webservices">` +
	`<SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAssertionsSigned="true">` +
	`<NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</NameIDFormat>` +
	`<AssertionConsumerService index="1" isDefault="true" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://signin.aws.amazon.com/saml"/>` +
	`</SPSSODescriptor></EntityDescriptor>`

func TestAssumeRoleWithSAMLAcceptsPySAML2sAssertion(t *testing.T) {
	samltest.NeedPySAML2(t)
	s := newSAMLServer(t)
	idp := samltest.New(t, 1, "https://pysaml2.idp.test", time.Now())
	s.provider(t, "PySAML2", idp)
	pyProvider := "arn:aws:iam::222222222222:saml-provider/PySAML2"
	must(t, s.db.CreateIAMRole(s.ctx, iamRole("PyRole", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"`+pyProvider+
		`"},"Action":"sts:AssumeRoleWithSAML","Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml","SAML:sub_type":"persistent"}}}}`)))
	assertion := idp.PySAML2Response(t, []byte(awsSPMetadata), "bob-1234", "-", "nameid-format=persistent",
		sts.AttrRole+"=arn:aws:iam::222222222222:role/PyRole,"+pyProvider, sts.AttrRoleSessionName+"=bob@example.com")
	out, err := s.anonymous().AssumeRoleWithSAML(s.ctx, assumeInput("arn:aws:iam::222222222222:role/PyRole", pyProvider, assertion))
	if err != nil {
		t.Fatalf("keyward refused pysaml2's assertion: %v", err)
	}
	if got := aws.ToString(out.AssumedRoleUser.Arn); got != "arn:aws:sts::222222222222:assumed-role/PyRole/bob@example.com" {
		t.Errorf("assumed %s, want PyRole as bob@example.com", got)
	}
	if aws.ToString(out.Subject) != "bob-1234" || aws.ToString(out.SubjectType) != "persistent" || aws.ToString(out.Issuer) != idp.EntityID {
		t.Errorf("subject %s (%s) from %s, want bob-1234 (persistent) from pysaml2", aws.ToString(out.Subject), aws.ToString(out.SubjectType), aws.ToString(out.Issuer))
	}
}
