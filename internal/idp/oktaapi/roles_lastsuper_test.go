package oktaapi

import (
	"testing"

	"github.com/keyward/keyward/internal/directory"
)

// The last super administrator's role cannot be removed, so someone can
// always manage the org. A deactivated (or suspended) super administrator
// still holds the role but can neither sign in nor call the API, and only a
// super administrator may reactivate them: they do not count as the one
// who remains.
func TestTheLastSuperAdminWhoCanSignInKeepsTheRole(t *testing.T) {
	w := newAppWorld(t)
	admin := w.must(200, "GET", "/api/v1/users/me", "")["id"].(string)
	superRole := func(userID string) string {
		t.Helper()
		roles, err := w.st.Roles(t.Context(), userID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range roles {
			if r.Type == directory.SuperAdmin {
				return r.ID
			}
		}
		return ""
	}
	second := w.user("second@example.com")
	w.must(201, "POST", "/api/v1/users/"+second.ID+"/roles", `{"type":"SUPER_ADMIN"}`)
	w.must(200, "POST", "/api/v1/users/"+second.ID+"/lifecycle/deactivate", "")

	code, out := w.call(w.admin, "DELETE", "/api/v1/users/"+admin+"/roles/"+superRole(admin), "")
	wantOktaError(t, code, out, 400, "E0000001", "roleId:")
	if superRole(admin) == "" {
		t.Fatal("the only super administrator who can sign in lost the role")
	}

	// The deactivated one's role may go: someone who can sign in keeps theirs.
	w.must(204, "DELETE", "/api/v1/users/"+second.ID+"/roles/"+superRole(second.ID), "")
}
