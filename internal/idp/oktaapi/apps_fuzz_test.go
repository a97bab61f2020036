package oktaapi

import (
	"bytes"
	"net/http/httptest"
	"testing"

	"github.com/keyward/keyward/internal/directory"
)

// FuzzDecodeAppBody runs Application bodies through decodeBody and the
// app checks: whatever the body, the answer is an app that passes the
// domain's checks or a 400.
func FuzzDecodeAppBody(f *testing.F) {
	for _, s := range []string{awsBody, customBody, `{}`, `[]`, ``, `{"label":"x","signOnMode":"SAML_2_0","settings":{"signOn":null}}`,
		`{"label":"x","signOnMode":"SAML_2_0","settings":{"app":{"a":1.5,"b":true,"c":null,"d":{}}}}`,
		`{"label":"x","signOnMode":"SAML_2_0","settings":{"signOn":{"ssoAcsUrl":"http://[::1]:80/a","audience":"urn:x","spCertificate":{"x5c":["MA=="]},"samlAssertionLifetimeSeconds":-5}}}`,
		`{"name":"keyward_saml_9","label":"\u0000","signOnMode":"SAML_2_0"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/api/v1/apps", bytes.NewReader(body))
		var b appBody
		err := decodeBody(r, &b, true)
		wantInvalid(t, "decode", err)
		if err != nil {
			return
		}
		app, err := b.app("")
		wantInvalid(t, "app", err)
		if err == nil && directory.ValidateSAML(app.SAML) != nil {
			t.Fatalf("accepted settings the domain refuses: %+v", app.SAML)
		}
	})
}
