package e2e

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/idp/oktaapi"
)

// oktaCase is one bad request to the management API and the error a
// client must see.
type oktaCase struct {
	name   string
	method string
	path   string // with {user}, {admin}, {carol}, {role}, {superRole}, {group}, {token} placeholders
	auth   string // the Authorization header; "" sends a good token, "-" none
	body   string
	status int
	code   string
	cause  string // an errorCauses entry must start with this
}

// oktaIDs are the real ids the cases put in their paths.
type oktaIDs map[string]string

func (ids oktaIDs) fill(path string) string {
	for k, v := range ids {
		path = strings.ReplaceAll(path, "{"+k+"}", v)
	}
	return path
}

// The wrong values every path parameter is tried with.
var garbageIDs = []struct{ name, value string }{
	{"an id that does not exist", "00uNoSuchThing000000z"},
	{"a NUL byte", "%00"},
	{"a NUL byte inside", "00u%00abc"},
	{"invalid UTF-8", "%FF%FE"},
	{"a path traversal", "..%2F..%2Fgroups"},
	{"an over-long id", strings.Repeat("a", 300)},
}

// realParams are what each path parameter is when it is not the one under
// test, and a body that would succeed with real ids.
var realParams = map[string]string{
	"id": "{user}", "userId": "{user}", "groupId": "{group}", "roleId": "{role}", "op": "suspend",
	"factorId": "fac0000000000000000x", "apiTokenId": "{token}", "schemaId": "default", "appId": "{app}",
}

var goodBodies = map[string]string{
	"POST /api/v1/users":                        `{"profile":{"login":"new@example.com","email":"new@example.com","firstName":"New","lastName":"Person"}}`,
	"POST /api/v1/users/{id}":                   `{"profile":{"nickName":"Al"}}`,
	"PUT /api/v1/users/{id}":                    `{"profile":{"login":"alice@example.com","email":"alice@example.com","firstName":"Alice","lastName":"L"}}`,
	"POST /api/v1/users/{id}/roles":             `{"type":"READ_ONLY_ADMIN"}`,
	"POST /api/v1/groups":                       `{"profile":{"name":"New group"}}`,
	"PUT /api/v1/groups/{groupId}":              `{"profile":{"name":"Renamed"}}`,
	"POST /api/v1/meta/schemas/user/{schemaId}": `{"definitions":{"custom":{"properties":{"shoeSize":{"title":"Shoe size","type":"integer"}}}}}`,
	"POST /api/v1/apps":                         awsAppBody,
	"PUT /api/v1/apps/{appId}":                  awsAppBody,
	"POST /api/v1/apps/{appId}/users":           `{"id":"00u0000000000000000x"}`,
	"POST /api/v1/apps/{appId}/users/{userId}":  `{}`,
}

// awsAppBody adds the AWS IAM Identity Center catalogue app.
const awsAppBody = `{"name":"amazon_aws_sso","label":"AWS IAM Identity Center","signOnMode":"SAML_2_0",` +
	`"settings":{"app":{"acsURL":"https://us-east-1.signin.aws/platform/saml/acs/1a2b","entityID":"https://us-east-1.signin.aws/platform/saml/d-9067"}}}`

var pathParam = regexp.MustCompile(`\{(\w+)\}`)

