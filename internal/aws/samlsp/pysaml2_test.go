package samlsp_test

import (
	"bytes"
	"encoding/base64"
	"encoding/pem"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/aws/samlsp"
)

// needPySAML2 skips t without pysaml2 and xmlsec1, except in CI, where
// their absence is a failure (scripts/test installs them).
func needPySAML2(t *testing.T) {
	t.Helper()
	missing := exec.Command("/usr/bin/python3", "-c", "import saml2").Run() != nil
	if _, err := exec.LookPath("xmlsec1"); err != nil {
		missing = true
	}
	if !missing {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("pysaml2 (python3-pysaml2) and xmlsec1 are needed: apt-get install -y python3-pysaml2 xmlsec1")
	}
	t.Skip("pysaml2 or xmlsec1 is not installed (apt-get install -y python3-pysaml2 xmlsec1)")
}

// pysaml2Response has pysaml2, loading keyward's SP metadata, sign a
// Response for nameID with idp's key, and returns the ACS form.
func pysaml2Response(t *testing.T, f *fixture, idp *testIdP, nameID, inResponseTo string) url.Values {
	t.Helper()
	dir := t.TempDir()
	files := map[string][]byte{
		"sp.xml":   f.sp.Metadata(),
		"key.pem":  pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509MarshalKey(idp)}),
		"cert.pem": pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: idp.der}),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"testdata/pysaml2_idp.py", filepath.Join(dir, "sp.xml"), filepath.Join(dir, "key.pem"),
		filepath.Join(dir, "cert.pem"), idp.entityID, nameID}
	if inResponseTo != "" {
		args = append(args, inResponseTo)
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(t.Context(), "/usr/bin/python3", args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pysaml2: %v\n%s", err, stderr.String())
	}
	return url.Values{"SAMLResponse": {string(out)}}
}

func TestPySAML2AsAnIdentityProviderSignsPeopleIn(t *testing.T) {
	needPySAML2(t)
	f := newFixture(t)
	// pysaml2 stamps the response with the real time.
	now := time.Now().UTC()
	f.clk.Advance(now.Sub(f.clk.Now()))
	idp := newIdP(t, 1, "https://pysaml2.idp.test", now.Add(-time.Hour), now.Add(time.Hour))
	f.trust(t, idp)

	req, err := f.sp.AuthnRequest(f.ctx, "/start")
	if err != nil {
		t.Fatal(err)
	}
	post := pysaml2Response(t, f, idp, "Alice@Example.com", req.ID)
	post.Set("RelayState", "/start")
	got, err := f.sp.Consume(f.ctx, post)
	if err != nil {
		t.Fatalf("keyward refused pysaml2's response: %v", err)
	}
	if got.User.ID != f.alice.ID || !got.SPInitiated || got.AccessControl["Department"] != "Engineering" {
		t.Errorf("result %+v, want alice, SP-initiated, Department Engineering", got)
	}

	t.Run("a tampered copy is refused", func(t *testing.T) {
		post := pysaml2Response(t, f, idp, "mallory@example.com", "")
		doc, err := base64.StdEncoding.DecodeString(post.Get("SAMLResponse"))
		if err != nil {
			t.Fatal(err)
		}
		tampered := bytes.Replace(doc, []byte("mallory@example.com"), []byte("alice@example.com"), 1)
		if bytes.Equal(tampered, doc) {
			t.Fatal("the response does not name mallory")
		}
		_, err = f.sp.Consume(f.ctx, formOf(tampered, ""))
		refused(t, err, samlsp.ReasonSignature)
	})
}
