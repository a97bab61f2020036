package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

const (
	insertRootSQL = `INSERT INTO org_roots (id, name, policy_types, created_at) VALUES ($1, $2, $3, $4)`
	selectRootSQL = `SELECT id, name, policy_types, created_at FROM org_roots ORDER BY id LIMIT 1`

	ouCols      = `id, name, parent_id, created_at`
	insertOUSQL = `INSERT INTO org_units (` + ouCols + `) VALUES ($1, $2, $3, $4)`
	selectOUSQL = `SELECT ` + ouCols + ` FROM org_units WHERE id = $1`
	updateOUSQL = `UPDATE org_units SET name = $2 WHERE id = $1`
	deleteOUSQL = `DELETE FROM org_units WHERE id = $1`
	listOUsSQL  = `SELECT ` + ouCols + ` FROM org_units WHERE parent_id = $1 AND id > $2
ORDER BY id LIMIT CAST($3 AS INTEGER)`
	countOUsSQL         = `SELECT COUNT(*) FROM org_units`
	ouHasChildSQL       = `SELECT 1 FROM org_units WHERE parent_id = $1 LIMIT 1`
	ouHasAccountSQL     = `SELECT 1 FROM accounts WHERE parent_id = $1 LIMIT 1`
	rootExistsSQL       = `SELECT 1 FROM org_roots WHERE id = $1`
	ouExistsSQL         = `SELECT 1 FROM org_units WHERE id = $1`
	accountParentSQL    = `SELECT parent_id FROM accounts WHERE id = $1`
	ouParentSQL         = `SELECT parent_id FROM org_units WHERE id = $1`
	moveAccountSQL      = `UPDATE accounts SET parent_id = $2 WHERE id = $1`
	accountsUnderSQL    = `SELECT ` + accountCols + ` FROM accounts WHERE parent_id = $1 AND id > $2 ORDER BY id LIMIT CAST($3 AS INTEGER)`
	deleteAttachedToSQL = `DELETE FROM org_attachments WHERE target_id = $1`
	deleteResTagsSQL    = `DELETE FROM org_tags WHERE resource_id = $1`
	placeAccountSQL     = `UPDATE accounts SET parent_id = COALESCE((SELECT id FROM org_roots ORDER BY id LIMIT 1), '') WHERE id = $1`
	maxTreeDepthSteps   = ic.MaxOUDepth + 2 // the account, its OUs and the root
)

// The Organizations tables' uniqueness constraints, for conflict.
func init() {
	taken["org_units.id"] = [2]string{store.ResourceOrgUnit, store.FieldID}
	taken["org_units.parent_id, org_units.name"] = [2]string{store.ResourceOrgUnit, store.FieldName}
	taken["org_policies.id"] = [2]string{store.ResourceOrgPolicy, store.FieldID}
	taken["org_policies.type, org_policies.name"] = [2]string{store.ResourceOrgPolicy, store.FieldName}
	taken["org_roots.id"] = [2]string{store.ResourceRoot, store.FieldID}
}

// insertRoot stores the organization's root with no policy type enabled,
// as a new organization's root starts.
func insertRoot(ctx context.Context, tx *txn, o ic.Organization) error {
	_, err := exec(ctx, tx, "insert root", insertRootSQL, ic.RootIDFor(o.ID), ic.RootName,
		jsonCol{[]string{}}, ts(o.CreatedAt))
	return err
}

// Root returns the organization's root.
func (db *DB) Root(ctx context.Context) (ic.Root, error) { return root(ctx, db.r) }

func root(ctx context.Context, q querier) (ic.Root, error) {
	var r ic.Root
	err := queryRow(ctx, q, selectRootSQL).Scan(&r.ID, &r.Name, jsonCol{&r.PolicyTypes}, timeCol{&r.CreatedAt})
	return r, notFound(err, "root", missing(store.ResourceRoot, ""))
}

// placeAccount puts a new account under the root and, with SCPs enabled,
// attaches FullAWSAccess to it.
func placeAccount(ctx context.Context, tx *txn, id string) error {
	if _, err := exec(ctx, tx, "place account", placeAccountSQL, id); err != nil {
		return err
	}
	return attachDefaultSCP(ctx, tx, id)
}