// routeCases are the cases every route gets: bad tokens, and each path
// parameter replaced by each garbage id.
func routeCases(route string) []oktaCase {
	method, path, _ := strings.Cut(route, " ")
	real := pathParam.ReplaceAllStringFunc(path, func(p string) string { return realParams[p[1:len(p)-1]] })
	body := goodBodies[route]
	var out []oktaCase
	for _, a := range []struct{ name, auth string }{
		{"no Authorization header", "-"},
		{"an unknown SSWS token", "SSWS 00" + strings.Repeat("x", 40)},
		{"the Bearer scheme", "Bearer 00" + strings.Repeat("x", 40)},
		{"an empty SSWS token", "SSWS "},
		{"an over-long token", "SSWS " + strings.Repeat("0", 200)},
		{"a token of invalid UTF-8", "SSWS \xff\xfe\xfd"},
	} {
		out = append(out, oktaCase{name: route + " with " + a.name, method: method, path: real, auth: a.auth,
			body: body, status: 401, code: "E0000011"})
	}
	for _, m := range pathParam.FindAllStringSubmatchIndex(path, -1) {
		param := path[m[2]:m[3]]
		for _, g := range garbageIDs {
			p := path[:m[0]] + g.value + path[m[1]:]
			p = pathParam.ReplaceAllStringFunc(p, func(p string) string { return realParams[p[1:len(p)-1]] })
			out = append(out, oktaCase{name: route + " with " + param + " " + g.name, method: method, path: p,
				body: body, status: 404, code: "E0000007"})
		}
	}
	return out
}

// bodyCases are what every route with a JSON body refuses before it acts.
func bodyCases(route, path string) []oktaCase {
	method, _, _ := strings.Cut(route, " ")
	big := `{"profile":{"name":"` + strings.Repeat("x", 70<<10) + `"}}`
	var out []oktaCase
	for _, b := range []struct{ name, body string }{
		{"an empty body", ""},
		{"a body that is not JSON", `{"profile":`},
		{"a JSON array", `[{"profile":{}}]`},
		{"a JSON string", `"profile"`},
		{"two JSON values", `{}{}`},
		{"a body over 64 KiB", big},
		{"invalid UTF-8 in a string", "{\"profile\":{\"name\":\"a\xff\xfeb\"}}"},
	} {
		out = append(out, oktaCase{name: route + " with " + b.name, method: method, path: path, body: b.body,
			status: 400, code: "E0000003"})
	}
	return out
}

func bad(name, method, path, body string, status int, code, cause string) oktaCase {
	return oktaCase{name: name, method: method, path: path, body: body, status: status, code: code, cause: cause}
}

func invalid(name, method, path, body, cause string) oktaCase {
	return bad(name, method, path, body, 400, "E0000001", cause)
}

func person(extra string) string {
	return `{"profile":{"login":"new@example.com","email":"new@example.com","firstName":"New","lastName":"Person"` + extra + `}}`
}

