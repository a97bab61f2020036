package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

const (
	insertAssignmentSQL = `INSERT INTO assignments (account_id, permission_set_id, principal_type,
	principal_id, created_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (account_id, permission_set_id, principal_type, principal_id) DO NOTHING`
	deleteAssignmentSQL = `DELETE FROM assignments WHERE account_id = $1 AND permission_set_id = $2
	AND principal_type = $3 AND principal_id = $4`
	deletePrincipalAssignmentsSQL = `DELETE FROM assignments WHERE principal_type = $1 AND principal_id = $2
RETURNING account_id, permission_set_id`
	listAssignmentsSQL = `SELECT account_id, permission_set_id, principal_type, principal_id, created_at
FROM assignments WHERE account_id = $3 AND permission_set_id = $4
	AND (principal_type, principal_id) > ($1, $2)
ORDER BY principal_type, principal_id LIMIT CAST($5 AS INTEGER)`
	accountExistsSQL = `SELECT 1 FROM accounts WHERE id = $1`
)

// assignmentTarget names an assignment in the system log.
func assignmentTarget(a ic.Assignment) string {
	return a.AccountID + "/" + a.PermissionSetID + "/" + a.PrincipalType + "/" + a.PrincipalID
}

// CreateAssignment stores a (keeping an existing one), provisions role
// unless the permission set already has a role in the account, and records req.
func (db *DB) CreateAssignment(ctx context.Context, a ic.Assignment, role ic.Role, req ic.Request) error {
	e := audit.New(ctx, "ssoadmin.assignment.create", "ACCOUNT_ASSIGNMENT", assignmentTarget(a))
	return db.mutate(ctx, e, func(tx *txn) error {
		ps, err := permissionSet(ctx, tx, a.PermissionSetID)
		if err != nil {
			return err
		}
		if err := checkAssignable(ctx, tx, a); err != nil {
			return err
		}
		if _, err := exec(ctx, tx, "insert assignment", insertAssignmentSQL, a.AccountID,
			a.PermissionSetID, a.PrincipalType, a.PrincipalID, ts(a.CreatedAt)); err != nil {
			return err
		}
		if err := grantAssignment(ctx, tx, a.PrincipalType, a.PrincipalID, a.AccountID); err != nil {
			return err
		}
		role.AccountID, role.PermissionSetID = a.AccountID, a.PermissionSetID
		if err := insertRole(ctx, tx, role, ps.Version); err != nil {
			return err
		}
		return insertRequest(ctx, tx, req)
	})
}

// checkAssignable returns errs.NotFound unless the account and principal exist.
func checkAssignable(ctx context.Context, tx *txn, a ic.Assignment) error {
	if err := mustExist(ctx, tx, accountExistsSQL, a.AccountID, errAccountNotFound(a.AccountID)); err != nil {
		return err
	}
	switch a.PrincipalType {
	case ic.PrincipalUser:
		return mustExist(ctx, tx, userExistsSQL, a.PrincipalID, errUserNotFound(a.PrincipalID))
	case ic.PrincipalGroup:
		return mustExist(ctx, tx, groupExistsSQL, a.PrincipalID, errGroupNotFound(a.PrincipalID))
	}
	return errs.E(errs.Invalid, "PrincipalType must be USER or GROUP")
}

// DeleteAssignment removes a, the role it leaves unused, and records req.
func (db *DB) DeleteAssignment(ctx context.Context, a ic.Assignment, req ic.Request) error {
	e := audit.New(ctx, "ssoadmin.assignment.delete", "ACCOUNT_ASSIGNMENT", assignmentTarget(a))
	return db.mutate(ctx, e, func(tx *txn) error {
		n, err := affected(ctx, tx, "delete assignment", deleteAssignmentSQL,
			a.AccountID, a.PermissionSetID, a.PrincipalType, a.PrincipalID)
		if err != nil {
			return err
		}
		if n == 0 {
			return missing(store.ResourceAssignment, assignmentTarget(a))
		}
		if err := pruneAssignment(ctx, tx, a.PrincipalType, a.PrincipalID, a.AccountID); err != nil {
			return err
		}
		if err := deleteOrphanRole(ctx, tx, a.AccountID, a.PermissionSetID); err != nil {
			return err
		}
		return insertRequest(ctx, tx, req)
	})
}

// deletePrincipalAssignments removes a user's or group's assignments, the
// accounts its users no longer reach and the roles left unused.
func deletePrincipalAssignments(ctx context.Context, tx *txn, principalType, id string) error {
	type pair struct{ account, ps string }
	scan := func(s scanner) (pair, error) {
		var p pair
		return p, s.Scan(&p.account, &p.ps)
	}
	pairs, err := collect(ctx, tx, "delete assignments", scan, deletePrincipalAssignmentsSQL, principalType, id)
	if err != nil {
		return err
	}
	for _, p := range pairs {
		if err := pruneAssignment(ctx, tx, principalType, id, p.account); err != nil {
			return err
		}
		if err := deleteOrphanRole(ctx, tx, p.account, p.ps); err != nil {
			return err
		}
	}
	return nil
}

func scanAssignment(s scanner) (ic.Assignment, error) {
	var a ic.Assignment
	err := s.Scan(&a.AccountID, &a.PermissionSetID, &a.PrincipalType, &a.PrincipalID, timeCol{&a.CreatedAt})
	return a, err
}

// ListAssignments pages the assignments of a permission set on an account,
// ordered by principal type and id.
func (db *DB) ListAssignments(ctx context.Context, accountID, permissionSetID string, p store.Page) ([]ic.Assignment, string, error) {
	list := listName("assignments", accountID, permissionSetID)
	cur, err := decodeCursor(list, p, 2)
	if err != nil {
		return nil, "", err
	}
	pq := pageQuery[ic.Assignment]{list: list, scan: scanAssignment, limit: p.Limit,
		key: func(a ic.Assignment) []string { return []string{a.PrincipalType, a.PrincipalID} }}
	return pq.run(ctx, db.r, listAssignmentsSQL, cur[0], cur[1], accountID, permissionSetID, p.Limit+1)
}
