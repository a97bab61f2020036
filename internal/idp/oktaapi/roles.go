package oktaapi

import (
	"net/http"
	"slices"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// roleJSON is Okta's standard role assignment.
type roleJSON struct {
	ID             string             `json:"id"`
	Label          string             `json:"label"`
	Type           directory.RoleType `json:"type"`
	Status         string             `json:"status"`
	Created        string             `json:"created"`
	LastUpdated    string             `json:"lastUpdated"`
	AssignmentType string             `json:"assignmentType"`
	Links          map[string]href    `json:"_links"`
}

func (a *API) roleJSON(r directory.Role) roleJSON {
	user := a.cfg.OrgURL + "/api/v1/users/" + r.UserID
	links := map[string]href{"assignee": {Href: user}}
	if r.Type.Targetable() {
		links["groups"] = href{Href: user + "/roles/" + r.ID + "/targets/groups"}
	}
	return roleJSON{ID: r.ID, Label: r.Type.Label(), Type: r.Type, Status: "ACTIVE",
		Created: formatTime(r.Created), LastUpdated: formatTime(r.LastUpdated), AssignmentType: "USER", Links: links}
}

// assignRole is POST /api/v1/users/{id}/roles.
func (a *API) assignRole(w http.ResponseWriter, r *http.Request, c *caller) error {
	var b struct {
		Type directory.RoleType `json:"type"`
	}
	if err := decodeBody(r, &b, true); err != nil {
		return err
	}
	if b.Type.Label() == "" {
		return errs.E(errs.Invalid, "type: one of SUPER_ADMIN, ORG_ADMIN, APP_ADMIN, USER_ADMIN, GROUP_MEMBERSHIP_ADMIN, HELP_DESK_ADMIN, READ_ONLY_ADMIN")
	}
	if _, err := boolParam(r, "disableNotifications", false); err != nil {
		return err
	}
	u, err := a.findUser(r.Context(), c, r.PathValue("id"))
	if err != nil {
		return err
	}
	if !directory.CanGrant(c.roles, b.Type) {
		a.deny(r, "grant "+string(b.Type))
		return errDenied()
	}
	if u.Status != directory.Active {
		return errs.E(errs.Invalid, "id: roles can be assigned only to ACTIVE users")
	}
	role, err := a.cfg.Store.AssignRole(r.Context(), directory.Role{UserID: u.ID, Type: b.Type})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a.roleJSON(role))
	return nil
}

// listRoles is GET /api/v1/users/{id}/roles.
func (a *API) listRoles(w http.ResponseWriter, r *http.Request, c *caller) error {
	u, err := a.readableUser(r, c)
	if err != nil {
		return err
	}
	roles, err := a.cfg.Store.Roles(r.Context(), u.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, each(roles, a.roleJSON))
	return nil
}

// role finds the assignment {roleId} of user {id}.
func (a *API) role(r *http.Request, c *caller) (directory.Role, error) {
	u, err := a.findUser(r.Context(), c, r.PathValue("id"))
	if err != nil {
		return directory.Role{}, err
	}
	id := r.PathValue("roleId")
	if !directory.ValidID(id) {
		return directory.Role{}, notFound(store.ResourceRole, id)
	}
	return a.cfg.Store.Role(r.Context(), u.ID, id)
}

// getRole is GET /api/v1/users/{id}/roles/{roleId}.
func (a *API) getRole(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := a.allow(r, c, directory.ReadDirectory, directory.Scope{}); err != nil {
		return err
	}
	role, err := a.role(r, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.roleJSON(role))
	return nil
}

// removeRole is DELETE /api/v1/users/{id}/roles/{roleId}. The role of the
// last super administrator who can sign in stays, so the org can always
// be managed.
func (a *API) removeRole(w http.ResponseWriter, r *http.Request, c *caller) error {
	role, err := a.role(r, c)
	if err != nil {
		return err
	}
	if !directory.CanGrant(c.roles, role.Type) {
		a.deny(r, "revoke "+string(role.Type))
		return errDenied()
	}
	// The store refuses the last SUPER_ADMIN role in the removal's own
	// transaction (a count here first would race another removal).
	err = a.cfg.Store.RemoveRole(r.Context(), role.UserID, role.ID)
	if e, ok := errs.As(err); ok && e.Kind == errs.Invalid {
		return errs.E(errs.Invalid, "roleId: %s", e.Message)
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// listTargets is GET /api/v1/users/{id}/roles/{roleId}/targets/groups.
func (a *API) listTargets(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := a.allow(r, c, directory.ReadDirectory, directory.Scope{}); err != nil {
		return err
	}
	role, err := a.role(r, c)
	if err != nil {
		return err
	}
	groups := make([]directory.Group, 0, len(role.Targets))
	for _, id := range role.Targets {
		g, err := a.cfg.Store.Group(r.Context(), id)
		if err != nil {
			return err
		}
		groups = append(groups, g)
	}
	writeJSON(w, http.StatusOK, a.groupsJSON(groups))
	return nil
}

// target is PUT (add) and DELETE (remove)
// /api/v1/users/{id}/roles/{roleId}/targets/groups/{groupId}.
func (a *API) target(add bool) handler {
	return func(w http.ResponseWriter, r *http.Request, c *caller) error {
		role, err := a.role(r, c)
		if err != nil {
			return err
		}
		if !directory.CanGrant(c.roles, role.Type) {
			a.deny(r, "change targets of "+string(role.Type))
			return errDenied()
		}
		if !role.Type.Targetable() {
			return errs.E(errs.Invalid, "roleId: a %s role has no group targets", role.Type)
		}
		g, err := a.group(r)
		if err != nil {
			return err
		}
		_, err = a.cfg.Store.UpdateRole(r.Context(), role.UserID, role.ID, func(role directory.Role) (directory.Role, error) {
			had := len(role.Targets)
			role.Targets = slices.DeleteFunc(slices.Clone(role.Targets), func(id string) bool { return id == g.ID })
			if add {
				role.Targets = append(role.Targets, g.ID)
			} else if had > 0 && len(role.Targets) == 0 {
				// No targets means every group: the last one stays, as in Okta.
				return role, errs.E(errs.Invalid, "groupId: the last group target cannot be removed; delete the role assignment instead")
			}
			return role, nil
		})
		if err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}