// CreateOrgUnit stores a new OU under an existing parent.
func (db *DB) CreateOrgUnit(ctx context.Context, ou ic.OrgUnit, tags []ic.Tag) error {
	e := audit.New(ctx, "organizations.ou.create", ic.KindOrgUnit, ou.ID)
	return db.mutate(ctx, e, func(tx *txn) error {
		if err := mustBeParent(ctx, tx, ou.ParentID); err != nil {
			return err
		}
		var n int
		if err := queryRow(ctx, tx, countOUsSQL).Scan(&n); err != nil {
			return mapErr(err, "count OUs")
		}
		if n >= ic.MaxOrgUnits {
			return errs.E(errs.Conflict, "the organization holds %d OUs", n).
				WithResource(store.ResourceOrgUnit, "").WithField(store.FieldLimit)
		}
		if _, err := exec(ctx, tx, "insert OU", insertOUSQL, ou.ID, ou.Name, ou.ParentID, ts(ou.CreatedAt)); err != nil {
			return err
		}
		if err := putTags(ctx, tx, ou.ID, tags); err != nil {
			return err
		}
		return attachDefaultSCP(ctx, tx, ou.ID)
	})
}

// mustBeParent returns errs.NotFound ResourceParent unless id is the root
// or an OU.
func mustBeParent(ctx context.Context, q querier, id string) error {
	found, err := isParent(ctx, q, id)
	if err != nil || found {
		return err
	}
	return missing(store.ResourceParent, id)
}

func isParent(ctx context.Context, q querier, id string) (bool, error) {
	switch ic.OrgKindOf(id) {
	case ic.KindRoot:
		return exists(ctx, q, rootExistsSQL, id)
	case ic.KindOrgUnit:
		return exists(ctx, q, ouExistsSQL, id)
	}
	return false, nil
}

// OrgUnit returns an OU.
func (db *DB) OrgUnit(ctx context.Context, id string) (ic.OrgUnit, error) {
	return orgUnit(ctx, db.r, id)
}

func orgUnit(ctx context.Context, q querier, id string) (ic.OrgUnit, error) {
	ou, err := scanOU(queryRow(ctx, q, selectOUSQL, id))
	return ou, notFound(err, "OU", missing(store.ResourceOrgUnit, id))
}

func scanOU(s scanner) (ic.OrgUnit, error) {
	var ou ic.OrgUnit
	err := s.Scan(&ou.ID, &ou.Name, &ou.ParentID, timeCol{&ou.CreatedAt})
	return ou, err
}

// UpdateOrgUnit renames an OU, compare-and-swap.
func (db *DB) UpdateOrgUnit(ctx context.Context, id string, fn func(ic.OrgUnit) (ic.OrgUnit, error)) (ic.OrgUnit, error) {
	e := audit.New(ctx, "organizations.ou.update", ic.KindOrgUnit, id)
	return update(ctx, db, e,
		func(tx *txn) (ic.OrgUnit, error) { return orgUnit(ctx, tx, id) }, fn,
		func(tx *txn, old ic.OrgUnit, ou *ic.OrgUnit) error {
			ou.ID, ou.ParentID, ou.CreatedAt = old.ID, old.ParentID, old.CreatedAt
			_, err := exec(ctx, tx, "update OU", updateOUSQL, ou.ID, ou.Name)
			return err
		})
}

