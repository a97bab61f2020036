package sqlstore

import (
	"context"
	"slices"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

const (
	idpRoleCols      = `id, user_id, type, targets, created, last_updated`
	insertIdPRoleSQL = `INSERT INTO idp_roles (id, user_id, type, targets, created, last_updated)
VALUES ($1, $2, $3, $4, $5, $6)`
	updateIdPRoleSQL = `UPDATE idp_roles SET type = $2, targets = $3, last_updated = $4 WHERE id = $1`
	selectIdPRoleSQL = `SELECT ` + idpRoleCols + ` FROM idp_roles WHERE id = $1 AND user_id = $2`
	userIdPRolesSQL  = `SELECT ` + idpRoleCols + ` FROM idp_roles WHERE user_id = $1 ORDER BY id`
	targetedRolesSQL = `SELECT ` + idpRoleCols + ` FROM idp_roles WHERE targets <> '[]' ORDER BY id`
	deleteIdPRoleSQL = `DELETE FROM idp_roles WHERE id = $1 AND user_id = $2`
	countIdPRolesSQL = `SELECT COUNT(*) FROM idp_roles WHERE type = $1`
	// otherSuperAdminsSQL counts the SUPER_ADMIN roles other than $1 whose
	// holders can sign in (directory.Status.CanSignIn): a deactivated or
	// suspended holder cannot manage the org, and only a super
	// administrator could bring them back.
	otherSuperAdminsSQL = `SELECT COUNT(*) FROM idp_roles r JOIN idp_users u ON u.id = r.user_id
WHERE r.type = 'SUPER_ADMIN' AND r.id <> $1 AND u.status IN ('ACTIVE', 'PASSWORD_EXPIRED')`
	superAdminSQL     = `SELECT 1 FROM idp_roles WHERE type = $1 LIMIT 1`
	setRoleTargetsSQL = `UPDATE idp_roles SET targets = $2, last_updated = $3 WHERE id = $1`
	deleteRoleByIDSQL = `DELETE FROM idp_roles WHERE id = $1`
)

// The role events.
const (
	privilegeGrant  = "user.account.privilege.grant"
	privilegeRevoke = "user.account.privilege.revoke"
)

func errRoleNotFound(id string) *errs.Error { return missing(store.ResourceRole, id) }

func scanIdPRole(s scanner) (directory.Role, error) {
	var r directory.Role
	err := s.Scan(&r.ID, &r.UserID, &r.Type, jsonCol{&r.Targets}, timeCol{&r.Created}, timeCol{&r.LastUpdated})
	if len(r.Targets) == 0 {
		r.Targets = nil
	}
	return r, err
}

// roleEvent is a grant or revoke of r, naming its holder and type.
func roleEvent(ctx context.Context, action string, r directory.Role) audit.Event {
	e := audit.New(ctx, action, targetRole, r.ID)
	e.Message = "user " + r.UserID + " " + string(r.Type)
	return e
}

// checkTargets returns r's targets as stored (a JSON list, never null),
// or errs.NotFound for a target that is not an existing group.
func checkTargets(ctx context.Context, tx *txn, r directory.Role) (jsonCol, error) {
	groups := []string{}
	for _, g := range unique(r.Targets) {
		if err := mustExist(ctx, tx, idpGroupExistsSQL, g, errIdPGroupNotFound(g)); err != nil {
			return jsonCol{}, err
		}
		groups = append(groups, g)
	}
	return jsonCol{groups}, nil
}

// AssignRole stores r with a fresh id.
func (s *IdP) AssignRole(ctx context.Context, r directory.Role) (directory.Role, error) {
	if r.ID == "" {
		r.ID = directory.NewRoleID(clock.Random)
	}
	now := s.db.clk.Now()
	r.Created, r.LastUpdated = now, now
	r.Targets = unique(r.Targets)
	err := s.db.write(ctx, func(tx *txn) error { return s.insertRole(ctx, tx, r) })
	if err != nil {
		return directory.Role{}, err
	}
	return r, nil
}

func (s *IdP) insertRole(ctx context.Context, tx *txn, r directory.Role) error {
	if err := mustExist(ctx, tx, idpUserExistsSQL, r.UserID, errIdPUserNotFound(r.UserID)); err != nil {
		return err
	}
	targets, err := checkTargets(ctx, tx, r)
	if err != nil {
		return err
	}
	if _, err := exec(ctx, tx, "assign role", insertIdPRoleSQL, r.ID, r.UserID, string(r.Type), targets,
		ts(r.Created), ts(r.LastUpdated)); err != nil {
		return err
	}
	return s.event(ctx, tx, roleEvent(ctx, privilegeGrant, r))
}

// Roles lists the user's roles in id order.
func (s *IdP) Roles(ctx context.Context, userID string) ([]directory.Role, error) {
	return userRows(ctx, s.db.r, "roles", scanIdPRole, userIdPRolesSQL, userID)
}

// Role returns one of the user's roles.
func (s *IdP) Role(ctx context.Context, userID, roleID string) (directory.Role, error) {
	return idpRole(ctx, s.db.r, userID, roleID)
}

func idpRole(ctx context.Context, q querier, userID, roleID string) (directory.Role, error) {
	r, err := scanIdPRole(queryRow(ctx, q, selectIdPRoleSQL, roleID, userID))
	return r, notFound(err, "role", errRoleNotFound(roleID))
}

// UpdateRole is compare-and-swap; the id, holder and creation time cannot
// change.
func (s *IdP) UpdateRole(ctx context.Context, userID, roleID string, fn func(directory.Role) (directory.Role, error)) (directory.Role, error) {
	read := func(tx *txn) (directory.Role, error) { return idpRole(ctx, tx, userID, roleID) }
	return swap(ctx, s.db, read, fn, func(tx *txn, old directory.Role, next *directory.Role) error {
		next.ID, next.UserID, next.Created, next.LastUpdated = old.ID, old.UserID, old.Created, s.db.clk.Now()
		next.Targets = unique(next.Targets)
		targets, err := checkTargets(ctx, tx, *next)
		if err != nil {
			return err
		}
		if _, err := exec(ctx, tx, "update role", updateIdPRoleSQL, roleID, string(next.Type), targets,
			ts(next.LastUpdated)); err != nil {
			return err
		}
		return s.event(ctx, tx, roleEvent(ctx, privilegeGrant, *next))
	})
}

// RemoveRole removes one of the user's roles.
func (s *IdP) RemoveRole(ctx context.Context, userID, roleID string) error {
	return s.db.write(ctx, func(tx *txn) error {
		r, err := idpRole(ctx, tx, userID, roleID)
		if err != nil {
			return err
		}
		if r.Type == directory.SuperAdmin {
			var n int
			if err := queryRow(ctx, tx, otherSuperAdminsSQL, roleID).Scan(&n); err != nil {
				return mapErr(err, "count super administrators")
			}
			if n == 0 {
				return errs.E(errs.Invalid, "the last super administrator role cannot be removed")
			}
		}
		if _, err := exec(ctx, tx, "remove role", deleteIdPRoleSQL, roleID, userID); err != nil {
			return err
		}
		return s.event(ctx, tx, roleEvent(ctx, privilegeRevoke, r))
	})
}

// CountRoles counts assignments of role type t.
func (s *IdP) CountRoles(ctx context.Context, t directory.RoleType) (int, error) {
	var n int
	err := queryRow(ctx, s.db.r, countIdPRolesSQL, string(t)).Scan(&n)
	return n, mapErr(err, "count roles")
}

// dropRoleTarget removes group id from every role's targets. A role whose
// only target it was is removed, not widened: a targetable role with no
// targets covers every group.
func (s *IdP) dropRoleTarget(ctx context.Context, tx *txn, groupID string) error {
	roles, err := collect(ctx, tx, "targeted roles", scanIdPRole, targetedRolesSQL)
	if err != nil {
		return err
	}
	now := ts(s.db.clk.Now())
	for _, r := range roles {
		if !slices.Contains(r.Targets, groupID) {
			continue
		}
		rest := slices.DeleteFunc(r.Targets, func(g string) bool { return g == groupID })
		if len(rest) > 0 {
			_, err = exec(ctx, tx, "drop role target", setRoleTargetsSQL, r.ID, jsonCol{rest}, now)
		} else if _, err = exec(ctx, tx, "remove role", deleteRoleByIDSQL, r.ID); err == nil {
			err = s.event(ctx, tx, roleEvent(ctx, privilegeRevoke, r))
		}
		if err != nil {
			return err
		}
	}
	return nil
}
