package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/keyward/keyward/internal/audit"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

const (
	roleCols      = `r.account_id, r.permission_set_id, r.name, r.id, r.path, r.version, r.created_at`
	insertRoleSQL = `INSERT INTO roles (account_id, permission_set_id, name, id, path, version, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (account_id, permission_set_id) DO NOTHING`
	deleteOrphanRoleSQL = `DELETE FROM roles WHERE account_id = $1 AND permission_set_id = $2
	AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.account_id = $1 AND a.permission_set_id = $2)`
	provisionAllSQL     = `UPDATE roles SET version = $2 WHERE permission_set_id = $1`
	provisionAccountSQL = `UPDATE roles SET version = $2 WHERE permission_set_id = $1 AND account_id = $3`

	insertRequestSQL = `INSERT INTO requests (id, kind, status, failure_reason, account_id,
	permission_set_id, principal_type, principal_id, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	selectRequestSQL = `SELECT id, kind, status, failure_reason, account_id, permission_set_id,
	principal_type, principal_id, created_at FROM requests WHERE id = $1`
)

// insertRole stores role at version unless the permission set already has a
// role in the account.
func insertRole(ctx context.Context, tx *txn, r ic.Role, version int) error {
	_, err := exec(ctx, tx, "insert role", insertRoleSQL, r.AccountID, r.PermissionSetID,
		r.Name, r.ID, r.Path, version, ts(r.CreatedAt))
	return err
}

// deleteOrphanRole removes the permission set's role in the account when no
// assignment uses it any more.
func deleteOrphanRole(ctx context.Context, tx *txn, accountID, permissionSetID string) error {
	_, err := exec(ctx, tx, "delete role", deleteOrphanRoleSQL, accountID, permissionSetID)
	return err
}

func insertRequest(ctx context.Context, tx *txn, r ic.Request) error {
	_, err := exec(ctx, tx, "insert request", insertRequestSQL, r.ID, r.Kind, r.Status,
		r.FailureReason, r.AccountID, r.PermissionSetID, r.PrincipalType, r.PrincipalID, ts(r.CreatedAt))
	return err
}

// Provision brings the permission set's roles to its current version,
// creating the role in accountID (when given) if missing, and records req.
func (db *DB) Provision(ctx context.Context, permissionSetID, accountID string, role ic.Role, req ic.Request) error {
	e := audit.New(ctx, "ssoadmin.permissionset.provision", "PERMISSION_SET", permissionSetID)
	return db.mutate(ctx, e, func(tx *txn) error {
		ps, err := permissionSet(ctx, tx, permissionSetID)
		if err != nil {
			return err
		}
		if accountID == "" {
			_, err = exec(ctx, tx, "provision", provisionAllSQL, ps.ID, ps.Version)
		} else {
			err = provisionAccount(ctx, tx, ps, accountID, role)
		}
		if err != nil {
			return err
		}
		return insertRequest(ctx, tx, req)
	})
}

func provisionAccount(ctx context.Context, tx *txn, ps ic.PermissionSet, accountID string, role ic.Role) error {
	if err := mustExist(ctx, tx, accountExistsSQL, accountID, errAccountNotFound(accountID)); err != nil {
		return err
	}
	role.AccountID, role.PermissionSetID = accountID, ps.ID
	if err := insertRole(ctx, tx, role, ps.Version); err != nil {
		return err
	}
	_, err := exec(ctx, tx, "provision", provisionAccountSQL, ps.ID, ps.Version, accountID)
	return err
}

func scanRole(s scanner) (ic.Role, error) {
	var r ic.Role
	err := s.Scan(roleDest(&r)...)
	return r, err
}

// roleDest lists the scan destinations of roleCols.
func roleDest(r *ic.Role) []any {
	return []any{&r.AccountID, &r.PermissionSetID, &r.Name, &r.ID, &r.Path, &r.Version, timeCol{&r.CreatedAt}}
}

// ListRoles pages provisioned roles by account id, then permission set id.
func (db *DB) ListRoles(ctx context.Context, f store.RoleFilter, p store.Page) ([]ic.Role, string, error) {
	list := listName("roles", f.AccountID, f.PermissionSetID, fmt.Sprint(f.Outdated != nil && *f.Outdated, f.Outdated == nil))
	cur, err := decodeCursor(list, p, 2)
	if err != nil {
		return nil, "", err
	}
	query, args := listRolesQuery(f, cur, p.Limit+1)
	pq := pageQuery[ic.Role]{list: list, scan: scanRole, limit: p.Limit,
		key: func(r ic.Role) []string { return []string{r.AccountID, r.PermissionSetID} }}
	return pq.run(ctx, db.r, query, args...)
}

// listRolesQuery builds the ListRoles query with only the filters in use.
func listRolesQuery(f store.RoleFilter, cur []string, limit int) (string, []any) {
	args := []any{cur[0], cur[1]}
	where := []string{"(r.account_id, r.permission_set_id) > ($1, $2)"}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.AccountID != "" {
		where = append(where, "r.account_id = "+arg(f.AccountID))
	}
	if f.PermissionSetID != "" {
		where = append(where, "r.permission_set_id = "+arg(f.PermissionSetID))
	}
	if f.Outdated != nil && *f.Outdated {
		where = append(where, "r.version < ps.version")
	} else if f.Outdated != nil {
		where = append(where, "r.version >= ps.version")
	}
	query := `SELECT ` + roleCols + ` FROM roles r JOIN permission_sets ps ON ps.id = r.permission_set_id
WHERE ` + strings.Join(where, " AND ") + `
ORDER BY r.account_id, r.permission_set_id LIMIT CAST(` + arg(limit) + ` AS INTEGER)`
	return query, args
}

// Request returns an assignment or provisioning request's status.
func (db *DB) Request(ctx context.Context, id string) (ic.Request, error) {
	var r ic.Request
	err := queryRow(ctx, db.r, selectRequestSQL, id).Scan(&r.ID, &r.Kind, &r.Status,
		&r.FailureReason, &r.AccountID, &r.PermissionSetID, &r.PrincipalType, &r.PrincipalID,
		timeCol{&r.CreatedAt})
	return r, notFound(err, "request", missing(store.ResourceRequest, id))
}