// specificCases are each operation's own refusals.
func specificCases() []oktaCase {
	long := strings.Repeat("a", 95) + "@example.com"
	manyGroups := `"` + strings.Repeat(`00g0000000000000000x","`, 100) + `00g0000000000000000x"`
	return []oktaCase{
		bad("a profile that is a string", "POST", "/api/v1/users", `{"profile":"alice"}`, 400, "E0000003", ""),
		bad("groupIds that is a string", "POST", "/api/v1/users", person(`},"groupIds":"abc","x":{`), 400, "E0000003", ""),
		bad("a password that is a number", "POST", "/api/v1/users", `{"profile":{},"credentials":{"password":{"value":42}}}`, 400, "E0000003", ""),
		invalid("a profile missing required attributes", "POST", "/api/v1/users", `{"profile":{"login":"x@example.com"}}`, "email:"),
		invalid("a login over 100 characters", "POST", "/api/v1/users",
			`{"profile":{"login":"`+long+`","email":"x@example.com","firstName":"X","lastName":"Y"}}`, "login:"),
		invalid("a login with a slash", "POST", "/api/v1/users",
			`{"profile":{"login":"a/b@example.com","email":"x@example.com","firstName":"X","lastName":"Y"}}`, "login:"),
		invalid("a NUL byte in firstName", "POST", "/api/v1/users",
			`{"profile":{"login":"x@example.com","email":"x@example.com","firstName":"Bo\u0000b","lastName":"Y"}}`, "firstName:"),
		invalid("a number for lastName", "POST", "/api/v1/users",
			`{"profile":{"login":"x@example.com","email":"x@example.com","firstName":"X","lastName":42}}`, "lastName:"),
		invalid("an undeclared attribute", "POST", "/api/v1/users", person(`,"shoeSize":"42"`), "shoeSize:"),
		invalid("a declared attribute of the wrong type", "POST", "/api/v1/users", person(`,"costCenterCode":12`), "costCenterCode:"),
		invalid("a login taken in another case", "POST", "/api/v1/users",
			`{"profile":{"login":"ALICE@example.com","email":"a2@example.com","firstName":"A","lastName":"L"}}`, "login:"),
		invalid("activate=maybe", "POST", "/api/v1/users?activate=maybe", person(""), "activate:"),
		invalid("nextLogin=bogus", "POST", "/api/v1/users?nextLogin=bogus", person(""), "nextLogin:"),
		invalid("another user type", "POST", "/api/v1/users", strings.TrimSuffix(person(""), "}")+`,"type":{"id":"oty1"}}`, "type.id:"),
		invalid("too many groupIds", "POST", "/api/v1/users", strings.TrimSuffix(person(""), "}")+`,"groupIds":[`+manyGroups+`]}`, "groupIds:"),
		invalid("a recovery question", "POST", "/api/v1/users",
			strings.TrimSuffix(person(""), "}")+`,"credentials":{"recovery_question":{"question":"q","answer":"a"}}}`, "credentials.recovery_question:"),
		bad("groupIds naming no group", "POST", "/api/v1/users", strings.TrimSuffix(person(""), "}")+`,"groupIds":["00gNoSuchGroup000000"]}`, 404, "E0000007", ""),

		bad("a partial update whose profile is a list", "POST", "/api/v1/users/{user}", `{"profile":[]}`, 400, "E0000003", ""),
		invalid("a partial update removing firstName", "POST", "/api/v1/users/{user}", `{"profile":{"firstName":null}}`, "firstName:"),
		invalid("a partial update with a bad email", "POST", "/api/v1/users/{user}", `{"profile":{"email":"not-an-email"}}`, "email:"),
		invalid("a partial update with a login over 100 characters", "POST", "/api/v1/users/{user}", `{"profile":{"login":"`+long+`"}}`, "login:"),
		invalid("a partial update with a NUL byte", "POST", "/api/v1/users/{user}", `{"profile":{"nickName":"\u0000"}}`, "nickName:"),
		invalid("a partial update of an undeclared attribute", "POST", "/api/v1/users/{user}", `{"profile":{"contractorX":true}}`, "contractorX:"),
		invalid("a partial update with groupIds", "POST", "/api/v1/users/{user}", `{"groupIds":[]}`, "groupIds:"),
		invalid("a partial update onto carol's login", "POST", "/api/v1/users/{user}", `{"profile":{"login":"Carol@Example.com"}}`, "login:"),
		invalid("a replace without a profile", "PUT", "/api/v1/users/{user}", `{}`, "profile:"),
		invalid("a replace missing required attributes", "PUT", "/api/v1/users/{user}", `{"profile":{"login":"alice@example.com"}}`, "email:"),
		invalid("deleting yourself", "DELETE", "/api/v1/users/me", "", "id:"),

		bad("a role type that is a number", "POST", "/api/v1/users/{user}/roles", `{"type":42}`, 400, "E0000003", ""),
		invalid("an unknown role type", "POST", "/api/v1/users/{user}/roles", `{"type":"GOD_MODE"}`, "type:"),
		invalid("a missing role type", "POST", "/api/v1/users/{user}/roles", `{}`, "type:"),
		invalid("disableNotifications=maybe", "POST", "/api/v1/users/{user}/roles?disableNotifications=maybe", `{"type":"READ_ONLY_ADMIN"}`, "disableNotifications:"),
		invalid("a role the user holds", "POST", "/api/v1/users/{carol}/roles", `{"type":"USER_ADMIN"}`, "The role specified is already assigned"),
		invalid("removing the last super administrator", "DELETE", "/api/v1/users/{admin}/roles/{superRole}", "", "roleId:"),
		invalid("targets on a role that takes none", "PUT", "/api/v1/users/{admin}/roles/{superRole}/targets/groups/{group}", "", "roleId:"),

		invalid("sendEmail=maybe on activate", "POST", "/api/v1/users/{user}/lifecycle/activate?sendEmail=maybe", "", "sendEmail:"),
		invalid("sendEmail=maybe on suspend", "POST", "/api/v1/users/{user}/lifecycle/suspend?sendEmail=maybe", "", "sendEmail:"),
		invalid("reset_password without sendEmail", "POST", "/api/v1/users/{user}/lifecycle/reset_password", "", "sendEmail:"),
		invalid("sendEmail=maybe on reset_password", "POST", "/api/v1/users/{user}/lifecycle/reset_password?sendEmail=maybe", "", "sendEmail:"),
		invalid("revokeSessions=maybe on reset_password", "POST", "/api/v1/users/{user}/lifecycle/reset_password?sendEmail=false&revokeSessions=maybe", "", "revokeSessions:"),
		invalid("oauthTokens=maybe", "DELETE", "/api/v1/users/{user}/sessions?oauthTokens=maybe", "", "oauthTokens:"),
		invalid("suspending yourself", "POST", "/api/v1/users/me/lifecycle/suspend", "", "id:"),
		bad("an unknown lifecycle operation", "POST", "/api/v1/users/{user}/lifecycle/explode", "", 404, "E0000007", ""),

		bad("a group name that is a number", "POST", "/api/v1/groups", `{"profile":{"name":42}}`, 400, "E0000003", ""),
		invalid("a group without a profile", "POST", "/api/v1/groups", `{}`, "profile:"),

		invalid("an app signed with SHA-1", "POST", "/api/v1/apps", `{"label":"X","signOnMode":"SAML_2_0","settings":{"signOn":`+
			`{"ssoAcsUrl":"https://x.example/acs","audience":"https://x.example/","signatureAlgorithm":"RSA_SHA1"}}}`, "settings.signOn.signatureAlgorithm:"),
		invalid("an app without a label", "POST", "/api/v1/apps", `{"name":"amazon_aws_sso","signOnMode":"SAML_2_0"}`, "label:"),
		invalid("an AWS app without its ACS URL", "POST", "/api/v1/apps", `{"name":"amazon_aws_sso","label":"AWS","signOnMode":"SAML_2_0"}`, "settings.app.acsURL:"),
		bad("an app label that is a number", "POST", "/api/v1/apps", `{"label":42}`, 400, "E0000003", ""),
		invalid("deleting an active app", "DELETE", "/api/v1/apps/{app}", "", "status:"),
		invalid("unassigning a person assigned through a group", "DELETE", "/api/v1/apps/{app}/users/{user}", "", "id:"),
		invalid("a group assignment with a negative priority", "PUT", "/api/v1/apps/{app}/groups/{group}", `{"priority":-1}`, "priority:"),
		bad("assigning a person who does not exist", "POST", "/api/v1/apps/{app}/users", `{"id":"00uNoSuchThing000000z"}`, 404, "E0000007", ""),
		invalid("apps filtered by label", "GET", `/api/v1/apps?filter=label%20eq%20%22x%22`, "", "filter:"),
		invalid("a group with a blank name", "POST", "/api/v1/groups", `{"profile":{"name":"  "}}`, "name:"),
		invalid("a group name with a NUL byte", "POST", "/api/v1/groups", `{"profile":{"name":"a\u0000b"}}`, "name:"),
		invalid("a group name over 255 characters", "POST", "/api/v1/groups", `{"profile":{"name":"`+strings.Repeat("g", 256)+`"}}`, "name:"),
		invalid("a group name taken in another case", "POST", "/api/v1/groups", `{"profile":{"name":"ENGINEERING"}}`, "name:"),
		bad("a replace whose description is a list", "PUT", "/api/v1/groups/{group}", `{"profile":{"name":"x","description":[]}}`, 400, "E0000003", ""),
		invalid("a replace without a profile", "PUT", "/api/v1/groups/{group}", `{"profile":null}`, "profile:"),
		invalid("a replace with a blank name", "PUT", "/api/v1/groups/{group}", `{"profile":{"name":""}}`, "name:"),

		bad("a maxLength that is text", "POST", "/api/v1/meta/schemas/user/default",
			`{"definitions":{"custom":{"properties":{"x":{"title":"X","type":"string","maxLength":"a"}}}}}`, 400, "E0000003", ""),
		invalid("a schema update declaring nothing", "POST", "/api/v1/meta/schemas/user/default", `{}`, "definitions.custom.properties:"),
		invalid("an attribute of an unknown type", "POST", "/api/v1/meta/schemas/user/default",
			`{"definitions":{"custom":{"properties":{"hired":{"title":"Hired","type":"date"}}}}}`, "hired:"),
		invalid("an attribute name starting with a digit", "POST", "/api/v1/meta/schemas/user/default",
			`{"definitions":{"custom":{"properties":{"1st":{"title":"First","type":"string"}}}}}`, "1st:"),
		invalid("an attribute named as a base attribute", "POST", "/api/v1/meta/schemas/user/default",
			`{"definitions":{"custom":{"properties":{"email":{"title":"Mail","type":"string"}}}}}`, "email:"),
		invalid("an attribute without a title", "POST", "/api/v1/meta/schemas/user/default",
			`{"definitions":{"custom":{"properties":{"badge":{"type":"string"}}}}}`, "badge:"),
		invalid("removing an attribute", "POST", "/api/v1/meta/schemas/user/default",
			`{"definitions":{"custom":{"properties":{"costCenterCode":null}}}}`, "costCenterCode:"),
		invalid("changing an attribute's type", "POST", "/api/v1/meta/schemas/user/default",
			`{"definitions":{"custom":{"properties":{"costCenterCode":{"title":"Cost","type":"boolean"}}}}}`, "costCenterCode:"),
		invalid("maxLength on a boolean", "POST", "/api/v1/meta/schemas/user/default",
			`{"definitions":{"custom":{"properties":{"flag":{"title":"Flag","type":"boolean","maxLength":3}}}}}`, "flag:"),
		invalid("a good attribute next to a bad one", "POST", "/api/v1/meta/schemas/user/default",
			`{"definitions":{"custom":{"properties":{"aGood":{"title":"Good","type":"string"},"zBad":{"title":"Bad","type":"date"}}}}}`, "zBad:"),
	}
}

