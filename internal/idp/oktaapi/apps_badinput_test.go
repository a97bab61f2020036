package oktaapi

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/store"
)

// appBodies are bodies that would succeed on the app routes that take one.
var appBodies = map[string]string{
	"POST /api/v1/apps":                             awsBody,
	"PUT /api/v1/apps/{appId}":                      awsBody,
	"POST /api/v1/apps/{appId}/users":               `{"id":"{user}"}`,
	"POST /api/v1/apps/{appId}/users/{userId}":      `{}`,
	"POST /api/v1/apps/{appId}/credentials/secrets": `{"status":"INACTIVE"}`,
}

// TestEveryAppRouteAnswersBadInputWithOktasErrorObject sends each app
// route unknown and malformed ids, malformed bodies and no credentials:
// every answer is Okta's error object with the right code, and nothing is
// stored.
func TestEveryAppRouteAnswersBadInputWithOktasErrorObject(t *testing.T) {
	w := newAppWorld(t)
	eng := w.group("Engineering")
	app := w.must(200, "POST", "/api/v1/apps", awsBody)["id"].(string)
	w.must(200, "POST", "/api/v1/apps/"+app+"/users", `{"id":"`+w.bob.ID+`"}`)
	w.must(200, "PUT", "/api/v1/apps/"+app+"/groups/"+eng.ID, "")
	web := w.must(200, "POST", "/api/v1/apps", webBody)["id"].(string)
	secrets, err := w.st.ClientSecrets(t.Context(), web)
	if err != nil || len(secrets) != 1 {
		t.Fatalf("the web app's secrets: %v %v", secrets, err)
	}
	real := map[string]string{"appId": app, "userId": w.bob.ID, "groupId": eng.ID, "id": w.bob.ID, "secretId": secrets[0].ID}
	param := regexp.MustCompile(`\{(\w+)\}`)
	fill := func(path string) string {
		return param.ReplaceAllStringFunc(path, func(p string) string {
			if p == "{appId}" && strings.Contains(path, "/credentials/secrets") {
				return web // the secret routes are a confidential OIDC client's
			}
			return real[p[1:len(p)-1]]
		})
	}
	garbage := []string{"0oaNoSuchApp00000000", "%00", "a%FFb", "..%2F..%2Fusers", strings.Repeat("a", 300)}
	before := w.snapshot()
	routes := 0
	for _, route := range Routes() {
		if !strings.Contains(route, "/apps") && !strings.HasSuffix(route, "/appLinks") {
			continue
		}
		routes++
		method, path, _ := strings.Cut(route, " ")
		body := strings.ReplaceAll(appBodies[route], "{user}", w.bob.ID)
		t.Run(route+" without a token", func(t *testing.T) {
			code, out := w.call("", method, fill(path), body)
			wantOktaError(t, code, out, 401, "E0000011", "")
		})
		for _, m := range param.FindAllStringSubmatchIndex(path, -1) {
			name := path[m[2]:m[3]]
			for _, g := range garbage {
				p := fill(path[:m[0]] + g + path[m[1]:])
				t.Run(route+" with "+name+" "+g[:min(len(g), 24)], func(t *testing.T) {
					code, out := w.call(w.admin, method, p, body)
					wantOktaError(t, code, out, 404, "E0000007", "")
				})
			}
		}
		if _, ok := appBodies[route]; !ok {
			continue
		}
		if !strings.HasSuffix(route, "/credentials/secrets") { // its body is optional
			t.Run(route+" with no body", func(t *testing.T) {
				code, out := w.call(w.admin, method, fill(path), "")
				wantOktaError(t, code, out, 400, "E0000003", "")
			})
		}
		for _, b := range []string{`{"label":`, `[]`, `"x"`, `{}{}`, "{\"label\":\"a\xffb\"}", `{"label":` + strings.Repeat(" ", 70<<10) + `"x"}`} {
			t.Run(route+" with the body "+b[:min(len(b), 12)], func(t *testing.T) {
				code, out := w.call(w.admin, method, fill(path), b)
				wantOktaError(t, code, out, 400, "E0000003", "")
			})
		}
	}
	if routes != 24 {
		t.Errorf("%d app routes, want 24", routes)
	}
	if after := w.snapshot(); after != before {
		t.Errorf("bad requests changed the store:\nbefore %s\nafter  %s", before, after)
	}
}

// snapshot summarizes the apps and their assignments.
func (w *appWorld) snapshot() string {
	w.t.Helper()
	ctx := w.t.Context()
	var b strings.Builder
	all, err := w.a.allApps(ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, app := range all {
		b.WriteString(app.ID + " " + string(app.Status) + " " + app.LastUpdated.String())
		aus, _, _ := w.st.ListAppUsers(ctx, app.ID, storePageOf(100))
		gs, _, _ := w.st.ListAppGroups(ctx, app.ID, storePageOf(100))
		b.WriteString(" users " + itoa(len(aus)) + " groups " + itoa(len(gs)) + " secrets")
		secrets, _ := w.st.ClientSecrets(ctx, app.ID)
		for _, s := range secrets {
			b.WriteString(" " + s.ID + " " + string(s.Status))
		}
		b.WriteString("; ")
	}
	return b.String()
}

func storePageOf(n int) store.Page { return store.Page{Limit: n} }

func itoa(n int) string { return strconv.Itoa(n) }
