package oktaapi

import (
	"testing"

	"github.com/keyward/keyward/internal/directory"
)

// scopedAdmin gives u a role of type t limited to the groups, through the
// API as the super administrator, and returns u's token.
func (w *appWorld) scopedAdmin(u directory.User, t directory.RoleType, groups ...directory.Group) string {
	w.t.Helper()
	token := w.tokenFor(u, t)
	code, out := w.call(w.admin, "GET", "/api/v1/users/"+u.ID+"/roles", "")
	roles, _ := out.([]any)
	if code != 200 || len(roles) != 1 {
		w.t.Fatalf("roles of %s: %d %v", u.Login(), code, out)
	}
	id := at(roles[0], "id").(string)
	for _, g := range groups {
		w.must(204, "PUT", "/api/v1/users/"+u.ID+"/roles/"+id+"/targets/groups/"+g.ID, "")
	}
	return token
}

// A USER_ADMIN limited to one group may create people in that group, but
// not also put them in a group it does not manage: adding a member to
// that group is refused to it (PUT /groups/{id}/users/{id}), so create
// must not be a way round that.
func TestAScopedUserAdminCannotCreateSomeoneIntoAGroupItDoesNotManage(t *testing.T) {
	w := newAppWorld(t)
	support, admins := w.group("Support"), w.group("AWS Admins")
	helper := w.scopedAdmin(w.user("helper@example.com"), directory.UserAdmin, support)

	person := func(login, groups string) string {
		return `{"profile":{"login":"` + login + `","email":"` + login + `","firstName":"E","lastName":"V"},` +
			`"credentials":{"password":{"value":"correct horse battery staple"}},"groupIds":[` + groups + `]}`
	}
	code, out := w.call(helper, "POST", "/api/v1/users", person("eve@example.com", `"`+support.ID+`","`+admins.ID+`"`))
	wantOktaError(t, code, out, 403, "E0000006", "")
	if code, _ := w.call(w.admin, "GET", "/api/v1/users/eve@example.com", ""); code != 404 {
		t.Errorf("the refused create made the person anyway (GET answered %d)", code)
	}
	code, out = w.call(helper, "POST", "/api/v1/users", person("sam@example.com", `"`+support.ID+`"`))
	if code != 200 {
		t.Fatalf("creating someone in its own target group: %d %v", code, out)
	}
	code, out = w.call(helper, "PUT", "/api/v1/groups/"+admins.ID+"/users/"+at(out, "id").(string), "")
	wantOktaError(t, code, out, 403, "E0000006", "")
}

// Taking the last group target off a role would leave it with none, which
// means every group: narrowing a role must never widen it. Okta refuses
// it (delete the assignment and make an untargeted one instead).
func TestRemovingTheLastGroupTargetIsRefusedNotWidened(t *testing.T) {
	w := newAppWorld(t)
	support, admins := w.group("Support"), w.group("AWS Admins")
	helpdesk := w.user("helpdesk@example.com")
	token := w.scopedAdmin(helpdesk, directory.HelpDeskAdmin, support, admins)
	outsider := w.user("outsider@example.com", admins.ID)
	_, out := w.call(w.admin, "GET", "/api/v1/users/"+helpdesk.ID+"/roles", "")
	targets := "/api/v1/users/" + helpdesk.ID + "/roles/" + at(out.([]any)[0], "id").(string) + "/targets/groups/"

	w.must(204, "DELETE", targets+admins.ID, "")
	code, out := w.call(w.admin, "DELETE", targets+support.ID, "")
	wantOktaError(t, code, out, 400, "E0000001", "")
	code, out = w.call(token, "POST", "/api/v1/users/"+outsider.ID+"/lifecycle/reset_password?sendEmail=false", "")
	wantOktaError(t, code, out, 403, "E0000006", "")
}

// An ORG_ADMIN may do everything but make a super administrator; setting
// or resetting a super administrator's password, or deactivating them,
// would be a way to become or remove one, so it is refused.
func TestAnOrgAdminCannotTakeOverASuperAdmin(t *testing.T) {
	w := newAppWorld(t)
	org := w.tokenFor(w.user("org@example.com"), directory.OrgAdmin)
	super := "/api/v1/users/admin@example.com"
	for _, c := range []struct{ method, path, body string }{
		{"POST", super, `{"credentials":{"password":{"value":"correct horse battery staple"}}}`},
		{"POST", super + "/lifecycle/reset_password?sendEmail=false", ""},
		{"POST", super + "/lifecycle/deactivate", ""},
		{"DELETE", super + "/sessions", ""},
	} {
		code, out := w.call(org, c.method, c.path, c.body)
		wantOktaError(t, code, out, 403, "E0000006", "")
	}
	if code, out := w.call(w.admin, "GET", "/api/v1/users/me", ""); code != 200 || at(out, "status") != "ACTIVE" {
		t.Errorf("the super administrator after the refusals: %d %v", code, out)
	}
	// Other administrators, and everyone else, stay in an org admin's reach.
	peer := w.user("peer@example.com")
	w.tokenFor(peer, directory.HelpDeskAdmin)
	if code, out := w.call(org, "POST", "/api/v1/users/"+peer.ID+"/lifecycle/suspend", ""); code != 200 {
		t.Errorf("an org admin suspending a help desk admin: %d %v", code, out)
	}
}
