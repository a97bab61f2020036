package oktaapi

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// scopes lists an app's users as "login scope", from the API.
func (w *appWorld) scopes(appID string) []string {
	w.t.Helper()
	code, out := w.call(w.admin, "GET", "/api/v1/apps/"+appID+"/users", "")
	if code != 200 {
		w.t.Fatalf("list app users: %d %v", code, out)
	}
	var got []string
	for _, u := range out.([]any) {
		got = append(got, at(u, "credentials.userName").(string)+" "+at(u, "scope").(string))
	}
	return got
}

func TestPeopleAreAssignedDirectlyOrThroughGroups(t *testing.T) {
	w := newAppWorld(t)
	eng := w.group("Engineering")
	alice := w.user("alice@example.com", eng.ID)
	app := w.must(200, "POST", "/api/v1/apps", awsBody)["id"].(string)
	base := "/api/v1/apps/" + app

	au := w.must(200, "POST", base+"/users", `{"id":"`+w.bob.ID+`","scope":"USER","credentials":{"userName":"bob@example.com"}}`)
	if au["id"] != w.bob.ID || au["scope"] != "USER" || at(au, "_links.user.href") != "https://keyward.example/api/v1/users/"+w.bob.ID {
		t.Errorf("AppUser = %v", au)
	}
	g := w.must(200, "PUT", base+"/groups/"+eng.ID, `{"priority":2}`)
	if g["id"] != eng.ID || g["priority"] != 2.0 {
		t.Errorf("ApplicationGroupAssignment = %v", g)
	}
	w.must(200, "PUT", base+"/groups/"+eng.ID, "")
	want := []string{"alice@example.com GROUP", "bob@example.com USER"}
	if alice.ID > w.bob.ID {
		want[0], want[1] = want[1], want[0]
	}
	if diff := cmp.Diff(want, w.scopes(app)); diff != "" {
		t.Errorf("app users (-want +got):\n%s", diff)
	}
	if got := w.must(200, "GET", base+"/users/"+alice.ID, ""); got["scope"] != "GROUP" {
		t.Errorf("alice's assignment = %v", got)
	}
	code, out := w.call(w.admin, "DELETE", base+"/users/"+alice.ID, "")
	wantOktaError(t, code, out, 400, "E0000001", "id: The user is assigned through a group")
	w.must(204, "DELETE", base+"/groups/"+eng.ID, "")
	code, out = w.call(w.admin, "GET", base+"/users/"+alice.ID, "")
	wantOktaError(t, code, out, 404, "E0000007", "")
	code, out = w.call(w.admin, "GET", base+"/groups/"+eng.ID, "")
	wantOktaError(t, code, out, 404, "E0000007", "")
	w.must(204, "DELETE", base+"/users/"+w.bob.ID, "")
	if got := w.scopes(app); len(got) != 0 {
		t.Errorf("app users after unassigning = %v", got)
	}
	code, out = w.call(w.admin, "POST", base+"/users", `{"id":"`+alice.ID+`","profile":{"role":"admin"}}`)
	wantOktaError(t, code, out, 400, "E0000001", "profile:")
	code, out = w.call(w.admin, "POST", base+"/users", `{"scope":"USER"}`)
	wantOktaError(t, code, out, 400, "E0000001", "id:")
	code, out = w.call(w.admin, "PUT", base+"/groups/"+eng.ID, `{"priority":-1}`)
	wantOktaError(t, code, out, 400, "E0000001", "priority:")
}