// queryCases are the list routes' bad parameters.
func queryCases() []oktaCase {
	var out []oktaCase
	paging := []string{"limit=0", "limit=-1", "limit=abc", "limit=1.5", "limit=99999999999999999999",
		"after=not-a-cursor", "after=%00", "after=" + strings.Repeat("z", 600)}
	for _, path := range []string{"/api/v1/users", "/api/v1/groups", "/api/v1/groups/{group}/users", "/api/v1/api-tokens", "/api/v1/logs",
		"/api/v1/apps", "/api/v1/apps/{app}/users", "/api/v1/apps/{app}/groups"} {
		for _, q := range paging {
			if path == "/api/v1/apps" && q == "limit=-1" {
				continue // Okta's default for apps: every app
			}
			out = append(out, invalid(path+"?"+q[:min(len(q), 24)], "GET", path+"?"+q, "", paramCause(path, q)))
		}
	}
	exprs := []string{
		"filter=status%20eq", "filter=profile.nickName%20eq%20%22x%22", "filter=(((", "search=(((",
		"search=profile.department%20ne%20%22x%22", "search=profile.department%20co%20%22x%22",
		"search=%22unterminated", "search=profile.a%00b%20eq%20%22x%22", "filter=lastUpdated%20gt%20%22yesterday%22",
	}
	for _, q := range exprs {
		param, _, _ := strings.Cut(q, "=")
		out = append(out, invalid("/api/v1/users?"+q, "GET", "/api/v1/users?"+q, "", param+":"))
	}
	for _, q := range []string{"filter=type%20eq", "search=profile.name%20ne%20%22x%22", "search=((("} {
		param, _, _ := strings.Cut(q, "=")
		out = append(out, invalid("/api/v1/groups?"+q, "GET", "/api/v1/groups?"+q, "", param+":"))
	}
	for _, path := range []string{"/api/v1/users", "/api/v1/groups"} {
		for _, q := range []string{"q=a&filter=id%20eq%20%22x%22", "q=a&search=id%20eq%20%22x%22", "filter=id%20eq%20%22x%22&search=id%20eq%20%22x%22"} {
			out = append(out, invalid(path+"?"+q, "GET", path+"?"+q, "", "use only one of q, filter and search"))
		}
	}
	for _, q := range []string{"filter=(((", "since=yesterday", "until=soon", "sortOrder=SIDEWAYS"} {
		out = append(out, invalid("/api/v1/logs?"+q, "GET", "/api/v1/logs?"+q, "", paramCause("/api/v1/logs", q)))
	}
	return out
}

