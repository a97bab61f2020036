package scimserver_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

func members(ids ...string) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = `{"value":"` + id + `"}`
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func (e *env) memberIDs(groupID string) []string {
	e.t.Helper()
	ms, _, err := e.db.ListMemberships(e.t.Context(), groupID, store.Page{Limit: 200})
	must(e.t, err)
	var out []string
	for _, m := range ms {
		out = append(out, m.UserID)
	}
	sortStrings(out)
	return out
}

func TestGroupsAreCreatedWithMembersButAlwaysShowNone(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.createUser("alice"), e.createUser("bob")
	res := e.do("POST", "/Groups", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Engineering",
		"externalId":"00g1","members":`+members(alice, bob)+`}`).want(t, http.StatusCreated)
	id := res.str("id")
	want := []string{alice, bob}
	sortStrings(want)
	diff(t, "members in the store", want, e.memberIDs(id))
	got := without(e.do("GET", "/Groups/"+id, "").want(t, http.StatusOK).body, "meta")
	diff(t, "GET", map[string]any{"id": id, "externalId": "00g1", "schemas": []any{"urn:ietf:params:scim:schemas:core:2.0:Group"},
		"displayName": "Engineering", "members": []any{}}, got)
	g, err := e.db.Group(t.Context(), id)
	must(t, err)
	diff(t, "external ids", []ic.ExternalID{{Issuer: e.issuer, ID: "00g1"}}, g.ExternalIDs)

	list := e.do("GET", "/Groups", "").want(t, http.StatusOK)
	diff(t, "listed members", []any{}, list.resources()[0]["members"])
	e.do("POST", "/Groups", `{"displayName":"engineering"}`).want(t, http.StatusConflict)
	e.do("POST", "/Groups", `{"displayName":"x","members":[{"value":"1234567890-00000000-0000-4000-8000-000000000000"}]}`).want(t, http.StatusBadRequest)
}

func TestGroupFilters(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.createUser("alice"), e.createUser("bob")
	eng := e.do("POST", "/Groups", `{"displayName":"Engineering","externalId":"00g1","members":`+members(alice)+`}`).want(t, 201).str("id")
	ops := e.do("POST", "/Groups", `{"displayName":"Ops","members":`+members(alice, bob)+`}`).want(t, 201).str("id")
	both := []string{eng, ops}
	sortStrings(both)
	tests := []struct {
		filter string
		want   []string
	}{
		{`displayName eq "engineering"`, []string{eng}},
		{`externalId eq "00g1"`, []string{eng}},
		{`members eq "` + alice + `"`, both},
		{`members eq "` + bob + `"`, []string{ops}},
		{`id eq "` + eng + `" and members eq "` + alice + `"`, []string{eng}},
		{`members eq "` + bob + `" and id eq "` + eng + `"`, nil},
		// AWS: "the use of id as an individual filter, while valid, should
		// be avoided" (ListGroups): valid, so answered.
		{`id eq "` + eng + `"`, []string{eng}},
		{`id eq "9067729b3d-00000000-0000-0000-0000-000000000000"`, nil},
		{`id eq "not an id"`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.filter, func(t *testing.T) {
			got := ids(e.do("GET", "/Groups?filter="+queryEscape(tc.filter), "").want(t, http.StatusOK))
			sortStrings(got)
			diff(t, "ids", tc.want, got)
		})
	}
	t.Run("groups.value lists a group's users", func(t *testing.T) {
		got := ids(e.do("GET", "/Users?filter="+queryEscape(`groups.value eq "`+ops+`"`), "").want(t, http.StatusOK))
		sortStrings(got)
		want := []string{alice, bob}
		sortStrings(want)
		diff(t, "ids", want, got)
	})
	t.Run("attributes and excludedAttributes are not honoured, nor refused", func(t *testing.T) {
		// Microsoft Entra ID, which AWS supports as a SCIM client, asks
		// this way; AWS answers the whole resources.
		res := e.do("GET", "/Groups?excludedAttributes=members&filter="+queryEscape(`displayName eq "Engineering"`), "").want(t, http.StatusOK)
		diff(t, "ids", []string{eng}, ids(res))
		res = e.do("GET", "/Groups?filter="+queryEscape(`id eq "`+ops+`" and members eq "`+bob+`"`)+"&attributes=id", "").want(t, http.StatusOK)
		diff(t, "ids", []string{ops}, ids(res))
		diff(t, "displayName", "Ops", res.resources()[0]["displayName"])
		res = e.do("GET", "/Users?attributes=userName&filter="+queryEscape(`userName eq "alice"`), "").want(t, http.StatusOK)
		diff(t, "ids", []string{alice}, ids(res))
		diff(t, "displayName", "alice", res.resources()[0]["displayName"])
	})
	e.do("GET", "/Groups?filter="+queryEscape(`displayName sw "E"`), "").want(t, http.StatusBadRequest)
	e.do("GET", "/Groups?filter="+queryEscape(`id eq "`+eng+`" and displayName eq "Engineering"`), "").want(t, http.StatusBadRequest)
}

func TestPatchGroup(t *testing.T) {
	e := newEnv(t)
	var users []string
	for i := range 101 {
		users = append(users, e.createUser(fmt.Sprintf("user%03d", i)))
	}
	id := e.createGroup("Engineering")
	first := users[:100]
	t.Run("100 members are added in one request", func(t *testing.T) {
		e.do("PATCH", "/Groups/"+id, patchBody(`{"op":"add","path":"members","value":`+members(first...)+`}`)).want(t, http.StatusNoContent)
		want := append([]string{}, first...)
		sortStrings(want)
		diff(t, "members", want, e.memberIDs(id))
	})
	refusals := []struct{ name, ops string }{
		{"101 membership changes", `{"op":"add","path":"members","value":` + members(users...) + `}`},
		{"replacing all members", `{"op":"replace","path":"members","value":` + members(users[100]) + `}`},
		{"removing all members", `{"op":"remove","path":"members"}`},
		{"removing displayName", `{"op":"remove","path":"displayName"}`},
		{"an attribute groups do not have", `{"op":"replace","path":"description","value":"x"}`},
		{"an unknown member", `{"op":"add","path":"members","value":[{"value":"1234567890-00000000-0000-4000-8000-000000000000"}]}`},
	}
	for _, tc := range refusals {
		t.Run(tc.name+" is refused and changes nothing", func(t *testing.T) {
			before := e.memberIDs(id)
			wantErrorShape(t, e.do("PATCH", "/Groups/"+id, patchBody(tc.ops)).want(t, http.StatusBadRequest))
			diff(t, "members", before, e.memberIDs(id))
		})
	}
	t.Run("a deleted user beside a live one is refused by id and neither is added", func(t *testing.T) {
		// What a SCIM client meets when it adds a user deleted at the
		// target since it last saw it (scimclient recovers from it).
		gone := e.createUser("gone")
		e.do("DELETE", "/Users/"+gone, "").want(t, http.StatusNoContent)
		before := e.memberIDs(id)
		res := e.do("PATCH", "/Groups/"+id, patchBody(`{"op":"add","path":"members","value":`+members(users[100], gone)+`}`)).
			want(t, http.StatusBadRequest)
		wantErrorShape(t, res)
		diff(t, "detail", `member "`+gone+`" is not a user`, res.str("detail"))
		diff(t, "members", before, e.memberIDs(id))
	})
	t.Run("a member is removed by value filter, another by value, and the group renamed", func(t *testing.T) {
		e.do("PATCH", "/Groups/"+id, patchBody(
			`{"op":"remove","path":"members[value eq \"`+users[0]+`\"]"},`+
				`{"op":"remove","path":"members","value":`+members(users[1])+`},`+
				`{"op":"replace","value":{"id":"`+id+`","displayName":"Platform"}}`)).want(t, http.StatusNoContent)
		want := append([]string{}, users[2:100]...)
		sortStrings(want)
		diff(t, "members", want, e.memberIDs(id))
		diff(t, "name", "Platform", e.do("GET", "/Groups/"+id, "").want(t, 200).str("displayName"))
	})
	t.Run("a rename onto a taken name is a conflict", func(t *testing.T) {
		e.createGroup("Taken")
		e.do("PATCH", "/Groups/"+id, patchBody(`{"op":"replace","path":"displayName","value":"taken"}`)).want(t, http.StatusConflict)
	})
	t.Run("PUT renames, DELETE removes", func(t *testing.T) {
		e.do("PUT", "/Groups/"+id, `{"displayName":"Renamed","externalId":"x1"}`).want(t, http.StatusOK)
		// AWS's own words, as a client meets them (mitodl/keycloak-scim#73).
		refused := e.do("PUT", "/Groups/"+id, `{"displayName":"Renamed","members":`+members(users[0])+`}`).want(t, http.StatusBadRequest)
		diff(t, "detail", "Replacing group memberships is not supported.", refused.str("detail"))
		e.do("DELETE", "/Groups/"+id, "").want(t, http.StatusNoContent)
		e.do("GET", "/Groups/"+id, "").want(t, http.StatusNotFound)
	})
}

func TestAuthentication(t *testing.T) {
	e := newEnv(t)
	tests := []struct{ name, token, tenant string }{
		{"no token", "", e.tenant},
		{"an unknown token", "not-a-token", e.tenant},
		{"the wrong tenant", e.token, "d-0000000000"},
	}
	for _, tc := range tests {
		t.Run(tc.name+" is 401", func(t *testing.T) {
			res := e.doAs(tc.token, tc.tenant, "GET", "/Users", "").want(t, http.StatusUnauthorized)
			wantErrorShape(t, res)
		})
	}
	t.Run("a Basic header is 401", func(t *testing.T) {
		req, _ := http.NewRequest("GET", e.srv.URL+"/"+e.tenant+"/scim/v2/Users", nil)
		req.Header.Set("Authorization", "Basic "+e.token)
		res, err := e.srv.Client().Do(req)
		must(t, err)
		res.Body.Close()
		diff(t, "status", 401, res.StatusCode)
	})
	t.Run("a use is recorded on the token", func(t *testing.T) {
		e.do("GET", "/ServiceProviderConfig", "").want(t, http.StatusOK)
		toks, err := e.db.SCIMTokens(t.Context())
		must(t, err)
		diff(t, "last used", e.clk.Now(), toks[0].LastUsed)
	})
	t.Run("an expired token is 401", func(t *testing.T) {
		e.clk.Advance(ic.SCIMTokenLifetime - time.Second)
		e.do("GET", "/Users", "").want(t, http.StatusOK)
		e.clk.Advance(time.Second)
		e.do("GET", "/Users", "").want(t, http.StatusUnauthorized)
	})
}

func TestRequestsAreBoundedAndTyped(t *testing.T) {
	e := newEnv(t)
	t.Run("a body over the limit is refused", func(t *testing.T) {
		big := `{"userName":"` + strings.Repeat("a", 300<<10) + `"}`
		wantErrorShape(t, e.do("POST", "/Users", big).want(t, http.StatusBadRequest))
	})
	t.Run("application/json is accepted, text/plain is not", func(t *testing.T) {
		for ct, status := range map[string]int{"application/json": 201, "text/plain": 400} {
			req, _ := http.NewRequest("POST", e.srv.URL+"/"+e.tenant+"/scim/v2/Users", strings.NewReader(userBody("ct-"+strings.ReplaceAll(ct, "/", "-"))))
			req.Header.Set("Authorization", "Bearer "+e.token)
			req.Header.Set("Content-Type", ct)
			res, err := e.srv.Client().Do(req)
			must(t, err)
			res.Body.Close()
			diff(t, ct, status, res.StatusCode)
		}
	})
}

func TestDiscovery(t *testing.T) {
	e := newEnv(t)
	spc := e.do("GET", "/ServiceProviderConfig", "").want(t, http.StatusOK)
	diff(t, "filter", map[string]any{"supported": true, "maxResults": float64(50)}, spc.body["filter"])
	diff(t, "bulk", map[string]any{"supported": false, "maxOperations": float64(0), "maxPayloadSize": float64(0)}, spc.body["bulk"])
	diff(t, "auth scheme", "oauthbearertoken", spc.body["authenticationSchemes"].([]any)[0].(map[string]any)["type"])
	diff(t, "schemas", float64(3), e.do("GET", "/Schemas", "").want(t, 200).body["totalResults"])
	diff(t, "enterprise schema", "EnterpriseUser",
		e.do("GET", "/Schemas/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "").want(t, 200).str("name"))
	diff(t, "resource types", float64(2), e.do("GET", "/ResourceTypes", "").want(t, 200).body["totalResults"])
	e.do("GET", "/Schemas/urn:nope", "").want(t, http.StatusNotFound)
}
