package sqlstore

import (
	"context"
	"strings"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// effectiveAppUsersSQL is every person assigned to app $3 with user id
// above $1, directly or through an assigned group, one row each: a direct
// assignment wins (its times are the row's); through groups, a person is
// assigned from when both the group's assignment and their membership
// existed, by the earliest group. $4, when not empty, picks one person.
const effectiveAppUsersSQL = `WITH eff AS (
 SELECT d.user_id, 'USER' AS scope, d.created, d.last_updated FROM idp_app_users d
 WHERE d.app_id = $3 AND d.user_id > $1 AND ($4 = '' OR d.user_id = $4)
 UNION ALL
 SELECT m.user_id, 'GROUP' AS scope,
  CASE WHEN g.created > m.created THEN g.created ELSE m.created END AS created,
  CASE WHEN g.last_updated > m.created THEN g.last_updated ELSE m.created END AS last_updated
 FROM idp_app_groups g JOIN idp_memberships m ON m.group_id = g.group_id
 WHERE g.app_id = $3 AND m.user_id > $1 AND ($4 = '' OR m.user_id = $4)
)
SELECT user_id, MAX(scope),
 CASE WHEN MAX(scope) = 'USER' THEN MAX(CASE WHEN scope = 'USER' THEN created END) ELSE MIN(created) END,
 CASE WHEN MAX(scope) = 'USER' THEN MAX(CASE WHEN scope = 'USER' THEN last_updated END) ELSE MIN(last_updated) END
FROM eff GROUP BY user_id ORDER BY user_id LIMIT CAST($2 AS INTEGER)`

// effectiveAppUserSQL is effectiveAppUsersSQL for one user ($4), driven
// from the user's own memberships (CROSS JOIN fixes SQLite's join order;
// PostgreSQL plans it as an inner join): starting from the app's groups
// probed every assigned group for each lookup, and reading every member
// of them before that, which made a push cost people × groups.
var effectiveAppUserSQL = strings.NewReplacer(
	"($4 = '' OR d.user_id = $4)", "d.user_id = $4",
	"FROM idp_app_groups g JOIN idp_memberships m ON m.group_id = g.group_id\n WHERE g.app_id = $3 AND m.user_id > $1 AND ($4 = '' OR m.user_id = $4)",
	"FROM idp_memberships m CROSS JOIN idp_app_groups g\n WHERE m.user_id = $4 AND g.group_id = m.group_id AND g.app_id = $3 AND m.user_id > $1",
).Replace(effectiveAppUsersSQL)

const (
	insertAppUserSQL = `INSERT INTO idp_app_users (app_id, user_id, created, last_updated) VALUES ($1, $2, $3, $3)
ON CONFLICT (app_id, user_id) DO NOTHING`
	deleteAppUserSQL = `DELETE FROM idp_app_users WHERE app_id = $1 AND user_id = $2`
	userAppsSQL      = `SELECT ` + idpAppCols + ` FROM idp_apps a
WHERE EXISTS (SELECT 1 FROM idp_app_users d WHERE d.app_id = a.id AND d.user_id = $1)
 OR EXISTS (SELECT 1 FROM idp_app_groups g JOIN idp_memberships m ON m.group_id = g.group_id
  WHERE g.app_id = a.id AND m.user_id = $1)
ORDER BY a.label, a.id`
)

func errAppUserNotFound(userID string) *errs.Error {
	return missing(store.ResourceAppUser, userID)
}

// AssignUser assigns the user to the app directly; assigning again changes
// nothing and writes nothing.
func (s *IdP) AssignUser(ctx context.Context, appID, userID string) (directory.AppUser, error) {
	var au directory.AppUser
	err := s.db.write(ctx, func(tx *txn) error {
		a, err := idpApp(ctx, tx, appID)
		if err != nil {
			return err
		}
		if err := mustExist(ctx, tx, idpUserExistsSQL, userID, errIdPUserNotFound(userID)); err != nil {
			return err
		}
		n, err := affected(ctx, tx, "assign user", insertAppUserSQL, appID, userID, ts(s.db.clk.Now()))
		if err != nil {
			return err
		}
		if au, err = effectiveAppUser(ctx, tx, appID, userID); err != nil || n == 0 {
			return err
		}
		return s.assignmentChanged(ctx, tx, "application.user_membership.add", a,
			directory.Change{Kind: directory.AppUserAssigned, UserID: userID}, "user "+userID)
	})
	return au, err
}

// assignmentChanged records an assignment or push change of app a on the
// feed (c with AppID set) and the log.
func (s *IdP) assignmentChanged(ctx context.Context, tx *txn, action string, a directory.App, c directory.Change, msg string) error {
	c.AppID = a.ID
	if err := s.appendChange(ctx, tx, c); err != nil {
		return err
	}
	e := appEvent(ctx, action, a)
	e.Message = msg
	return s.event(ctx, tx, e)
}

// UnassignUser removes the user's direct assignment; one through a group
// stays.
func (s *IdP) UnassignUser(ctx context.Context, appID, userID string) error {
	return s.db.write(ctx, func(tx *txn) error {
		a, err := idpApp(ctx, tx, appID)
		if err != nil {
			return err
		}
		n, err := affected(ctx, tx, "unassign user", deleteAppUserSQL, appID, userID)
		if err != nil {
			return err
		}
		if n == 0 {
			return errAppUserNotFound(userID)
		}
		return s.assignmentChanged(ctx, tx, "application.user_membership.remove", a,
			directory.Change{Kind: directory.AppUserUnassigned, UserID: userID}, "user "+userID)
	})
}

func scanAppUser(appID string) func(scanner) (directory.AppUser, error) {
	return func(s scanner) (directory.AppUser, error) {
		au := directory.AppUser{AppID: appID}
		err := s.Scan(&au.UserID, &au.Scope, timeCol{&au.Created}, timeCol{&au.LastUpdated})
		return au, err
	}
}

func effectiveAppUser(ctx context.Context, q querier, appID, userID string) (directory.AppUser, error) {
	if userID == "" {
		return directory.AppUser{}, errAppUserNotFound(userID)
	}
	au, err := scanAppUser(appID)(queryRow(ctx, q, effectiveAppUserSQL, "", 1, appID, userID))
	return au, notFound(err, "app user", errAppUserNotFound(userID))
}

// AppUser is the person's effective assignment to the app.
func (s *IdP) AppUser(ctx context.Context, appID, userID string) (directory.AppUser, error) {
	if err := mustExist(ctx, s.db.r, idpAppExistsSQL, appID, errAppNotFound(appID)); err != nil {
		return directory.AppUser{}, err
	}
	return effectiveAppUser(ctx, s.db.r, appID, userID)
}

// ListAppUsers pages the app's effective assignments in user-id order.
func (s *IdP) ListAppUsers(ctx context.Context, appID string, p store.Page) ([]directory.AppUser, string, error) {
	list := listName("idp-app-users", appID)
	cur, err := decodeCursor(list, p, 1)
	if err != nil {
		return nil, "", err
	}
	if err := mustExist(ctx, s.db.r, idpAppExistsSQL, appID, errAppNotFound(appID)); err != nil {
		return nil, "", err
	}
	pq := pageQuery[directory.AppUser]{list: list, scan: scanAppUser(appID), limit: p.Limit,
		key: func(au directory.AppUser) []string { return []string{au.UserID} }}
	return pq.run(ctx, s.db.r, effectiveAppUsersSQL, cur[0], p.Limit+1, appID, "")
}

// UserApps lists the apps the user is effectively assigned to, by label.
func (s *IdP) UserApps(ctx context.Context, userID string) ([]directory.App, error) {
	return userRows(ctx, s.db.r, "user apps", scanIdPApp, userAppsSQL, userID)
}
