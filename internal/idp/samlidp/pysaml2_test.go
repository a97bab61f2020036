package samlidp_test

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/directory"
)

const python = "/usr/bin/python3" // Debian's, where python3-pysaml2 installs

// needPySAML2 skips without pysaml2 and xmlsec1, except in CI (CI=true),
// where their absence fails: the test command installs them there.
func needPySAML2(t *testing.T) {
	t.Helper()
	err := exec.Command(python, "-c", "import saml2").Run()
	if err == nil {
		_, err = exec.LookPath("xmlsec1")
	}
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("pysaml2 or xmlsec1 is missing (apt-get install python3-pysaml2 xmlsec1): %v", err)
	}
	t.Skipf("pysaml2 or xmlsec1 is missing (apt-get install python3-pysaml2 xmlsec1): %v", err)
}

// pysaml2Reads runs testdata/pysaml2_sp.py on the IdP's metadata for app
// and a posted response, and returns what pysaml2 read.
func pysaml2Reads(t *testing.T, f *fixture, app directory.App, p posted, inResponseTo string) map[string]any {
	t.Helper()
	dir := t.TempDir()
	meta := f.do("GET", "/api/v1/apps/"+app.ID+"/sso/saml/metadata", nil).Body.Bytes()
	must(t, os.WriteFile(filepath.Join(dir, "idp.xml"), meta, 0o600))
	must(t, os.WriteFile(filepath.Join(dir, "response.b64"), []byte(p.SAMLResponse), 0o600))
	args := []string{"testdata/pysaml2_sp.py", filepath.Join(dir, "idp.xml"), filepath.Join(dir, "response.b64"),
		app.SAML.Audience, app.SAML.ACSURL}
	if inResponseTo != "" {
		args = append(args, inResponseTo)
	}
	out, err := exec.Command(python, args...).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("pysaml2 refused the response: %v\n%s\nresponse:\n%s", err, ee.Stderr, decode(t, p.SAMLResponse))
		}
		t.Fatal(err)
	}
	var got map[string]any
	must(t, json.Unmarshal(out, &got))
	return got
}

func TestPySAML2AcceptsResponses(t *testing.T) {
	needPySAML2(t)
	// pysaml2 checks times against the real clock.
	f := newFixtureAt(t, time.Now().UTC())
	cookie := f.session(t, f.alice)
	want := func(nameID, format string) map[string]any {
		return map[string]any{"name_id": nameID, "name_id_format": format, "issuer": orgURL + "/app/" + f.app.ID,
			"attributes": map[string]any{"department": []any{"Research"}, "displayName": []any{"Alice Liddell"},
				"groups": []any{"AWS-Admins"}}}
	}
	read := func(got map[string]any) map[string]any { delete(got, "session_index"); return got }

	t.Run("an IdP-initiated response, response and assertion signed", func(t *testing.T) {
		p := postedForm(t, f.do("GET", ssoPath(f.app), nil, cookie))
		got := read(pysaml2Reads(t, f, f.app, p, ""))
		if diff := cmp.Diff(want("alice.liddell@example.com", directory.NameIDEmail), got); diff != "" {
			t.Errorf("pysaml2 read (-want +got):\n%s", diff)
		}
	})
	t.Run("an SP-initiated response in answer to its request, assertion signed only", func(t *testing.T) {
		f.app = f.addApp(func(a *directory.App) {
			a.ID, a.SAML.ResponseSigned = f.app.ID, false
		})
		query := "?" + redirectQuery(t, authnRequest(f.app, "_pysaml2req", ""), "", nil, "", 0)
		p := postedForm(t, f.do("GET", ssoPath(f.app)+query, nil, cookie))
		got := read(pysaml2Reads(t, f, f.app, p, "_pysaml2req"))
		if diff := cmp.Diff(want("alice.liddell@example.com", directory.NameIDEmail), got); diff != "" {
			t.Errorf("pysaml2 read (-want +got):\n%s", diff)
		}
	})
	t.Run("a persistent NameID", func(t *testing.T) {
		f.app = f.addApp(func(a *directory.App) { a.ID, a.SAML.NameIDFormat = f.app.ID, directory.NameIDPersistent })
		p := postedForm(t, f.do("GET", ssoPath(f.app), nil, cookie))
		got := read(pysaml2Reads(t, f, f.app, p, ""))
		if got["name_id_format"] != directory.NameIDPersistent || got["name_id"] == "" {
			t.Errorf("pysaml2 read %v", got)
		}
	})
	t.Run("a response whose assertion was tampered with is refused", func(t *testing.T) {
		p := postedForm(t, f.do("GET", ssoPath(f.app), nil, cookie))
		doc := decode(t, p.SAMLResponse)
		tampered := []byte(string(doc))
		for i := range len(tampered) - len("Research") {
			if string(tampered[i:i+len("Research")]) == "Research" {
				copy(tampered[i:], "Sabotage")
			}
		}
		p.SAMLResponse = b64(string(tampered))
		cmd := exec.Command(python, "testdata/pysaml2_sp.py", writeTemp(t, "idp.xml",
			f.do("GET", "/api/v1/apps/"+f.app.ID+"/sso/saml/metadata", nil).Body.Bytes()),
			writeTemp(t, "r.b64", []byte(p.SAMLResponse)), f.app.SAML.Audience, f.app.SAML.ACSURL)
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), "Signature") {
			t.Errorf("pysaml2 did not refuse the tampered response for its signature: %v\n%s", err, out)
		}
	})
}

func writeTemp(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	must(t, os.WriteFile(p, b, 0o600))
	return p
}
