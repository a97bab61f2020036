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
