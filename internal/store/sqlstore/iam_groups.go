package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

const (
	iamGroupCols      = `id, account_id, name, path, created_at`
	insertIAMGroupSQL = `INSERT INTO iam_groups (id, account_id, name, name_norm, path, created_at)
VALUES ($1, $2, $3, $4, $5, $6)`
	iamGroupByNameSQL = `SELECT ` + iamGroupCols + ` FROM iam_groups WHERE account_id = $1 AND name_norm = $2`
	iamGroupByIDSQL   = `SELECT ` + iamGroupCols + ` FROM iam_groups WHERE id = $1`
	listIAMGroupsSQL  = `SELECT ` + iamGroupCols + ` FROM iam_groups WHERE account_id = $1 AND substr(path, 1, $2) = $3
	AND name_norm > $4 ORDER BY name_norm LIMIT CAST($5 AS INTEGER)`
	updateIAMGroupSQL = `UPDATE iam_groups SET name = $2, name_norm = $3, path = $4 WHERE id = $1`
	deleteIAMGroupSQL = `DELETE FROM iam_groups WHERE id = $1`

	addIAMMemberSQL = `INSERT INTO iam_group_members (group_id, user_id) VALUES ($1, $2)
ON CONFLICT (group_id, user_id) DO NOTHING`
	countIAMUserGroupsSQL = `SELECT COUNT(*) FROM iam_group_members WHERE user_id = $1 AND group_id <> $2`
	removeIAMMemberSQL    = `DELETE FROM iam_group_members WHERE group_id = $1 AND user_id = $2`
	listIAMMembersSQL     = `SELECT u.id, u.account_id, u.name, u.path, u.boundary, u.tags, u.created_at
FROM iam_group_members m JOIN iam_users u ON u.id = m.user_id
WHERE m.group_id = $1 AND u.name_norm > $2 ORDER BY u.name_norm LIMIT CAST($3 AS INTEGER)`
	listIAMUserGroupsSQL = `SELECT g.id, g.account_id, g.name, g.path, g.created_at
FROM iam_group_members m JOIN iam_groups g ON g.id = m.group_id
WHERE m.user_id = $1 AND g.name_norm > $2 ORDER BY g.name_norm LIMIT CAST($3 AS INTEGER)`
	targetIAMGroup = "IAM_GROUP"
)

func errIAMGroupNotFound(id string) *errs.Error { return missing(store.ResourceIAMGroup, id) }

func scanIAMGroup(s scanner) (iam.Group, error) {
	var g iam.Group
	err := s.Scan(&g.ID, &g.AccountID, &g.Name, &g.Path, timeCol{&g.CreatedAt})
	return g, err
}

func iamGroupKey(g iam.Group) []string { return []string{norm(g.Name)} }

// CreateIAMGroup stores g.
func (db *DB) CreateIAMGroup(ctx context.Context, g iam.Group) error {
	if g.ID == "" || g.AccountID == "" || g.Name == "" {
		return required("an IAM group's id, account and name")
	}
	e := audit.New(ctx, "iam.group.create", targetIAMGroup, g.ID)
	return db.mutate(ctx, e, func(tx *txn) error {
		_, err := exec(ctx, tx, "create iam group", insertIAMGroupSQL, g.ID, g.AccountID, g.Name, norm(g.Name), g.Path, ts(g.CreatedAt))
		return named(err, store.ResourceIAMGroup, store.FieldName)
	})
}

// IAMGroup finds a group by name, case-insensitively.
func (db *DB) IAMGroup(ctx context.Context, accountID, name string) (iam.Group, error) {
	g, err := scanIAMGroup(queryRow(ctx, db.r, iamGroupByNameSQL, accountID, norm(name)))
	return g, notFound(err, "iam group", errIAMGroupNotFound(name))
}

func iamGroupByID(ctx context.Context, q querier, id string) (iam.Group, error) {
	g, err := scanIAMGroup(queryRow(ctx, q, iamGroupByIDSQL, id))
	return g, notFound(err, "iam group", errIAMGroupNotFound(id))
}