func TestAppLifecycleAndDeletion(t *testing.T) {
	w := newAppWorld(t)
	id := w.must(200, "POST", "/api/v1/apps", customBody)["id"].(string)
	base := "/api/v1/apps/" + id
	code, out := w.call(w.admin, "DELETE", base, "")
	wantOktaError(t, code, out, 400, "E0000001", "status: Deactivate the app")
	if got := w.must(200, "POST", base+"/lifecycle/deactivate", ""); len(got) != 0 {
		t.Errorf("deactivate answered %v, want {}", got)
	}
	w.must(200, "POST", base+"/lifecycle/deactivate", "")
	if got := w.must(200, "GET", base, ""); got["status"] != "INACTIVE" {
		t.Errorf("status = %v", got["status"])
	}
	replaced := w.must(200, "PUT", base, strings.Replace(customBody, `"Wiki"`, `"Team wiki"`, 1))
	if replaced["label"] != "Team wiki" || replaced["status"] != "INACTIVE" || replaced["name"] != "keyward_saml_1" {
		t.Errorf("replaced = %v %v %v", replaced["label"], replaced["status"], replaced["name"])
	}
	code, out = w.call(w.admin, "PUT", base, strings.Replace(customBody, `{"label"`, `{"name":"amazon_aws_sso","label"`, 1))
	wantOktaError(t, code, out, 400, "E0000001", "name: An app's name cannot change")
	w.must(204, "DELETE", base, "")
	code, out = w.call(w.admin, "GET", base, "")
	wantOktaError(t, code, out, 404, "E0000007", "")

	var actions, names []string
	events, _, err := w.st.ListEvents(t.Context(), store.Page{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	for i := len(events) - 1; i >= 0; i-- {
		if e := events[i]; strings.HasPrefix(e.Action, "application.") {
			actions, names = append(actions, e.Action), append(names, e.TargetName)
		}
	}
	wantActions := []string{"application.lifecycle.create", "application.lifecycle.deactivate", "application.lifecycle.update", "application.lifecycle.delete"}
	if diff := cmp.Diff(wantActions, actions); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Wiki", "Wiki", "Team wiki", "Team wiki"}, names); diff != "" {
		t.Errorf("event targets (-want +got):\n%s", diff)
	}
}

func TestAppsAreListedByQueryFilterAndPage(t *testing.T) {
	w := newAppWorld(t)
	w.must(200, "POST", "/api/v1/apps", awsBody)
	w.must(200, "POST", "/api/v1/apps?activate=false", customBody)
	w.must(200, "POST", "/api/v1/apps", strings.Replace(customBody, `"Wiki"`, `"Payroll"`, 1))
	labels := func(path string) []string {
		code, out := w.call(w.admin, "GET", path, "")
		if code != 200 {
			t.Fatalf("%s: %d %v", path, code, out)
		}
		var got []string
		for _, a := range out.([]any) {
			got = append(got, at(a, "label").(string))
		}
		return got
	}
	for _, c := range []struct {
		path string
		want []string
	}{
		{"/api/v1/apps?q=wi", []string{"Wiki"}},
		{"/api/v1/apps?q=amazon", []string{"AWS IAM Identity Center"}},
		{`/api/v1/apps?filter=status+eq+"INACTIVE"`, []string{"Wiki"}},
		{`/api/v1/apps?filter=name+eq+"amazon_aws_sso"`, []string{"AWS IAM Identity Center"}},
	} {
		if diff := cmp.Diff(c.want, labels(c.path)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.path, diff)
		}
	}
	for _, path := range []string{"/api/v1/apps", "/api/v1/apps?limit=-1"} {
		if n := len(labels(path)); n != 3 {
			t.Errorf("%s: %d apps, want 3", path, n)
		}
	}
	r := w.get("/api/v1/apps?limit=2")
	if !strings.Contains(strings.Join(r.Header().Values("Link"), " "), `rel="next"`) {
		t.Errorf("a first page of 2 of 3 has no next link: %v", r.Header().Values("Link"))
	}
	code, out := w.call(w.admin, "GET", `/api/v1/apps?filter=label+sw+"W"`, "")
	wantOktaError(t, code, out, 400, "E0000001", "filter:")
}