// paramCause is how the error cause of bad query parameter q starts: the
// system log words it as Okta's log API does.
func paramCause(path, q string) string {
	param, _, _ := strings.Cut(q, "=")
	if path == "/api/v1/logs" {
		return "Invalid value for parameter " + param + ":"
	}
	return param + ":"
}

// methodCases are a method each known path does not take (405, with
// Allow), and paths the API does not have (404).
func methodCases(routes []string) []oktaCase {
	allow := map[string][]string{}
	for _, r := range routes {
		m, p, _ := strings.Cut(r, " ")
		allow[p] = append(allow[p], m)
	}
	var out []oktaCase
	for _, p := range slices.Sorted(func(yield func(string) bool) {
		for p := range allow {
			if !yield(p) {
				return
			}
		}
	}) {
		real := pathParam.ReplaceAllStringFunc(p, func(s string) string { return realParams[s[1:len(s)-1]] })
		for _, m := range []string{"PATCH", "OPTIONS", "TRACE"} {
			out = append(out, oktaCase{name: m + " " + p, method: m, path: real, status: 405, code: "E0000022"})
		}
		for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
			if !slices.Contains(allow[p], m) {
				out = append(out, oktaCase{name: m + " " + p, method: m, path: real, status: 405, code: "E0000022"})
			}
		}
	}
	for _, p := range []string{"/api/v1/nothing", "/api/v1/users/", "/api/v1/users/{user}/nothing", "/api/v1/users/{user}/lifecycle",
		"/api/v1/groups/{group}/users/{user}/more", "/api/v1/meta/schemas/group/default", "/api/v1/meta/schemas/user"} {
		out = append(out, bad("an unknown path "+p, "GET", p, "", 404, "E0000007", ""))
	}
	return out
}