// ListIAMGroups pages the account's groups under pathPrefix by name.
func (db *DB) ListIAMGroups(ctx context.Context, accountID, pathPrefix string, p store.Page) ([]iam.Group, string, error) {
	pq := pageQuery[iam.Group]{list: "iam_groups", scan: scanIAMGroup, key: iamGroupKey, limit: p.Limit}
	return listUnder(ctx, db, pq, listIAMGroupsSQL, accountID, pathPrefix, p)
}

// UpdateIAMGroup is compare-and-swap over the name and path.
func (db *DB) UpdateIAMGroup(ctx context.Context, id string, fn func(iam.Group) (iam.Group, error)) (iam.Group, error) {
	e := audit.New(ctx, "iam.group.update", targetIAMGroup, id)
	read := func(tx *txn) (iam.Group, error) { return iamGroupByID(ctx, tx, id) }
	write := func(tx *txn, old iam.Group, g *iam.Group) error {
		g.ID, g.AccountID, g.CreatedAt = old.ID, old.AccountID, old.CreatedAt
		_, err := exec(ctx, tx, "update iam group", updateIAMGroupSQL, id, g.Name, norm(g.Name), g.Path)
		return named(err, store.ResourceIAMGroup, store.FieldName)
	}
	return update(ctx, db, e, read, fn, write)
}

// DeleteIAMGroup deletes a group with no members or policies.
func (db *DB) DeleteIAMGroup(ctx context.Context, id string) error {
	e := audit.New(ctx, "iam.group.delete", targetIAMGroup, id)
	return db.mutate(ctx, e, func(tx *txn) error {
		if _, err := iamGroupByID(ctx, tx, id); err != nil {
			return err
		}
		if err := unused(ctx, tx, id, groupDependents); err != nil {
			return err
		}
		_, err := exec(ctx, tx, "delete iam group", deleteIAMGroupSQL, id)
		return err
	})
}

// AddIAMGroupMember puts the user in the group (a member already is one).
func (db *DB) AddIAMGroupMember(ctx context.Context, groupID, userID string) error {
	e := audit.New(ctx, "iam.group.member.add", targetIAMGroup, groupID)
	e.Message = userID
	return db.mutate(ctx, e, func(tx *txn) error {
		if _, err := iamGroupByID(ctx, tx, groupID); err != nil {
			return err
		}
		if _, err := iamUserByID(ctx, tx, userID); err != nil {
			return err
		}
		if err := belowQuota(ctx, tx, countIAMUserGroupsSQL, iam.MaxGroupsPerUser, store.ResourceIAMMember, userID, groupID); err != nil {
			return err
		}
		_, err := exec(ctx, tx, "add iam group member", addIAMMemberSQL, groupID, userID)
		return err
	})
}

// RemoveIAMGroupMember takes the user out of the group.
func (db *DB) RemoveIAMGroupMember(ctx context.Context, groupID, userID string) error {
	e := audit.New(ctx, "iam.group.member.remove", targetIAMGroup, groupID)
	e.Message = userID
	return db.mutate(ctx, e, func(tx *txn) error {
		return changeRow(ctx, tx, missing(store.ResourceIAMMember, userID), "remove iam group member",
			removeIAMMemberSQL, groupID, userID)
	})
}

// ListIAMGroupMembers pages the group's users by name.
func (db *DB) ListIAMGroupMembers(ctx context.Context, groupID string, p store.Page) ([]iam.User, string, error) {
	list := listName("iam_group_members", groupID)
	cur, err := decodeCursor(list, p, 1)
	if err != nil {
		return nil, "", err
	}
	pq := pageQuery[iam.User]{list: list, scan: scanIAMUser, key: iamUserKey, limit: p.Limit}
	return pq.run(ctx, db.r, listIAMMembersSQL, groupID, cur[0], p.Limit+1)
}

// ListIAMGroupsForUser pages the user's groups by name.
func (db *DB) ListIAMGroupsForUser(ctx context.Context, userID string, p store.Page) ([]iam.Group, string, error) {
	list := listName("iam_user_groups", userID)
	cur, err := decodeCursor(list, p, 1)
	if err != nil {
		return nil, "", err
	}
	pq := pageQuery[iam.Group]{list: list, scan: scanIAMGroup, key: iamGroupKey, limit: p.Limit}
	return pq.run(ctx, db.r, listIAMUserGroupsSQL, userID, cur[0], p.Limit+1)
}
