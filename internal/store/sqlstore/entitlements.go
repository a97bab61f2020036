package sqlstore

import (
	"context"

	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// Each entitlement question is one query (plan_test.go pins the plans). A
// user ($1) reaches an assignment directly (principal USER) or through a
// group it is a member of (principal GROUP).
const (
	// userAccountsSQL: the user's accounts after $2, in id order: one
	// range of user_accounts (access.go keeps it), so a page costs the page.
	userAccountsSQL = `SELECT ac.id, ac.name, ac.email, ac.status, ac.joined_method, ac.joined_at
FROM user_accounts ua JOIN accounts ac ON ac.id = ua.account_id
WHERE ua.user_id = $1 AND ua.account_id > $2
ORDER BY ua.account_id LIMIT CAST($3 AS INTEGER)`

	// entitlementFrom: the roles on account $2 that user $1 is assigned.
	// For each role, the assignments of its (account, permission set) are
	// checked one by one against the user and, by primary key, against the
	// user's memberships: no list of the user's groups is built per row.
	entitlementFrom = `SELECT ac.id, ac.name, ac.email, ac.status, ac.joined_method, ac.joined_at,
	` + psCols + `, ` + roleCols + `
FROM roles r
JOIN permission_sets ps ON ps.id = r.permission_set_id
JOIN accounts ac ON ac.id = r.account_id
WHERE r.account_id = $2 AND EXISTS (
	SELECT 1 FROM assignments a
	WHERE a.account_id = r.account_id AND a.permission_set_id = r.permission_set_id
	AND ((a.principal_type = 'USER' AND a.principal_id = $1)
		OR (a.principal_type = 'GROUP' AND EXISTS (
			SELECT 1 FROM memberships m WHERE m.user_id = $1 AND m.group_id = a.principal_id))))`

	userRolesSQL = entitlementFrom + `
	AND (ps.name, ps.id) > ($3, $4)
ORDER BY ps.name, ps.id LIMIT CAST($5 AS INTEGER)`
	userRoleSQL = entitlementFrom + `
	AND ps.name = $3
LIMIT 1`
)

// UserAccounts pages the distinct accounts the user has any assignment on.
func (db *DB) UserAccounts(ctx context.Context, userID string, p store.Page) ([]ic.Account, string, error) {
	list := listName("user-accounts", userID)
	cur, err := decodeCursor(list, p, 1)
	if err != nil {
		return nil, "", err
	}
	pq := pageQuery[ic.Account]{list: list, scan: scanAccount, key: accountKey, limit: p.Limit}
	return pq.run(ctx, db.r, userAccountsSQL, userID, cur[0], p.Limit+1)
}

func scanEntitlement(s scanner) (ic.Entitlement, error) {
	var e ic.Entitlement
	a := &e.Account
	dest := []any{&a.ID, &a.Name, &a.Email, &a.Status, &a.JoinedMethod, timeCol{&a.JoinedAt}}
	dest = append(dest, psDest(&e.PermissionSet)...)
	dest = append(dest, roleDest(&e.Role)...)
	return e, s.Scan(dest...)
}

// UserRoles pages the user's entitlements on one account by permission set name.
func (db *DB) UserRoles(ctx context.Context, userID, accountID string, p store.Page) ([]ic.Entitlement, string, error) {
	list := listName("user-roles", userID, accountID)
	cur, err := decodeCursor(list, p, 2)
	if err != nil {
		return nil, "", err
	}
	pq := pageQuery[ic.Entitlement]{list: list, scan: scanEntitlement, limit: p.Limit,
		key: func(e ic.Entitlement) []string { return []string{e.PermissionSet.Name, e.PermissionSet.ID} }}
	return pq.run(ctx, db.r, userRolesSQL, userID, accountID, cur[0], cur[1], p.Limit+1)
}

// UserRole returns the user's entitlement to the named permission set on the account.
func (db *DB) UserRole(ctx context.Context, userID, accountID, permissionSetName string) (ic.Entitlement, error) {
	e, err := scanEntitlement(queryRow(ctx, db.r, userRoleSQL, userID, accountID, permissionSetName))
	return e, notFound(err, "user role",
		missing(store.ResourceEntitlement, accountID+"/"+permissionSetName))
}
