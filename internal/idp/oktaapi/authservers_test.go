package oktaapi

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/keyward/keyward/internal/directory"
)

const serverBodyJSON = `{"name":"CI","description":"machines","audiences":["api://ci"]}`

// server creates an authorization server and returns its id.
func (w *appWorld) server() string {
	w.t.Helper()
	return w.must(201, "POST", "/api/v1/authorizationServers", serverBodyJSON)["id"].(string)
}

// stored reads a server straight from the store.
func (w *appWorld) stored(id string) directory.AuthServer {
	w.t.Helper()
	s, err := w.st.AuthServer(w.t.Context(), id)
	if err != nil {
		w.t.Fatal(err)
	}
	return s
}

func TestAnAuthorizationServerIsCreatedWithTheOpenIDScopesAndDeletedOnceInactive(t *testing.T) {
	w := newAppWorld(t)
	s := w.must(201, "POST", "/api/v1/authorizationServers", serverBodyJSON)
	id := s["id"].(string)
	want := map[string]any{"name": "CI", "description": "machines", "audiences": []any{"api://ci"}, "status": "ACTIVE",
		"issuer": "https://keyward.example/oauth2/" + id, "issuerMode": "ORG_URL",
		"_links.scopes.href": "https://keyward.example/api/v1/authorizationServers/" + id + "/scopes"}
	got := map[string]any{}
	for k := range want {
		got[k] = at(s, k)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("created (-want +got):\n%s", diff)
	}
	if read := w.must(200, "GET", "/api/v1/authorizationServers/"+id, ""); !cmp.Equal(s, read) {
		t.Errorf("read back differs:\n%s", cmp.Diff(s, read))
	}
	_, scopes := w.call(w.admin, "GET", "/api/v1/authorizationServers/"+id+"/scopes", "")
	var names []string
	for _, sc := range scopes.([]any) {
		if at(sc, "system") == true {
			names = append(names, at(sc, "name").(string))
		}
	}
	if diff := cmp.Diff([]string{"openid", "profile", "email", "address", "phone", "offline_access", "device_sso"}, names); diff != "" {
		t.Errorf("system scopes (-want +got):\n%s", diff)
	}
	for q, want := range map[string]int{"c": 1, "CI": 1, "x": 0} {
		if _, out := w.call(w.admin, "GET", "/api/v1/authorizationServers?q="+q, ""); len(out.([]any)) != want {
			t.Errorf("q=%s lists %v, want %d", q, out, want)
		}
	}
	code, out := w.call(w.admin, "GET", "/api/v1/authorizationServers?q=%FF", "")
	wantOktaError(t, code, out, 400, "E0000001", "")
	renamed := w.must(200, "PUT", "/api/v1/authorizationServers/"+id, strings.Replace(serverBodyJSON, `"CI"`, `"CI jobs"`, 1))
	if at(renamed, "name") != "CI jobs" {
		t.Errorf("replaced name = %v", at(renamed, "name"))
	}
	code, out = w.call(w.admin, "DELETE", "/api/v1/authorizationServers/"+id, "")
	wantOktaError(t, code, out, 400, "E0000001", "status: Deactivate the authorization server")
	w.must(204, "POST", "/api/v1/authorizationServers/"+id+"/lifecycle/deactivate", "")
	if w.stored(id).Status != directory.AppInactive {
		t.Error("deactivate left the server active")
	}
	w.must(204, "DELETE", "/api/v1/authorizationServers/"+id, "")
	code, out = w.call(w.admin, "GET", "/api/v1/authorizationServers/"+id, "")
	wantOktaError(t, code, out, 404, "E0000007", "")
	if at(out, "errorSummary") != "Not found: Resource not found: "+id+" (AuthorizationServer)" {
		t.Errorf("summary %v", at(out, "errorSummary"))
	}
}

