package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

const (
	updateInstanceSQL = `UPDATE instance SET name = $1, tags = $2, access_control = $3 WHERE singleton = 1`
	requestCols       = `id, kind, status, failure_reason, account_id, permission_set_id,
	principal_type, principal_id, created_at`
	listRequestsSQL = `SELECT ` + requestCols + ` FROM requests
WHERE kind = $2 AND ($3 = '' OR status = $3) AND id > $1 ORDER BY id LIMIT CAST($4 AS INTEGER)`
	// A user's assignments include those of the groups it is in.
	listPrincipalAssignmentsSQL = `SELECT account_id, permission_set_id, principal_type, principal_id, created_at
FROM assignments a WHERE ((a.principal_type = $5 AND a.principal_id = $6)
		OR ($5 = 'USER' AND a.principal_type = 'GROUP' AND EXISTS (
			SELECT 1 FROM memberships m WHERE m.user_id = $6 AND m.group_id = a.principal_id)))
	AND ($7 = '' OR a.account_id = $7)
	AND (a.account_id, a.permission_set_id, a.principal_type, a.principal_id) > ($1, $2, $3, $4)
ORDER BY a.account_id, a.permission_set_id, a.principal_type, a.principal_id LIMIT CAST($8 AS INTEGER)`
)

// UpdateInstance is compare-and-swap on the instance's editable fields.
func (db *DB) UpdateInstance(ctx context.Context, fn func(ic.Instance) (ic.Instance, error)) (ic.Instance, error) {
	var id string
	if i, err := instance(ctx, db.r); err == nil {
		id = i.ID
	}
	e := audit.New(ctx, "ssoadmin.instance.update", "INSTANCE", id)
	return update(ctx, db, e,
		func(tx *txn) (ic.Instance, error) { return instance(ctx, tx) }, fn,
		func(tx *txn, old ic.Instance, i *ic.Instance) error {
			i.ID, i.IdentityStoreID, i.OwnerAccountID, i.CreatedAt = old.ID, old.IdentityStoreID, old.OwnerAccountID, old.CreatedAt
			_, err := exec(ctx, tx, "update instance", updateInstanceSQL, i.Name, jsonCol{i.Tags}, jsonCol{i.AccessControl})
			return err
		})
}

// requestActions are the system-log actions of each kind of request.
var requestActions = map[string]string{
	ic.RequestProvision:        "ssoadmin.permissionset.provision",
	ic.RequestAssignmentCreate: "ssoadmin.assignment.create",
	ic.RequestAssignmentDelete: "ssoadmin.assignment.delete",
}

// RecordRequest records a failed request, which changed nothing else.
func (db *DB) RecordRequest(ctx context.Context, req ic.Request) error {
	e := audit.New(ctx, requestActions[req.Kind], "PERMISSION_SET", req.PermissionSetID)
	e.Outcome = audit.Failure
	e.Message = req.FailureReason
	return db.mutate(ctx, e, func(tx *txn) error { return insertRequest(ctx, tx, req) })
}

func scanRequest(s scanner) (ic.Request, error) {
	var r ic.Request
	err := s.Scan(&r.ID, &r.Kind, &r.Status, &r.FailureReason, &r.AccountID, &r.PermissionSetID,
		&r.PrincipalType, &r.PrincipalID, timeCol{&r.CreatedAt})
	return r, err
}

// ListRequests pages requests of one kind (and status) in id order.
func (db *DB) ListRequests(ctx context.Context, f store.RequestFilter, p store.Page) ([]ic.Request, string, error) {
	list := listName("requests", f.Kind, f.Status)
	cur, err := decodeCursor(list, p, 1)
	if err != nil {
		return nil, "", err
	}
	pq := pageQuery[ic.Request]{list: list, scan: scanRequest, limit: p.Limit,
		key: func(r ic.Request) []string { return []string{r.ID} }}
	return pq.run(ctx, db.r, listRequestsSQL, cur[0], f.Kind, f.Status, p.Limit+1)
}

// ListPrincipalAssignments pages a principal's assignments, a user's
// through its groups included.
func (db *DB) ListPrincipalAssignments(ctx context.Context, principalType, principalID, accountID string, p store.Page) ([]ic.Assignment, string, error) {
	list := listName("principal-assignments", principalType, principalID, accountID)
	cur, err := decodeCursor(list, p, 4)
	if err != nil {
		return nil, "", err
	}
	pq := pageQuery[ic.Assignment]{list: list, scan: scanAssignment, limit: p.Limit,
		key: func(a ic.Assignment) []string {
			return []string{a.AccountID, a.PermissionSetID, a.PrincipalType, a.PrincipalID}
		}}
	return pq.run(ctx, db.r, listPrincipalAssignmentsSQL, cur[0], cur[1], cur[2], cur[3],
		principalType, principalID, accountID, p.Limit+1)
}