// DeleteOrgUnit removes an empty OU with its tags and attachments.
func (db *DB) DeleteOrgUnit(ctx context.Context, id string) error {
	e := audit.New(ctx, "organizations.ou.delete", ic.KindOrgUnit, id)
	return db.mutate(ctx, e, func(tx *txn) error {
		if err := mustExist(ctx, tx, ouExistsSQL, id, missing(store.ResourceOrgUnit, id)); err != nil {
			return err
		}
		for _, q := range []string{ouHasChildSQL, ouHasAccountSQL} {
			busy, err := exists(ctx, tx, q, id)
			if err != nil {
				return err
			}
			if busy {
				return errs.E(errs.Conflict, "OU %s is not empty", id).
					WithResource(store.ResourceOrgUnit, id).WithField(store.FieldInUse)
			}
		}
		for _, q := range []string{deleteAttachedToSQL, deleteResTagsSQL, deleteOUSQL} {
			if _, err := exec(ctx, tx, "delete OU", q, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// ListOrgUnits pages the OUs directly under a parent.
func (db *DB) ListOrgUnits(ctx context.Context, parentID string, p store.Page) ([]ic.OrgUnit, string, error) {
	return pageUnder(ctx, db, "ous:"+parentID, parentID, p, scanOU, listOUsSQL,
		func(ou ic.OrgUnit) []string { return []string{ou.ID} })
}

// ListAccountsForParent pages the accounts directly under a parent.
func (db *DB) ListAccountsForParent(ctx context.Context, parentID string, p store.Page) ([]ic.Account, string, error) {
	return pageUnder(ctx, db, "accounts:"+parentID, parentID, p, scanAccount, accountsUnderSQL, accountKey)
}

// pageUnder pages a list of what sits under parentID after checking the
// parent exists.
func pageUnder[T any](ctx context.Context, db *DB, list, parentID string, p store.Page,
	scan func(scanner) (T, error), query string, key func(T) []string) ([]T, string, error) {
	cur, err := decodeCursor(list, p, 1)
	if err != nil {
		return nil, "", err
	}
	if err := mustBeParent(ctx, db.r, parentID); err != nil {
		return nil, "", err
	}
	pq := pageQuery[T]{list: list, scan: scan, key: key, limit: p.Limit}
	return pq.run(ctx, db.r, query, parentID, cur[0], p.Limit+1)
}

// ParentOf returns the root or OU holding an account or OU.
func (db *DB) ParentOf(ctx context.Context, childID string) (string, error) {
	return parentOf(ctx, db.r, childID)
}

func parentOf(ctx context.Context, q querier, childID string) (string, error) {
	var parent string
	if ic.OrgKindOf(childID) == ic.KindOrgUnit {
		err := queryRow(ctx, q, ouParentSQL, childID).Scan(&parent)
		return parent, notFound(err, "OU parent", missing(store.ResourceOrgUnit, childID))
	}
	err := queryRow(ctx, q, accountParentSQL, childID).Scan(&parent)
	return parent, notFound(err, "account parent", errAccountNotFound(childID))
}

// PathOf returns the ids from the root down to id.
func (db *DB) PathOf(ctx context.Context, id string) ([]string, error) { return pathOf(ctx, db.r, id) }

func pathOf(ctx context.Context, q querier, id string) ([]string, error) {
	path := []string{id}
	for cur := id; ic.OrgKindOf(cur) != ic.KindRoot; {
		parent, err := parentOf(ctx, q, cur)
		if err != nil {
			return nil, err
		}
		if parent == "" || len(path) > maxTreeDepthSteps {
			break // an account stored before any root
		}
		path = append([]string{parent}, path...)
		cur = parent
	}
	return path, nil
}

// MoveAccount moves an account between parents.
func (db *DB) MoveAccount(ctx context.Context, accountID, sourceParentID, destParentID string) error {
	e := audit.New(ctx, "organizations.account.move", ic.KindAccount, accountID)
	if e.Detail == nil {
		e.Detail = map[string]string{}
	}
	e.Detail["from"], e.Detail["to"] = sourceParentID, destParentID
	return db.mutate(ctx, e, func(tx *txn) error {
		current, err := parentOf(ctx, tx, accountID)
		if err != nil {
			return err
		}
		if err := mustBeParent(ctx, tx, sourceParentID); err != nil {
			return err
		}
		if err := mustBeParent(ctx, tx, destParentID); err != nil {
			return err
		}
		if current != sourceParentID {
			return missing(store.ResourceParent, sourceParentID)
		}
		if current == destParentID {
			return errs.E(errs.Conflict, "account %s is already under %s", accountID, destParentID).
				WithResource(store.ResourceAccount, accountID).WithField(store.FieldParent)
		}
		_, err = exec(ctx, tx, "move account", moveAccountSQL, accountID, destParentID)
		return err
	})
}