func TestAServerGetsAScopeAClaimAndAPolicyRuleForClientCredentials(t *testing.T) {
	w := newAppWorld(t)
	ci := w.must(200, "POST", "/api/v1/apps", serviceBody(t, ecJWK(t)))["id"].(string)
	id := w.server()
	base := "/api/v1/authorizationServers/" + id
	scope := w.must(201, "POST", base+"/scopes", `{"name":"okta-m2m-access","description":"CI","consent":"IMPLICIT"}`)
	w.must(201, "POST", base+"/claims", `{"name":"team","claimType":"RESOURCE","valueType":"EXPRESSION","value":"\"ci\"",`+
		`"conditions":{"scopes":["okta-m2m-access"]}}`)
	policy := w.must(201, "POST", base+"/policies", `{"type":"OAUTH_AUTHORIZATION_POLICY","name":"CI","description":"CI jobs",`+
		`"conditions":{"clients":{"include":["`+ci+`"]}}}`)
	pid := policy["id"].(string)
	rule := w.must(201, "POST", base+"/policies/"+pid+"/rules", `{"type":"RESOURCE_ACCESS","name":"client credentials",`+
		`"conditions":{"people":{"groups":{"include":["EVERYONE"]}},"grantTypes":{"include":["client_credentials"]},`+
		`"scopes":{"include":["okta-m2m-access"]}},"actions":{"token":{"accessTokenLifetimeMinutes":30}}}`)
	rid := rule["id"].(string)
	if read := w.must(200, "GET", base+"/policies/"+pid+"/rules/"+rid, ""); !cmp.Equal(rule, read) {
		t.Errorf("rule read back differs:\n%s", cmp.Diff(rule, read))
	}

	s := w.stored(id)
	wantPolicy := directory.AuthPolicy{ID: pid, Name: "CI", Description: "CI jobs", Status: directory.AppActive, Priority: 1,
		Clients: []string{ci}, Rules: []directory.AuthRule{{ID: rid, Name: "client credentials", Status: directory.AppActive,
			Priority: 1, GrantTypes: []string{directory.GrantClientCredentials}, Scopes: []string{"okta-m2m-access"}, Everyone: true,
			AccessTokenLifetime: 30 * time.Minute, RefreshTokenWindow: 7 * 24 * time.Hour}}}
	if diff := cmp.Diff([]directory.AuthPolicy{wantPolicy}, s.Policies, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("stored policies (-want +got):\n%s", diff)
	}
	if c := s.Claims[0]; c.Name != "team" || c.Value != `"ci"` || !c.AlwaysIncludeInToken || c.Status != directory.AppActive {
		t.Errorf("stored claim %+v", c)
	}
	if got := at(scope, "metadataPublish"); got != "NO_CLIENTS" {
		t.Errorf("scope metadataPublish = %v", got)
	}

	for name, priority := range map[string]string{"Later": "5", "Early": "2"} {
		w.must(201, "POST", base+"/policies", `{"name":"`+name+`","description":"d","priority":`+priority+`,`+
			`"conditions":{"clients":{"include":["ALL_CLIENTS"]}}}`)
	}
	_, listed := w.call(w.admin, "GET", base+"/policies", "")
	var names []any
	for _, p := range listed.([]any) {
		names = append(names, at(p, "name"))
	}
	if want := []any{"CI", "Early", "Later"}; !cmp.Equal(names, want) {
		t.Errorf("policies listed %v, want %v (by priority)", names, want)
	}
	w.must(200, "PUT", base+"/scopes/"+scope["id"].(string), `{"name":"okta-m2m-access","description":"machines"}`)
	w.must(204, "POST", base+"/policies/"+pid+"/lifecycle/deactivate", "")
	w.must(204, "POST", base+"/policies/"+pid+"/rules/"+rid+"/lifecycle/deactivate", "")
	if got := w.stored(id).Policies[0].Rules[0].Status; got != directory.AppInactive {
		t.Errorf("rule status after deactivate = %s", got)
	}
	w.must(204, "DELETE", base+"/policies/"+pid+"/rules/"+rid, "")
	code, out := w.call(w.admin, "GET", base+"/policies/"+pid+"/rules/"+rid, "")
	wantOktaError(t, code, out, 404, "E0000007", "")
	if s := w.stored(id); s.Policies[0].Status != directory.AppInactive || len(s.Policies[0].Rules) != 0 {
		t.Errorf("policy after deactivate and rule delete: %+v", s.Policies[0])
	}
	var actions []string
	for _, e := range w.events(t) {
		if strings.HasPrefix(e, "oauth2.") {
			actions = append(actions, e)
		}
	}
	want := []string{"oauth2.as.created", "oauth2.scope.created", "oauth2.claim.created", "oauth2.policy.created",
		"oauth2.policy.rule.created", "oauth2.policy.created", "oauth2.policy.created", "oauth2.scope.updated", "oauth2.policy.deactivated", "oauth2.policy.rule.deactivated", "oauth2.policy.rule.deleted"}
	if diff := cmp.Diff(want, actions); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// events lists the log's actions, oldest first.
func (w *appWorld) events(t *testing.T) []string {
	t.Helper()
	r := w.get("/api/v1/logs?limit=1000&sortOrder=ASCENDING")
	var evs []struct {
		EventType string `json:"eventType"`
	}
	if err := json.Unmarshal(r.Body.Bytes(), &evs); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range evs {
		out = append(out, e.EventType)
	}
	return out
}

func TestAuthorizationServerBodiesOktaRefusesChangeNothing(t *testing.T) {
	w := newAppWorld(t)
	id := w.server()
	base := "/api/v1/authorizationServers/" + id
	pid := w.must(201, "POST", base+"/policies", `{"name":"P","description":"d","conditions":{"clients":{"include":["ALL_CLIENTS"]}}}`)["id"].(string)
	openid := ""
	for _, sc := range w.stored(id).Scopes {
		if sc.Name == "openid" {
			openid = sc.ID
		}
	}
	rule := func(conditions, actions string) string {
		return fmt.Sprintf(`{"name":"r","conditions":%s,"actions":{"token":%s}}`, conditions, actions)
	}
	okConditions := `{"people":{"groups":{"include":["EVERYONE"]}},"grantTypes":{"include":["client_credentials"]},"scopes":{"include":["*"]}}`
	cases := []struct{ name, method, path, body, cause string }{
		{"a server with two audiences", "POST", "/api/v1/authorizationServers", `{"name":"x","audiences":["a","b"]}`, "audiences"},
		{"a server without a name", "POST", "/api/v1/authorizationServers", `{"audiences":["a"]}`, "name"},
		{"a server taking a taken name", "POST", "/api/v1/authorizationServers", serverBodyJSON, "name"},
		{"a custom-URL issuer", "PUT", base, `{"name":"x","audiences":["a"],"issuerMode":"CUSTOM_URL"}`, "issuerMode"},
		{"a scope with a space", "POST", base + "/scopes", `{"name":"two words"}`, "name"},
		{"a scope Okta reserves", "POST", base + "/scopes", `{"name":"okta.users.read"}`, "name"},
		{"a scope taking openid's name", "POST", base + "/scopes", `{"name":"openid"}`, "name"},
		{"a change to a system scope", "PUT", base + "/scopes/" + openid, `{"name":"openid2"}`, "name"},
		{"a claim named sub", "POST", base + "/claims", `{"name":"sub","claimType":"RESOURCE","valueType":"EXPRESSION","value":"x"}`, "name"},
		{"a groups claim without a filter", "POST", base + "/claims", `{"name":"g","claimType":"IDENTITY","valueType":"GROUPS","value":"aws-"}`, "group_filter_type"},
		{"a claim for an unknown scope", "POST", base + "/claims", `{"name":"c","claimType":"RESOURCE","valueType":"EXPRESSION","value":"x","conditions":{"scopes":["nope"]}}`, "conditions.scopes"},
		{"a policy for a client that is no OIDC app", "POST", base + "/policies", `{"name":"Q","description":"d","conditions":{"clients":{"include":["0oaNoSuchApp"]}}}`, "conditions.clients.include"},
		{"a policy without a description", "POST", base + "/policies", `{"name":"Q","conditions":{"clients":{"include":["ALL_CLIENTS"]}}}`, "description"},
		{"a rule with an unknown grant", "POST", base + "/policies/" + pid + "/rules", rule(strings.Replace(okConditions, "client_credentials", "magic", 1), `{}`), "conditions.grantTypes.include"},
		{"a rule for an unknown scope", "POST", base + "/policies/" + pid + "/rules", rule(strings.Replace(okConditions, `"*"`, `"nope"`, 1), `{}`), "conditions.scopes.include"},
		{"a rule for an unknown group", "POST", base + "/policies/" + pid + "/rules", rule(strings.Replace(okConditions, "EVERYONE", "00gNoSuchGroup", 1), `{}`), "conditions.people.groups.include"},
		{"a rule for nobody", "POST", base + "/policies/" + pid + "/rules", rule(strings.Replace(okConditions, `"EVERYONE"`, "", 1), `{}`), "conditions.people"},
		{"a two-minute access token", "POST", base + "/policies/" + pid + "/rules", rule(okConditions, `{"accessTokenLifetimeMinutes":2}`), "actions.token.accessTokenLifetimeMinutes"},
	}
	before := w.stored(id)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out := w.call(w.admin, tc.method, tc.path, tc.body)
			wantOktaError(t, code, out, 400, "E0000001", tc.cause)
		})
	}
	if diff := cmp.Diff(before, w.stored(id)); diff != "" {
		t.Errorf("refused bodies changed the server (-before +after):\n%s", diff)
	}
	code, out := w.call(w.admin, "DELETE", base+"/scopes/"+openid, "")
	wantOktaError(t, code, out, 400, "E0000001", "name: A system scope (openid) cannot be deleted")
	for _, path := range []string{"/api/v1/authorizationServers/ausNoSuch", base + "/scopes/scpNoSuch", base + "/claims/oclNoSuch",
		base + "/policies/00pNoSuch", base + "/policies/00pNoSuch/rules/0prNoSuch", base + "/policies/" + pid + "/rules/0prNoSuch"} {
		code, out := w.call(w.admin, "GET", path, "")
		wantOktaError(t, code, out, 404, "E0000007", "")
	}
	code, out = w.call(w.tokenFor(w.bob, directory.ReadOnlyAdmin), "POST", base+"/scopes", `{"name":"x"}`)
	wantOktaError(t, code, out, 403, "E0000006", "")
	code, _ = w.call(w.tokenFor(w.user("reader@example.com"), directory.ReadOnlyAdmin), "GET", base+"/scopes", "")
	if code != 200 {
		t.Errorf("a read-only administrator reads scopes: %d", code)
	}
}