// TestOktaAPIRefusesBadInputAndChangesNothing sends every route of the
// management API malformed requests with plain net/http and checks the
// exact Okta error and that the directory did not change.
func TestOktaAPIRefusesBadInputAndChangesNothing(t *testing.T) {
	s := start(t)
	o := s.oktaRaw(7)
	ids := oktaSetUp(t, o)
	routes := oktaapi.Routes()
	var cases []oktaCase
	for _, r := range routes {
		cases = append(cases, routeCases(r)...)
		if _, ok := goodBodies[r]; ok {
			method, path, _ := strings.Cut(r, " ")
			real := pathParam.ReplaceAllStringFunc(path, func(p string) string { return realParams[p[1:len(p)-1]] })
			cases = append(cases, bodyCases(method+" "+path, real)...)
		}
	}
	cases = append(cases, specificCases()...)
	cases = append(cases, queryCases()...)
	cases = append(cases, methodCases(routes)...)
	allow := map[string]string{}
	for _, r := range routes {
		m, p, _ := strings.Cut(r, " ")
		allow[p] += m + " "
	}

	before := idpSnapshot(t, s.main.IdP)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			auth := tc.auth
			switch auth {
			case "":
				auth = o.token()
			case "-":
				auth = ""
			}
			w := o.send(tc.method, ids.fill(tc.path), auth, tc.body)
			oktaWireError(t, w, tc.status, tc.code, tc.cause)
			if tc.status == 405 && w.Header.Get("Allow") == "" {
				t.Errorf("a 405 without an Allow header")
			}
			idpUnchanged(t, s.main.IdP, before)
		})
	}
	t.Logf("%d cases over %d routes", len(cases), len(routes))
}

