package oktaapi

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
)

// secretIDs lists the ids of a secrets answer, in order.
func secretIDs(t *testing.T, out any) []string {
	t.Helper()
	list, ok := out.([]any)
	if !ok {
		t.Fatalf("not a list: %v", out)
	}
	var ids []string
	for _, s := range list {
		ids = append(ids, at(s, "id").(string))
		if at(s, "client_secret") != nil {
			t.Errorf("a listed secret shows its value: %v", s)
		}
	}
	return ids
}

func TestAClientRotatesItsSecretThroughTwoSecrets(t *testing.T) {
	w := newAppWorld(t)
	id := w.must(200, "POST", "/api/v1/apps", webBody)["id"].(string)
	base := "/api/v1/apps/" + id + "/credentials/secrets"
	code, out := w.call(w.admin, "GET", base, "")
	first := secretIDs(t, out)
	if code != 200 || len(first) != 1 {
		t.Fatalf("GET secrets: %d %v", code, out)
	}
	old := first[0]

	created := w.must(201, "POST", base, "")
	next, value := created["id"].(string), created["client_secret"].(string)
	want := map[string]any{"status": "ACTIVE", "_links.deactivate.href": "https://keyward.example" + base + "/" + next + "/lifecycle/deactivate",
		"_links.delete": nil, "_links.activate": nil}
	for k, v := range want {
		if diff := cmp.Diff(v, at(created, k)); diff != "" {
			t.Errorf("created %s (-want +got):\n%s", k, diff)
		}
	}
	if len(value) != 40 || len(created["secret_hash"].(string)) != 22 || !directory.ValidID(next) || !strings.HasPrefix(next, "ocs") {
		t.Errorf("created: %v", created)
	}
	if got := w.hashes(id); len(got) != 2 || got[1] != keys.HashSecret(value)+" ACTIVE" {
		t.Errorf("stored %v", got)
	}
	if read := w.must(200, "GET", base+"/"+next, ""); read["client_secret"] != nil || read["secret_hash"] != created["secret_hash"] {
		t.Errorf("read back: %v (created %v)", read, created)
	}
	_, out = w.call(w.admin, "GET", base, "")
	if ids := secretIDs(t, out); !cmp.Equal(ids, []string{old, next}) {
		t.Errorf("listed %v, want oldest first %v", ids, []string{old, next})
	}

	code, out = w.call(w.admin, "POST", base, "")
	wantOktaError(t, code, out, 400, "E0000001", "client_secret: A client can have at most two secrets")
	code, out = w.call(w.admin, "DELETE", base+"/"+old, "")
	wantOktaError(t, code, out, 400, "E0000001", "status: secret "+old+" is active")

	deactivated := w.must(200, "POST", base+"/"+old+"/lifecycle/deactivate", "")
	if deactivated["status"] != "INACTIVE" || at(deactivated, "_links.activate.href") == nil || at(deactivated, "_links.delete.method") != "DELETE" {
		t.Errorf("deactivated: %v", deactivated)
	}
	code, out = w.call(w.admin, "POST", base+"/"+next+"/lifecycle/deactivate", "")
	wantOktaError(t, code, out, 400, "E0000001", "status: secret "+next+" is the client's only active secret")
	w.must(200, "POST", base+"/"+old+"/lifecycle/activate", "")
	w.must(200, "POST", base+"/"+old+"/lifecycle/deactivate", "")
	if code, _ := w.call(w.admin, "DELETE", base+"/"+old, ""); code != 204 {
		t.Fatalf("DELETE the inactive secret: %d", code)
	}
	code, out = w.call(w.admin, "GET", base+"/"+old, "")
	wantOktaError(t, code, out, 404, "E0000007", "")
	if got := w.hashes(id); !cmp.Equal(got, []string{keys.HashSecret(value) + " ACTIVE"}) {
		t.Errorf("left %v", got)
	}

	actions := w.actions(id)
	wantActions := []string{"app.oauth2.credentials.lifecycle.create", "app.oauth2.credentials.lifecycle.deactivate",
		"app.oauth2.credentials.lifecycle.activate", "app.oauth2.credentials.lifecycle.deactivate", "app.oauth2.credentials.lifecycle.delete"}
	if diff := cmp.Diff(wantActions, actions); diff != "" {
		t.Errorf("the app's credential events (-want +got):\n%s", diff)
	}
}

// actions lists the credential events about the app, oldest first.
func (w *appWorld) actions(appID string) []string {
	w.t.Helper()
	evs, _, err := w.st.ListEvents(w.t.Context(), store.Page{Limit: 100})
	if err != nil {
		w.t.Fatal(err)
	}
	var out []string
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].TargetID == appID && strings.HasPrefix(evs[i].Action, "app.oauth2.credentials.") {
			out = append(out, evs[i].Action)
		}
	}
	return out
}

