package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

const (
	appGroupCols      = `app_id, group_id, priority, created, last_updated`
	selectAppGroupSQL = `SELECT ` + appGroupCols + ` FROM idp_app_groups WHERE app_id = $1 AND group_id = $2`
	insertAppGroupSQL = `INSERT INTO idp_app_groups (app_id, group_id, priority, created, last_updated)
VALUES ($1, $2, $3, $4, $4)`
	setAppGroupSQL    = `UPDATE idp_app_groups SET priority = $3, last_updated = $4 WHERE app_id = $1 AND group_id = $2`
	deleteAppGroupSQL = `DELETE FROM idp_app_groups WHERE app_id = $1 AND group_id = $2`
	listAppGroupsSQL  = `SELECT ` + appGroupCols + ` FROM idp_app_groups WHERE app_id = $3 AND group_id > $1
ORDER BY group_id LIMIT CAST($2 AS INTEGER)`
	insertPushSQL = `INSERT INTO idp_group_pushes (app_id, group_id, created) VALUES ($1, $2, $3)
ON CONFLICT (app_id, group_id) DO NOTHING`
	selectPushSQL = `SELECT app_id, group_id, created FROM idp_group_pushes WHERE app_id = $1 AND group_id = $2`
	deletePushSQL = `DELETE FROM idp_group_pushes WHERE app_id = $1 AND group_id = $2`
	listPushesSQL = `SELECT app_id, group_id, created FROM idp_group_pushes WHERE app_id = $1 ORDER BY group_id`
)

func errAppGroupNotFound(groupID string) *errs.Error {
	return missing(store.ResourceAppGroup, groupID)
}

func scanAppGroup(s scanner) (directory.AppGroup, error) {
	var g directory.AppGroup
	err := s.Scan(&g.AppID, &g.GroupID, &g.Priority, timeCol{&g.Created}, timeCol{&g.LastUpdated})
	return g, err
}

func scanPush(s scanner) (directory.GroupPush, error) {
	var p directory.GroupPush
	err := s.Scan(&p.AppID, &p.GroupID, timeCol{&p.Created})
	return p, err
}

// appAndGroup reads the app and checks the group exists, in tx.
func appAndGroup(ctx context.Context, tx *txn, appID, groupID string) (directory.App, error) {
	a, err := idpApp(ctx, tx, appID)
	if err != nil {
		return a, err
	}
	return a, mustExist(ctx, tx, idpGroupExistsSQL, groupID, errIdPGroupNotFound(groupID))
}

// AssignGroup assigns the group, or sets the priority of its assignment
// (event "application.group_membership.update", no change on the feed:
// priority does not change who is assigned). The same priority again
// writes nothing.
func (s *IdP) AssignGroup(ctx context.Context, g directory.AppGroup) (directory.AppGroup, error) {
	var out directory.AppGroup
	err := s.db.write(ctx, func(tx *txn) error {
		a, err := appAndGroup(ctx, tx, g.AppID, g.GroupID)
		if err != nil {
			return err
		}
		now := s.db.clk.Now()
		old, err := scanAppGroup(queryRow(ctx, tx, selectAppGroupSQL, g.AppID, g.GroupID))
		switch {
		case err == nil && old.Priority == g.Priority:
			out = old
			return nil
		case err == nil:
			out = old
			out.Priority, out.LastUpdated = g.Priority, now
			if _, err := exec(ctx, tx, "set app group", setAppGroupSQL, g.AppID, g.GroupID, g.Priority, ts(now)); err != nil {
				return err
			}
			e := appEvent(ctx, "application.group_membership.update", a)
			e.Message = "group " + g.GroupID
			return s.event(ctx, tx, e)
		case !errors.Is(err, sql.ErrNoRows):
			return mapErr(err, "app group")
		}
		out = directory.AppGroup{AppID: g.AppID, GroupID: g.GroupID, Priority: g.Priority, Created: now, LastUpdated: now}
		if _, err := exec(ctx, tx, "assign group", insertAppGroupSQL, g.AppID, g.GroupID, g.Priority, ts(now)); err != nil {
			return err
		}
		return s.assignmentChanged(ctx, tx, "application.group_membership.add", a,
			directory.Change{Kind: directory.AppGroupAssigned, GroupID: g.GroupID}, "group "+g.GroupID)
	})
	return out, err
}

