package oktaapi

import (
	"net/http"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// updateUser is POST (partial) and PUT (replace) /api/v1/users/{id}: the
// profile, the password, or both. The administrator's password change
// does not need the old password.
func (a *API) updateUser(replace bool) handler {
	return func(w http.ResponseWriter, r *http.Request, c *caller) error {
		var b userBody
		if err := decodeBody(r, &b, true); err != nil {
			return err
		}
		if err := b.checkType(); err != nil {
			return err
		}
		if b.GroupIDs != nil {
			return errs.E(errs.Invalid, "groupIds: only on create; use PUT /api/v1/groups/{groupId}/users/{userId}")
		}
		pw, hasPassword, err := b.password()
		if err != nil {
			return err
		}
		target, err := a.authorizeUser(r, c, r.PathValue("id"), directory.ManageUsers)
		if err != nil {
			return err
		}
		event := "user.account.update_profile"
		if b.Profile == nil && hasPassword {
			event = "user.account.update_password"
		}
		u, err := a.cfg.Store.UpdateUser(r.Context(), target.ID, event, func(u directory.User) (directory.User, error) {
			return a.applyUpdate(r, u, b, replace, pw, hasPassword)
		})
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, a.userJSON(u))
		return nil
	}
}

// applyUpdate is the compare-and-swap step of an update.
func (a *API) applyUpdate(r *http.Request, u directory.User, b userBody, replace bool, pw string, hasPassword bool) (directory.User, error) {
	switch {
	case replace && b.Profile == nil:
		return u, errs.E(errs.Invalid, "profile: a replace (PUT) sends the whole profile")
	case replace:
		u.Profile = b.Profile.Compact()
	case b.Profile != nil:
		u.Profile = u.Profile.Merge(b.Profile)
	}
	if err := a.validateProfile(r.Context(), u.Profile); err != nil {
		return u, err
	}
	if !hasPassword {
		return u, nil
	}
	p, err := a.newPassword(r.Context(), u, pw)
	u.Password = p
	return u, err
}

// authorizeUser finds the user {id} names and checks the caller may take
// action on them.
func (a *API) authorizeUser(r *http.Request, c *caller, id string, action directory.Action) (directory.User, error) {
	u, err := a.findUser(r.Context(), c, id)
	if err != nil {
		return u, err
	}
	scope, err := a.userScope(r.Context(), u.ID)
	if err != nil {
		return u, err
	}
	return u, a.allow(r, c, action, scope)
}

// deleteUser is DELETE /api/v1/users/{id}: the first call deactivates,
// the second (on a DEPROVISIONED user) deletes for good.
func (a *API) deleteUser(w http.ResponseWriter, r *http.Request, c *caller) error {
	u, err := a.authorizeUser(r, c, r.PathValue("id"), directory.ManageUsers)
	if err != nil {
		return err
	}
	if u.ID == c.user.ID {
		return errs.E(errs.Invalid, "id: you cannot deactivate or delete yourself")
	}
	if u.Status != directory.Deprovisioned {
		_, err = a.transition(r, u.ID, directory.OpDeactivate)
	} else {
		err = a.cfg.Store.DeleteUser(r.Context(), u.ID)
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// userGroups is GET /api/v1/users/{id}/groups.
func (a *API) userGroups(w http.ResponseWriter, r *http.Request, c *caller) error {
	u, err := a.readableUser(r, c)
	if err != nil {
		return err
	}
	groups, err := a.cfg.Store.UserGroups(r.Context(), u.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.groupsJSON(groups))
	return nil
}
