package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

const (
	psCols = `ps.id, ps.instance_id, ps.name, ps.description, ps.session_duration, ps.relay_state,
	ps.tags, ps.managed_policies, ps.inline_policy, ps.version, ps.created_at,
	ps.customer_policies, ps.permissions_boundary`
	insertPSSQL = `INSERT INTO permission_sets (id, instance_id, name, description, session_duration,
	relay_state, tags, managed_policies, inline_policy, version, created_at, customer_policies,
	permissions_boundary) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`
	updatePSSQL = `UPDATE permission_sets SET instance_id = $2, name = $3, description = $4,
	session_duration = $5, relay_state = $6, tags = $7, managed_policies = $8, inline_policy = $9,
	version = $10, created_at = $11, customer_policies = $12, permissions_boundary = $13 WHERE id = $1`
	selectPSSQL     = `SELECT ` + psCols + ` FROM permission_sets ps WHERE ps.id = $1`
	listPSSQL       = `SELECT ` + psCols + ` FROM permission_sets ps WHERE ps.id > $1 ORDER BY ps.id LIMIT CAST($2 AS INTEGER)`
	psInUseSQL      = `SELECT 1 FROM assignments WHERE permission_set_id = $1 LIMIT 1`
	deletePSRoleSQL = `DELETE FROM roles WHERE permission_set_id = $1`
	deletePSSQL     = `DELETE FROM permission_sets WHERE id = $1`
)

func errPSNotFound(id string) *errs.Error {
	return missing(store.ResourcePermissionSet, id)
}

// CreatePermissionSet stores a new permission set; a taken name is errs.Conflict.
func (db *DB) CreatePermissionSet(ctx context.Context, ps ic.PermissionSet) error {
	e := audit.New(ctx, "ssoadmin.permissionset.create", "PERMISSION_SET", ps.ID)
	return db.mutate(ctx, e, func(tx *txn) error { return writePS(ctx, tx, insertPSSQL, ps) })
}

func writePS(ctx context.Context, tx *txn, query string, ps ic.PermissionSet) error {
	_, err := exec(ctx, tx, "write permission set", query, ps.ID, ps.InstanceID, ps.Name,
		ps.Description, ps.SessionDuration, ps.RelayState, jsonCol{ps.Tags},
		jsonCol{ps.ManagedPolicies}, ps.InlinePolicy, ps.Version, ts(ps.CreatedAt),
		jsonCol{ps.CustomerPolicies}, jsonCol{ps.Boundary})
	return err
}

// PermissionSet returns a permission set.
func (db *DB) PermissionSet(ctx context.Context, id string) (ic.PermissionSet, error) {
	return permissionSet(ctx, db.r, id)
}

func permissionSet(ctx context.Context, q querier, id string) (ic.PermissionSet, error) {
	ps, err := scanPS(queryRow(ctx, q, selectPSSQL, id))
	return ps, notFound(err, "permission set", errPSNotFound(id))
}

func scanPS(s scanner) (ic.PermissionSet, error) {
	var ps ic.PermissionSet
	err := s.Scan(psDest(&ps)...)
	return ps, err
}

// psDest lists the scan destinations of psCols.
func psDest(ps *ic.PermissionSet) []any {
	return []any{&ps.ID, &ps.InstanceID, &ps.Name, &ps.Description, &ps.SessionDuration,
		&ps.RelayState, jsonCol{&ps.Tags}, jsonCol{&ps.ManagedPolicies}, &ps.InlinePolicy,
		&ps.Version, timeCol{&ps.CreatedAt}, jsonCol{&ps.CustomerPolicies}, jsonCol{&ps.Boundary}}
}

// ListPermissionSets pages permission sets in id order.
func (db *DB) ListPermissionSets(ctx context.Context, p store.Page) ([]ic.PermissionSet, string, error) {
	pq := pageQuery[ic.PermissionSet]{list: "permission-sets", scan: scanPS,
		key: func(ps ic.PermissionSet) []string { return []string{ps.ID} }}
	return pq.page(ctx, db.r, p, listPSSQL)
}

// UpdatePermissionSet is compare-and-swap; the id cannot change.
func (db *DB) UpdatePermissionSet(ctx context.Context, id string, fn func(ic.PermissionSet) (ic.PermissionSet, error)) (ic.PermissionSet, error) {
	e := audit.New(ctx, "ssoadmin.permissionset.update", "PERMISSION_SET", id)
	return update(ctx, db, e,
		func(tx *txn) (ic.PermissionSet, error) { return permissionSet(ctx, tx, id) }, fn,
		func(tx *txn, _ ic.PermissionSet, ps *ic.PermissionSet) error {
			ps.ID = id
			return writePS(ctx, tx, updatePSSQL, *ps)
		})
}

// DeletePermissionSet removes an unassigned permission set and its roles.
func (db *DB) DeletePermissionSet(ctx context.Context, id string) error {
	e := audit.New(ctx, "ssoadmin.permissionset.delete", "PERMISSION_SET", id)
	return db.mutate(ctx, e, func(tx *txn) error {
		if err := mustExist(ctx, tx, selectPSExistsSQL, id, errPSNotFound(id)); err != nil {
			return err
		}
		inUse, err := exists(ctx, tx, psInUseSQL, id)
		if err != nil {
			return err
		}
		if inUse {
			return errs.E(errs.Conflict, "permission set %s is assigned to accounts", id).
				WithResource(store.ResourcePermissionSet, id).WithField(store.FieldInUse)
		}
		if _, err := exec(ctx, tx, "delete roles", deletePSRoleSQL, id); err != nil {
			return err
		}
		_, err = exec(ctx, tx, "delete permission set", deletePSSQL, id)
		return err
	})
}

const selectPSExistsSQL = `SELECT 1 FROM permission_sets WHERE id = $1`
