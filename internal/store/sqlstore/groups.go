package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

const (
	groupCols      = `g.id, g.display_name, g.description, g.external_ids, g.created_at, g.updated_at, g.created_by, g.updated_by`
	insertGroupSQL = `INSERT INTO groups (id, display_name, display_name_norm, description, external_ids,
	created_at, updated_at, created_by, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	updateGroupSQL = `UPDATE groups SET display_name = $2, display_name_norm = $3, description = $4,
	external_ids = $5, created_at = $6, updated_at = $7, created_by = $8, updated_by = $9 WHERE id = $1`
	deleteGroupSQL = `DELETE FROM groups WHERE id = $1`
	selectGroupSQL = `SELECT ` + groupCols + ` FROM groups g WHERE g.id = $1`
	// A name lookup binds the folded name whole and as its key (see
	// Dialect.key): a long name PostgreSQL compressed into its index
	// before keys were used is stored whole.
	groupByNameSQL     = `SELECT ` + groupCols + ` FROM groups g WHERE g.display_name_norm IN ($1, $2)`
	groupNameHeldSQL   = `SELECT 1 FROM groups WHERE display_name_norm = $1 AND id <> $2`
	groupByExternalSQL = `SELECT ` + groupCols + ` FROM group_external_ids x JOIN groups g ON g.id = x.group_id
WHERE x.issuer = $1 AND x.external_id = $2`
	listGroupsSQL       = `SELECT ` + groupCols + ` FROM groups g WHERE g.id > $1 ORDER BY g.id LIMIT CAST($2 AS INTEGER)`
	listGroupsByNameSQL = `SELECT ` + groupCols + ` FROM groups g WHERE g.display_name_norm IN ($3, $4) AND g.id > $1
ORDER BY g.id LIMIT CAST($2 AS INTEGER)`
)

func errGroupNotFound(id string) *errs.Error {
	return missing(store.ResourceGroup, id)
}

// CreateGroup stores a new group; a taken display name is errs.Conflict.
func (db *DB) CreateGroup(ctx context.Context, g ic.Group) error {
	e := audit.New(ctx, "identitystore.group.create", "GROUP", g.ID)
	return db.mutate(ctx, e, func(tx *txn) error { return writeGroup(ctx, tx, insertGroupSQL, g) })
}

// writeGroup inserts or updates (per query) g and rewrites its external ids.
func writeGroup(ctx context.Context, tx *txn, query string, g ic.Group) error {
	name := ic.NormalizeName(g.DisplayName)
	if key := tx.d.key(name); key != name { // the unique index sees only the key
		err := queryRow(ctx, tx, groupNameHeldSQL, name, g.ID).Scan(new(int))
		if err == nil {
			return conflict("groups.display_name_norm")
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return mapErr(err, "write group")
		}
	}
	if _, err := exec(ctx, tx, "write group", query, g.ID, g.DisplayName,
		tx.d.key(name), g.Description, jsonCol{g.ExternalIDs},
		ts(g.CreatedAt), ts(g.UpdatedAt), g.CreatedBy, g.UpdatedBy); err != nil {
		return err
	}
	return writeExternalIDs(ctx, tx, groupExternalIDs, g.ID, g.ExternalIDs)
}

// Group returns a group.
func (db *DB) Group(ctx context.Context, id string) (ic.Group, error) {
	return group(ctx, db.r, id)
}

func group(ctx context.Context, q querier, id string) (ic.Group, error) {
	g, err := scanGroup(queryRow(ctx, q, selectGroupSQL, id))
	return g, notFound(err, "group", errGroupNotFound(id))
}

// GroupByName finds a group by display name, case-insensitively.
func (db *DB) GroupByName(ctx context.Context, displayName string) (ic.Group, error) {
	g, err := scanGroup(queryRow(ctx, db.r, groupByNameSQL, ic.NormalizeName(displayName), db.d.key(ic.NormalizeName(displayName))))
	return g, notFound(err, "group by name", errGroupNotFound(""))
}

// GroupByExternalID finds the group linked to an external identity.
func (db *DB) GroupByExternalID(ctx context.Context, x ic.ExternalID) (ic.Group, error) {
	g, err := scanGroup(queryRow(ctx, db.r, groupByExternalSQL, x.Issuer, x.ID))
	return g, notFound(err, "group by external id", errGroupNotFound(""))
}

func scanGroup(s scanner) (ic.Group, error) {
	var g ic.Group
	err := s.Scan(&g.ID, &g.DisplayName, &g.Description, jsonCol{&g.ExternalIDs},
		timeCol{&g.CreatedAt}, timeCol{&g.UpdatedAt}, &g.CreatedBy, &g.UpdatedBy)
	return g, err
}

// ListGroups pages groups in id order.
func (db *DB) ListGroups(ctx context.Context, f store.GroupFilter, p store.Page) ([]ic.Group, string, error) {
	pq := pageQuery[ic.Group]{list: listName("groups", ic.NormalizeName(f.DisplayName)), scan: scanGroup,
		key: func(g ic.Group) []string { return []string{g.ID} }}
	if f.DisplayName != "" {
		return pq.page(ctx, db.r, p, listGroupsByNameSQL, ic.NormalizeName(f.DisplayName), db.d.key(ic.NormalizeName(f.DisplayName)))
	}
	return pq.page(ctx, db.r, p, listGroupsSQL)
}

// UpdateGroup is compare-and-swap; the id cannot change.
func (db *DB) UpdateGroup(ctx context.Context, id string, fn func(ic.Group) (ic.Group, error)) (ic.Group, error) {
	e := audit.New(ctx, "identitystore.group.update", "GROUP", id)
	return update(ctx, db, e,
		func(tx *txn) (ic.Group, error) { return group(ctx, tx, id) }, fn,
		func(tx *txn, _ ic.Group, g *ic.Group) error {
			g.ID = id
			return writeGroup(ctx, tx, updateGroupSQL, *g)
		})
}

// DeleteGroup removes the group, its assignments (and roles they leave
// unused) and, by ON DELETE CASCADE, its memberships and external ids.
func (db *DB) DeleteGroup(ctx context.Context, id string) error {
	e := audit.New(ctx, "identitystore.group.delete", "GROUP", id)
	return db.mutate(ctx, e, func(tx *txn) error {
		if err := deletePrincipalAssignments(ctx, tx, ic.PrincipalGroup, id); err != nil {
			return err
		}
		return changeRow(ctx, tx, errGroupNotFound(id), "delete group", deleteGroupSQL, id)
	})
}