func TestAnAdministratorMayBringTheirOwnSecret(t *testing.T) {
	w := newAppWorld(t)
	id := w.must(200, "POST", "/api/v1/apps", webBody)["id"].(string)
	base := "/api/v1/apps/" + id + "/credentials/secrets"
	own := "my-own-secret-of-24-chars"
	created := w.must(201, "POST", base, `{"client_secret":"`+own+`","status":"INACTIVE"}`)
	if created["client_secret"] != own || created["status"] != "INACTIVE" {
		t.Errorf("created: %v", created)
	}
	if got := w.hashes(id); len(got) != 2 || got[1] != keys.HashSecret(own)+" INACTIVE" {
		t.Errorf("stored %v", got)
	}
}

func TestSecretRequestsOktaRefusesChangeNothing(t *testing.T) {
	w := newAppWorld(t)
	web := w.must(200, "POST", "/api/v1/apps", webBody)["id"].(string)
	other := w.must(200, "POST", "/api/v1/apps", webBody)["id"].(string)
	theirs := w.secrets(other)[0].ID
	native := w.must(200, "POST", "/api/v1/apps", nativeBody)["id"].(string)
	saml := w.must(200, "POST", "/api/v1/apps", awsBody)["id"].(string)
	reader := w.tokenFor(w.bob, directory.ReadOnlyAdmin)
	base := "/api/v1/apps/" + web + "/credentials/secrets"
	before := w.snapshot()
	cases := []struct {
		name, token, method, path, body string
		status                          int
		code, cause                     string
	}{
		{"a short secret", w.admin, "POST", base, `{"client_secret":"too-short"}`, 400, "E0000001", "client_secret: Must be 14"},
		{"a secret with a control character", w.admin, "POST", base, `{"client_secret":"0123456789abcdef\u0007"}`, 400, "E0000001", "client_secret"},
		{"a secret of 101 characters", w.admin, "POST", base, `{"client_secret":"` + strings.Repeat("s", 101) + `"}`, 400, "E0000001", "client_secret"},
		{"an unknown status", w.admin, "POST", base, `{"status":"REVOKED"}`, 400, "E0000001", "status: Must be ACTIVE or INACTIVE"},
		{"a body that is not JSON", w.admin, "POST", base, `{"client_secret":`, 400, "E0000003", ""},
		{"a public client", w.admin, "POST", "/api/v1/apps/" + native + "/credentials/secrets", "", 400, "E0000001", "credentials.oauthClient.token_endpoint_auth_method"},
		{"a SAML app", w.admin, "GET", "/api/v1/apps/" + saml + "/credentials/secrets", "", 400, "E0000001", "credentials.oauthClient.token_endpoint_auth_method"},
		{"another client's secret", w.admin, "GET", base + "/" + theirs, "", 404, "E0000007", ""},
		{"another client's secret, deactivated", w.admin, "POST", base + "/" + theirs + "/lifecycle/deactivate", "", 404, "E0000007", ""},
		{"another client's secret, deleted", w.admin, "DELETE", base + "/" + theirs, "", 404, "E0000007", ""},
		{"a read-only administrator creating one", reader, "POST", base, "", 403, "E0000006", ""},
		{"a read-only administrator deactivating one", reader, "POST", base + "/" + w.secrets(web)[0].ID + "/lifecycle/deactivate", "", 403, "E0000006", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out := w.call(tc.token, tc.method, tc.path, tc.body)
			wantOktaError(t, code, out, tc.status, tc.code, tc.cause)
		})
	}
	if after := w.snapshot(); after != before {
		t.Errorf("refused requests changed the store:\nbefore %s\nafter  %s", before, after)
	}
	if code, out := w.call(reader, "GET", base, ""); code != 200 || len(secretIDs(t, out)) != 1 {
		t.Errorf("a read-only administrator lists: %d %v", code, out)
	}
}

func TestAClientThatStopsUsingASecretLosesItsSecrets(t *testing.T) {
	w := newAppWorld(t)
	id := w.must(200, "POST", "/api/v1/apps", webBody)["id"].(string)
	w.must(201, "POST", "/api/v1/apps/"+id+"/credentials/secrets", "")
	keyed := strings.Replace(webBody, `"settings"`, `"credentials":{"oauthClient":{"token_endpoint_auth_method":"private_key_jwt"}},"settings"`, 1)
	keyed = strings.Replace(keyed, `"grant_types"`, `"jwks":{"keys":[`+jsonOf(t, ecJWK(t))+`]},"grant_types"`, 1)
	w.must(200, "PUT", "/api/v1/apps/"+id, keyed)
	if got := w.hashes(id); len(got) != 0 {
		t.Errorf("a private_key_jwt client kept secrets %v", got)
	}
	back := w.must(200, "PUT", "/api/v1/apps/"+id, webBody)
	secret, _ := at(back, "credentials.oauthClient.client_secret").(string)
	if got := w.hashes(id); len(secret) != 40 || !cmp.Equal(got, []string{keys.HashSecret(secret) + " ACTIVE"}) {
		t.Errorf("back to client_secret_basic: shown %q, stored %v", secret, got)
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
