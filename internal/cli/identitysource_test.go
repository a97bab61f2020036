package cli

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// idpMetadataFile writes an identity provider's metadata with a fresh
// certificate and returns its path.
func idpMetadataFile(t *testing.T, entityID string) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "idp.example.com"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(1, 0, 0)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	doc := `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="` + entityID + `">
<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>` +
		base64.StdEncoding.EncodeToString(der) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/app/aws/sso/saml"/>
</md:IDPSSODescriptor></md:EntityDescriptor>`
	path := filepath.Join(t.TempDir(), "idp.xml")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// contains fails t unless out has every want.
func contains(t *testing.T, what, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("%s does not say %q:\n%s", what, w, out)
		}
	}
}

func TestTheIdentitySourceSwitchesToAnExternalIdentityProviderAndBack(t *testing.T) {
	dir := served(t)
	env := map[string]string{"KEYWARD_AWS_URL": "https://aws.keyward.test"}
	admin := func(args ...string) (string, string) {
		t.Helper()
		code, out, errOut := run(t, "", env, append(append([]string{"admin", "identity-source"}, args...), "--data-dir", dir)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		return out, errOut
	}

	out, _ := admin("show")
	contains(t, "show", out, "Identity Center directory (IDENTITY_CENTER)",
		"https://us-east-1.signin.aws.amazon.com/platform/saml/d-", "https://aws.keyward.test/platform/saml/acs/ssoins-",
		"https://aws.keyward.test/platform/saml/metadata/ssoins-", "Automatic provisioning:   off")

	out, _ = admin("sp-metadata")
	contains(t, "sp-metadata", out, `<md:EntityDescriptor`, `entityID="https://us-east-1.signin.aws.amazon.com/platform/saml/d-`,
		`Location="https://aws.keyward.test/platform/saml/acs/ssoins-`)

	out, errOut := admin("set-external", "--idp-metadata", idpMetadataFile(t, "https://idp.example.com/app/aws"))
	contains(t, "set-external", out, "External identity provider (EXTERNAL_IDP)", "https://idp.example.com/app/aws",
		"https://idp.example.com/app/aws/sso/saml (HTTP-Redirect)", "CN=idp.example.com, valid until")
	contains(t, "set-external's warning", errOut, "every portal session and SSO-OIDC token has ended")

	_, errOut = admin("set-external", "--idp-metadata", idpMetadataFile(t, "https://idp.example.com/app/aws"))
	if errOut != "" {
		t.Errorf("new metadata from the same identity provider signed people out: %s", errOut)
	}

	out, _ = admin("set-identity-center")
	contains(t, "set-identity-center", out, "Identity Center directory (IDENTITY_CENTER)", "Changed:")

	code, out, _ := run(t, "", nil, "admin", "events", "--data-dir", dir, "--action", "identitycenter.identity_source.update")
	if code != 0 || strings.Count(out, "identitycenter.identity_source.update") != 3 {
		t.Errorf("the log holds %d identity-source changes, want 3:\n%s", strings.Count(out, "identitycenter.identity_source.update"), out)
	}
}

func TestSetExternalRefusesMetadataItCannotUse(t *testing.T) {
	dir := served(t)
	bad := filepath.Join(t.TempDir(), "bad.xml")
	if err := os.WriteFile(bad, []byte(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, "", nil, "admin", "identity-source", "set-external", "--idp-metadata", bad, "--data-dir", dir)
	if code == 0 || !strings.Contains(errOut, "document type declarations are not allowed") {
		t.Errorf("exit %d, stderr %q: want a refusal naming the DTD", code, errOut)
	}
	code, out, _ := run(t, "", nil, "admin", "identity-source", "show", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "IDENTITY_CENTER") {
		t.Errorf("a refused switch changed the source:\n%s", out)
	}
}