func TestWhoMayManageAndReadApps(t *testing.T) {
	w := newAppWorld(t)
	appAdmin := w.tokenFor(w.user("apps@example.com"), directory.AppAdmin)
	readOnly := w.tokenFor(w.user("ro@example.com"), directory.ReadOnlyAdmin)
	groupAdmin := w.tokenFor(w.user("ga@example.com"), directory.UserAdmin)
	plain := w.tokenFor(w.bob, "")
	code, out := w.call(appAdmin, "POST", "/api/v1/apps", awsBody)
	if code != 200 {
		t.Fatalf("an application administrator creating an app: %d %v", code, out)
	}
	id := at(out, "id").(string)
	for _, c := range []struct {
		name, token, method, path, body string
		want                            int
	}{
		{"an application administrator assigns a person", appAdmin, "POST", "/api/v1/apps/" + id + "/users", `{"id":"` + w.bob.ID + `"}`, 200},
		{"a read-only administrator reads an app", readOnly, "GET", "/api/v1/apps/" + id, "", 200},
		{"a read-only administrator may not create an app", readOnly, "POST", "/api/v1/apps", awsBody, 403},
		{"a group administrator may not deactivate an app", groupAdmin, "POST", "/api/v1/apps/" + id + "/lifecycle/deactivate", "", 403},
		{"a group administrator may not assign a person", groupAdmin, "POST", "/api/v1/apps/" + id + "/users", `{"id":"` + w.bob.ID + `"}`, 403},
		{"a user with no role may not list apps", plain, "GET", "/api/v1/apps", "", 403},
		{"a user with no role reads their own app links", plain, "GET", "/api/v1/users/me/appLinks", "", 200},
		{"a user with no role may not read another's app links", plain, "GET", "/api/v1/users/" + w.must(200, "GET", "/api/v1/users/me", "")["id"].(string) + "/appLinks", "", 403},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out := w.call(c.token, c.method, c.path, c.body)
			if code != c.want {
				t.Fatalf("%d %v, want %d", code, out, c.want)
			}
			if c.want == 403 {
				wantOktaError(t, code, out, 403, "E0000006", "")
			}
		})
	}
}