// UnassignGroup removes the group's assignment; its members stay assigned
// only if assigned otherwise.
func (s *IdP) UnassignGroup(ctx context.Context, appID, groupID string) error {
	return s.db.write(ctx, func(tx *txn) error {
		a, err := idpApp(ctx, tx, appID)
		if err != nil {
			return err
		}
		n, err := affected(ctx, tx, "unassign group", deleteAppGroupSQL, appID, groupID)
		if err != nil {
			return err
		}
		if n == 0 {
			return errAppGroupNotFound(groupID)
		}
		return s.assignmentChanged(ctx, tx, "application.group_membership.remove", a,
			directory.Change{Kind: directory.AppGroupRemoved, GroupID: groupID}, "group "+groupID)
	})
}

// AppGroup returns the group's assignment to the app.
func (s *IdP) AppGroup(ctx context.Context, appID, groupID string) (directory.AppGroup, error) {
	if err := mustExist(ctx, s.db.r, idpAppExistsSQL, appID, errAppNotFound(appID)); err != nil {
		return directory.AppGroup{}, err
	}
	g, err := scanAppGroup(queryRow(ctx, s.db.r, selectAppGroupSQL, appID, groupID))
	return g, notFound(err, "app group", errAppGroupNotFound(groupID))
}

// ListAppGroups pages the app's assigned groups in group-id order.
func (s *IdP) ListAppGroups(ctx context.Context, appID string, p store.Page) ([]directory.AppGroup, string, error) {
	list := listName("idp-app-groups", appID)
	cur, err := decodeCursor(list, p, 1)
	if err != nil {
		return nil, "", err
	}
	if err := mustExist(ctx, s.db.r, idpAppExistsSQL, appID, errAppNotFound(appID)); err != nil {
		return nil, "", err
	}
	pq := pageQuery[directory.AppGroup]{list: list, scan: scanAppGroup, limit: p.Limit,
		key: func(g directory.AppGroup) []string { return []string{g.GroupID} }}
	return pq.run(ctx, s.db.r, listAppGroupsSQL, cur[0], p.Limit+1, appID)
}

// PushGroup starts pushing the group; pushing it again writes nothing.
func (s *IdP) PushGroup(ctx context.Context, appID, groupID string) (directory.GroupPush, error) {
	var out directory.GroupPush
	err := s.db.write(ctx, func(tx *txn) error {
		a, err := appAndGroup(ctx, tx, appID, groupID)
		if err != nil {
			return err
		}
		n, err := affected(ctx, tx, "push group", insertPushSQL, appID, groupID, ts(s.db.clk.Now()))
		if err != nil {
			return err
		}
		if out, err = scanPush(queryRow(ctx, tx, selectPushSQL, appID, groupID)); err != nil || n == 0 {
			return mapErr(err, "group push")
		}
		return s.assignmentChanged(ctx, tx, "application.provision.group_push.push", a,
			directory.Change{Kind: directory.AppGroupPushed, GroupID: groupID}, "group "+groupID)
	})
	return out, err
}

// UnpushGroup stops pushing the group.
func (s *IdP) UnpushGroup(ctx context.Context, appID, groupID string) error {
	return s.db.write(ctx, func(tx *txn) error {
		a, err := idpApp(ctx, tx, appID)
		if err != nil {
			return err
		}
		n, err := affected(ctx, tx, "unpush group", deletePushSQL, appID, groupID)
		if err != nil {
			return err
		}
		if n == 0 {
			return missing(store.ResourceGroupPush, groupID)
		}
		return s.assignmentChanged(ctx, tx, "application.provision.group_push.unlink", a,
			directory.Change{Kind: directory.AppGroupUnpushed, GroupID: groupID}, "group "+groupID)
	})
}

// ListGroupPushes lists the app's pushed groups in group-id order.
func (s *IdP) ListGroupPushes(ctx context.Context, appID string) ([]directory.GroupPush, error) {
	if err := mustExist(ctx, s.db.r, idpAppExistsSQL, appID, errAppNotFound(appID)); err != nil {
		return nil, err
	}
	return collect(ctx, s.db.r, "group pushes", scanPush, listPushesSQL, appID)
}
