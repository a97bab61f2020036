package oktaapi

import (
	"bytes"
	"net/http/httptest"
	"testing"

	"github.com/keyward/keyward/internal/directory"
)

// FuzzClientSecretBody runs client-secret bodies through decodeBody and
// the body's checks: whatever the body, the answer is a 400 or a secret of
// 14 to 100 printable characters (or none) with an ACTIVE or INACTIVE
// status.
func FuzzClientSecretBody(f *testing.F) {
	for _, s := range []string{``, `{}`, `{"status":"INACTIVE"}`, `{"client_secret":"my-own-secret-of-24-chars"}`,
		`{"client_secret":"short","status":"ACTIVE"}`, `{"client_secret":"0123456789abcdef\u0000"}`, `{"status":7}`,
		`{"client_secret":null,"status":"REVOKED"}`, `[]`, `{"client_secret":"` + "\xff" + `"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/api/v1/apps/0oaFuzz/credentials/secrets", bytes.NewReader(body))
		var b secretBody
		err := decodeBody(r, &b, false)
		wantInvalid(t, "decode", err)
		if err != nil {
			return
		}
		secret, status, err := b.secret()
		wantInvalid(t, "secret", err)
		if err != nil {
			return
		}
		if secret != "" && (len(secret) < minSecret || len(secret) > maxSecret || !printable(secret)) {
			t.Fatalf("accepted the secret %q", secret)
		}
		if status != directory.AppActive && status != directory.AppInactive {
			t.Fatalf("accepted the status %q", status)
		}
	})
}