// oktaSetUp makes what the cases act on: alice (active, with a password,
// in Engineering), carol (a user administrator), a declared costCenterCode,
// and the AWS app with carol assigned directly and Engineering (so alice
// through it), and the first OIDC signing key.
func oktaSetUp(t *testing.T, o *oktaRaw) oktaIDs {
	var admin, alice, carol, group, role, app struct {
		ID string `json:"id"`
	}
	o.mustJSON("GET", "/api/v1/users/me", "", &admin)
	o.mustJSON("POST", "/api/v1/groups", `{"profile":{"name":"Engineering","description":"Builds things"}}`, &group)
	o.mustJSON("POST", "/api/v1/meta/schemas/user/default",
		`{"definitions":{"custom":{"properties":{"costCenterCode":{"title":"Cost center code","type":"string","maxLength":20}}}}}`, nil)
	o.mustJSON("POST", "/api/v1/users", `{"profile":{"login":"alice@example.com","email":"alice@example.com","firstName":"Alice","lastName":"Liddell"},`+
		`"credentials":{"password":{"value":"correct horse battery"}},"groupIds":["`+group.ID+`"]}`, &alice)
	o.mustJSON("POST", "/api/v1/users", `{"profile":{"login":"carol@example.com","email":"carol@example.com","firstName":"Carol","lastName":"Chief"},`+
		`"credentials":{"password":{"value":"a long passphrase 42"}}}`, &carol)
	o.mustJSON("POST", "/api/v1/users/"+carol.ID+"/roles", `{"type":"USER_ADMIN"}`, &role)
	o.mustJSON("POST", "/api/v1/apps", awsAppBody, &app)
	o.mustJSON("POST", "/api/v1/apps/"+app.ID+"/users", `{"id":"`+carol.ID+`"}`, nil)
	o.mustJSON("PUT", "/api/v1/apps/"+app.ID+"/groups/"+group.ID, `{}`, nil)
	// The first read of the signing keys creates the first one, an event.
	o.mustJSON("GET", "/api/v1/authorizationServers/default/credentials/keys", "", nil)
	var roles []struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	o.mustJSON("GET", "/api/v1/users/"+admin.ID+"/roles", "", &roles)
	var tokens []struct {
		ID string `json:"id"`
	}
	o.mustJSON("GET", "/api/v1/api-tokens", "", &tokens)
	if len(roles) != 1 || roles[0].Type != "SUPER_ADMIN" || len(tokens) == 0 {
		t.Fatalf("set-up: admin roles %+v, tokens %+v", roles, tokens)
	}
	return oktaIDs{"user": alice.ID, "admin": admin.ID, "carol": carol.ID, "group": group.ID, "role": role.ID,
		"superRole": roles[0].ID, "token": tokens[0].ID, "app": app.ID}
}
