package oktaapi

import (
	"encoding/base64"
	"math/big"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/keys"
)

// withKeys gives the world's API the OIDC signing keys, over its store.
func (w *appWorld) withKeys() *keys.SigningKeys {
	w.t.Helper()
	k, err := keys.NewSigningKeys(clock.Bytes(clock.Random, 32), keys.SigningKeysConfig{Store: w.st, Clock: clock.Real{},
		Random: clock.Random, Use: directory.KeyUseOIDC, Overlap: 24 * time.Hour, Subject: "https://keyward.example"})
	if err != nil {
		w.t.Fatal(err)
	}
	w.a.cfg.AuthServerKeys = k
	return k
}

// keyStatuses maps each listed kid to its status.
func keyStatuses(t *testing.T, out any) map[string]string {
	t.Helper()
	list, ok := out.([]any)
	if !ok {
		t.Fatalf("not a list: %v", out)
	}
	got := map[string]string{}
	for _, k := range list {
		got[at(k, "kid").(string)] = at(k, "status").(string)
	}
	return got
}

func TestAnAuthorizationServerListsItsKeysAsOktaDoes(t *testing.T) {
	w := newAppWorld(t)
	k := w.withKeys()
	signer, err := k.Active(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	id := w.server()
	code, out := w.call(w.admin, "GET", "/api/v1/authorizationServers/"+id+"/credentials/keys", "")
	if code != 200 {
		t.Fatalf("list: %d %v", code, out)
	}
	pub := signer.Private.PublicKey
	enc := base64.RawURLEncoding.EncodeToString
	want := []any{map[string]any{"alg": "RS256", "kty": "RSA", "use": "sig", "status": "ACTIVE", "kid": signer.Key.ID,
		"n": enc(pub.N.Bytes()), "e": enc(big.NewInt(int64(pub.E)).Bytes()),
		"_links": map[string]any{"self": map[string]any{"href": "https://keyward.example/api/v1/authorizationServers/" + id + "/credentials/keys/" + signer.Key.ID}}}}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	if one := w.must(200, "GET", "/api/v1/authorizationServers/"+id+"/credentials/keys/"+signer.Key.ID, ""); one["kid"] != signer.Key.ID {
		t.Errorf("one key: %v", one)
	}
	code, out = w.call(w.admin, "GET", "/api/v1/authorizationServers/"+id+"/credentials/keys/kwkNoSuchKey", "")
	wantOktaError(t, code, out, 404, "E0000007", "")
	code, out = w.call(w.admin, "GET", "/api/v1/authorizationServers/ausNoSuchServer/credentials/keys", "")
	wantOktaError(t, code, out, 404, "E0000007", "")
}

func TestKeyRotateMakesANewKeySignAtOnceAndKeepsTheOldOnePublished(t *testing.T) {
	w := newAppWorld(t)
	k := w.withKeys()
	first, err := k.Active(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/authorizationServers/default/credentials/lifecycle/keyRotate"
	if _, err := w.st.CreateAuthServer(t.Context(), DefaultServer(clock.Random, time.Now())); err != nil {
		t.Fatal(err)
	}
	code, out := w.call(w.admin, "POST", path, `{"use":"sig"}`)
	if code != 200 {
		t.Fatalf("keyRotate: %d %v", code, out)
	}
	now, err := k.Active(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if now.Key.ID == first.Key.ID {
		t.Fatal("the same key signs after keyRotate")
	}
	if diff := cmp.Diff(map[string]string{first.Key.ID: "EXPIRED", now.Key.ID: "ACTIVE"}, keyStatuses(t, out)); diff != "" {
		t.Errorf("the answer's keys (-want +got):\n%s", diff)
	}
	next, err := k.Rotate(t.Context()) // `keyward admin oidc-keys rotate`: a scheduled key
	if err != nil {
		t.Fatal(err)
	}
	_, out = w.call(w.admin, "GET", "/api/v1/authorizationServers/default/credentials/keys", "")
	if diff := cmp.Diff(map[string]string{first.Key.ID: "EXPIRED", now.Key.ID: "ACTIVE", next.ID: "NEXT"}, keyStatuses(t, out)); diff != "" {
		t.Errorf("listed (-want +got):\n%s", diff)
	}

	reader := w.tokenFor(w.bob, directory.ReadOnlyAdmin)
	for _, tc := range []struct {
		name, token, path, body string
		status                  int
		code, cause             string
	}{
		{"an encryption key", w.admin, path, `{"use":"enc"}`, 400, "E0000001", "use: Must be sig"},
		{"no use", w.admin, path, `{}`, 400, "E0000001", "use"},
		{"no body", w.admin, path, ``, 400, "E0000003", ""},
		{"a body that is not JSON", w.admin, path, `{"use":`, 400, "E0000003", ""},
		{"an unknown server", w.admin, "/api/v1/authorizationServers/ausNoSuchServer/credentials/lifecycle/keyRotate", `{"use":"sig"}`, 404, "E0000007", ""},
		{"a read-only administrator", reader, path, `{"use":"sig"}`, 403, "E0000006", ""},
	} {
		t.Run(tc.name+" is refused and rotates nothing", func(t *testing.T) {
			code, out := w.call(tc.token, "POST", tc.path, tc.body)
			wantOktaError(t, code, out, tc.status, tc.code, tc.cause)
			if stored, err := w.st.SigningKeys(t.Context(), directory.KeyUseOIDC); err != nil || len(stored) != 3 {
				t.Errorf("%d keys stored after a refused rotation, want 3 (%v)", len(stored), err)
			}
		})
	}
	if code, out := w.call(reader, "GET", "/api/v1/authorizationServers/default/credentials/keys", ""); code != 200 || len(keyStatuses(t, out)) != 3 {
		t.Errorf("a read-only administrator lists: %d %v", code, out)
	}
}
