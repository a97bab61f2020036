package oktaapi

import (
	"bytes"
	"net/http/httptest"
	"testing"
)

// FuzzKeyRotateBody runs keyRotate bodies through decodeBody: whatever the
// body, it is refused with a 400 or decodes to a use, and only "sig"
// passes the check the handler makes.
func FuzzKeyRotateBody(f *testing.F) {
	for _, s := range []string{`{"use":"sig"}`, `{"use":"enc"}`, `{}`, ``, `{"use":null}`, `{"use":["sig"]}`, `{"use":"sig"}{}`,
		`{"use":"si` + "\xff" + `g"}`, `[{"use":"sig"}]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/api/v1/authorizationServers/default/credentials/lifecycle/keyRotate", bytes.NewReader(body))
		var b rotateBody
		err := decodeBody(r, &b, true)
		wantInvalid(t, "decode", err)
		if err == nil && b.Use == "sig" && !bytes.Contains(body, []byte("sig")) && !bytes.Contains(body, []byte(`\u`)) {
			t.Fatalf("%q decoded to use sig", body)
		}
	})
}