func TestAppLinksListTheUsersActiveAppsWithTheirSignInURL(t *testing.T) {
	w := newAppWorld(t)
	eng := w.group("Engineering")
	alice := w.user("alice@example.com", eng.ID)
	aws := w.must(200, "POST", "/api/v1/apps", awsBody)["id"].(string)
	wiki := w.must(200, "POST", "/api/v1/apps", customBody)["id"].(string)
	off := w.must(200, "POST", "/api/v1/apps?activate=false", strings.Replace(customBody, `"Wiki"`, `"Old"`, 1))["id"].(string)
	w.must(200, "PUT", "/api/v1/apps/"+aws+"/groups/"+eng.ID, "{}")
	w.must(200, "POST", "/api/v1/apps/"+wiki+"/users", `{"id":"`+alice.ID+`"}`)
	w.must(200, "POST", "/api/v1/apps/"+off+"/users", `{"id":"`+alice.ID+`"}`)
	code, out := w.call(w.tokenFor(alice, ""), "GET", "/api/v1/users/me/appLinks", "")
	if code != 200 {
		t.Fatalf("appLinks: %d %v", code, out)
	}
	var got []map[string]any
	for _, l := range out.([]any) {
		m := l.(map[string]any)
		got = append(got, map[string]any{"label": m["label"], "linkUrl": m["linkUrl"], "appName": m["appName"],
			"appInstanceId": m["appInstanceId"], "sortOrder": m["sortOrder"]})
	}
	want := []map[string]any{
		{"label": "AWS IAM Identity Center", "linkUrl": "https://keyward.example/app/amazon_aws_sso/" + aws + "/sso/saml",
			"appName": "amazon_aws_sso", "appInstanceId": aws, "sortOrder": 0.0},
		{"label": "Wiki", "linkUrl": "https://keyward.example/app/keyward_saml_1/" + wiki + "/sso/saml",
			"appName": "keyward_saml_1", "appInstanceId": wiki, "sortOrder": 1.0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("appLinks (-want +got):\n%s", diff)
	}
	if _, out := w.call(w.admin, "GET", "/api/v1/users/"+w.bob.ID+"/appLinks", ""); len(out.([]any)) != 0 {
		t.Errorf("bob's appLinks = %v, want []", out)
	}
}

// Okta removes a deactivated person's app assignments: activating them
// again does not give back the apps they were assigned one by one (those
// through a group come back with the membership, which deactivation keeps).
func TestDeactivatingAPersonRemovesTheirDirectAppAssignments(t *testing.T) {
	w := newAppWorld(t)
	eng := w.group("Engineering")
	carol := w.user("carol@example.com", eng.ID)
	direct := w.must(200, "POST", "/api/v1/apps", awsBody)["id"].(string)
	viaGroup := w.must(200, "POST", "/api/v1/apps", customBody)["id"].(string)
	w.must(200, "POST", "/api/v1/apps/"+direct+"/users", `{"id":"`+carol.ID+`"}`)
	w.must(200, "POST", "/api/v1/apps/"+direct+"/users", `{"id":"`+w.bob.ID+`"}`)
	w.must(200, "PUT", "/api/v1/apps/"+viaGroup+"/groups/"+eng.ID, `{}`)

	w.must(204, "DELETE", "/api/v1/users/"+carol.ID, "")
	code, out := w.call(w.admin, "GET", "/api/v1/apps/"+direct+"/users/"+carol.ID, "")
	wantOktaError(t, code, out, 404, "E0000007", "")
	if got := w.scopes(direct); !cmp.Equal(got, []string{"bob@example.com USER"}) {
		t.Errorf("app users after carol's deactivation = %v, want bob only", got)
	}
	w.must(200, "POST", "/api/v1/users/"+carol.ID+"/lifecycle/activate?sendEmail=false", "")
	code, out = w.call(w.admin, "GET", "/api/v1/apps/"+direct+"/users/"+carol.ID, "")
	wantOktaError(t, code, out, 404, "E0000007", "")
	if got := w.must(200, "GET", "/api/v1/apps/"+viaGroup+"/users/"+carol.ID, ""); got["scope"] != "GROUP" {
		t.Errorf("carol's assignment through Engineering = %v, want it kept", got)
	}
}

// Okta pages a q or filter search of apps like the plain list: limit,
// after and a Link rel="next" until the matches run out.
func TestAppSearchesPageWithAfterAndNextLinks(t *testing.T) {
	w := newAppWorld(t)
	w.must(200, "POST", "/api/v1/apps", awsBody)
	for _, l := range []string{"Wiki 1", "Wiki 2", "Wiki 3", "Wiki 4", "Wiki 5"} {
		w.must(200, "POST", "/api/v1/apps", strings.Replace(customBody, `"Wiki"`, `"`+l+`"`, 1))
	}
	walk := func(path string) (labels []string, pages []int) {
		for path != "" && len(pages) < 10 {
			r := w.get(path)
			if r.Code != 200 {
				t.Fatalf("%s: %d %s", path, r.Code, r.Body)
			}
			var out []map[string]any
			if err := json.Unmarshal(r.Body.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			for _, a := range out {
				labels = append(labels, a["label"].(string))
			}
			pages, path = append(pages, len(out)), ""
			for _, l := range r.Header().Values("Link") {
				if u, ok := strings.CutSuffix(l, `>; rel="next"`); ok {
					path = strings.TrimPrefix(strings.TrimPrefix(u, "<"), w.a.cfg.OrgURL)
				}
			}
		}
		return labels, pages
	}
	want := []string{"Wiki 1", "Wiki 2", "Wiki 3", "Wiki 4", "Wiki 5"}
	for _, path := range []string{"/api/v1/apps?q=wiki&limit=2", `/api/v1/apps?filter=status+eq+"ACTIVE"&limit=2`} {
		labels, pages := walk(path)
		if strings.Contains(path, "filter") {
			want = append([]string{"AWS IAM Identity Center"}, want...)
		}
		slices.Sort(labels)
		if diff := cmp.Diff(want, labels); diff != "" {
			t.Errorf("%s: apps over every page (-want +got):\n%s", path, diff)
		}
		for i, n := range pages {
			if n > 2 || (n == 0 && i > 0) {
				t.Errorf("%s: pages of %v, want at most 2 each and no empty page after the first", path, pages)
				break
			}
		}
	}
	code, out := w.call(w.admin, "GET", "/api/v1/apps?q=wiki&after=not-a-cursor", "")
	wantOktaError(t, code, out, 400, "E0000001", "after:")
}
