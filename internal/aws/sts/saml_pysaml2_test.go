package sts_test

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/keyward/keyward/internal/aws/samlsp/samltest"
)

// awsSPMetadata is AWS's sign-in as a SAML service provider, as AWS
// publishes it (https://signin.aws.amazon.com/static/saml-metadata.xml),
// reduced to what pysaml2 reads.
const awsSPMetadata = `<?xml version="1.0"?><EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="urn:amazon:webservices">` +
	`<SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAssertionsSigned="true">` +
	`<NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</NameIDFormat>` +
	`<AssertionConsumerService index="1" isDefault="true" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://signin.aws.amazon.com/saml"/>` +
	`</SPSSODescriptor></EntityDescriptor>`

// needPySAML2 skips t without pysaml2 and xmlsec1, except in CI, where
// their absence is a failure.
func needPySAML2(t *testing.T) {
	t.Helper()
	_, err := exec.LookPath("xmlsec1")
	if err == nil && exec.Command("/usr/bin/python3", "-c", "import saml2").Run() == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("pysaml2 (python3-pysaml2) and xmlsec1 are needed: apt-get install -y python3-pysaml2 xmlsec1")
	}
	t.Skip("pysaml2 or xmlsec1 is not installed (apt-get install -y python3-pysaml2 xmlsec1)")
}

// pysaml2Assertion has pysaml2 sign, with idp's key, a Response to AWS's
// sign-in offering roles.
func pysaml2Assertion(t *testing.T, idp *samltest.IdP, nameID, sessionName string, roles ...string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string][]byte{
		"sp.xml":   []byte(awsSPMetadata),
		"key.pem":  pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(idp.Key)}),
		"cert.pem": pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: idp.DER}),
	}
	for name, b := range files {
		must(t, os.WriteFile(filepath.Join(dir, name), b, 0o600))
	}
	args := append([]string{"testdata/saml_pysaml2_idp.py", filepath.Join(dir, "sp.xml"), filepath.Join(dir, "key.pem"),
		filepath.Join(dir, "cert.pem"), idp.EntityID, nameID, sessionName}, roles...)
	var stderr bytes.Buffer
	cmd := exec.CommandContext(t.Context(), "/usr/bin/python3", args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pysaml2: %v\n%s", err, stderr.String())
	}
	return string(out)
}

func TestAssumeRoleWithSAMLAcceptsPySAML2sAssertion(t *testing.T) {
	needPySAML2(t)
	s := newSAMLServer(t)
	idp := samltest.New(t, 1, "https://pysaml2.idp.test", time.Now())
	s.provider(t, "PySAML2", idp)
	pyProvider := "arn:aws:iam::222222222222:saml-provider/PySAML2"
	must(t, s.db.CreateIAMRole(s.ctx, iamRole("PyRole", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"`+pyProvider+
		`"},"Action":"sts:AssumeRoleWithSAML","Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml","SAML:sub_type":"persistent"}}}}`)))
	assertion := pysaml2Assertion(t, idp, "bob-1234", "bob@example.com", "arn:aws:iam::222222222222:role/PyRole,"+pyProvider)
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
