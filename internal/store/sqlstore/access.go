package sqlstore

import (
	"context"

	ic "github.com/keyward/keyward/internal/identitycenter"
)

// user_accounts holds, for each user, the accounts they reach through any
// assignment, direct or through a group: UserAccounts reads a page of it by
// primary key. Every write that adds a path to an account adds the row;
// every write that removes one prunes the rows of the users it touched
// whose last path is gone. These statements keep it in step, inside the
// transaction of the change.
const (
	grantUserSQL = `INSERT INTO user_accounts (user_id, account_id) VALUES ($1, $2)
ON CONFLICT (user_id, account_id) DO NOTHING`
	grantGroupSQL = `INSERT INTO user_accounts (user_id, account_id)
SELECT user_id, $2 FROM memberships WHERE group_id = $1
ON CONFLICT (user_id, account_id) DO NOTHING`
	grantMemberSQL = `INSERT INTO user_accounts (user_id, account_id)
SELECT DISTINCT $1, account_id FROM assignments WHERE principal_type = 'GROUP' AND principal_id = $2
ON CONFLICT (user_id, account_id) DO NOTHING`

	// stillReached is true while the row's user has some assignment on
	// the row's account, directly or through a group.
	stillReached = `EXISTS (SELECT 1 FROM assignments a
	WHERE a.account_id = user_accounts.account_id
	AND ((a.principal_type = 'USER' AND a.principal_id = user_accounts.user_id)
		OR (a.principal_type = 'GROUP' AND EXISTS (SELECT 1 FROM memberships m
			WHERE m.group_id = a.principal_id AND m.user_id = user_accounts.user_id))))`
	pruneUserSQL = `DELETE FROM user_accounts WHERE user_id = $1 AND account_id = $2 AND NOT ` + stillReached
	// pruneGroupSQL prunes account $2 for the members of group $1.
	pruneGroupSQL = `DELETE FROM user_accounts WHERE account_id = $2
	AND user_id IN (SELECT user_id FROM memberships WHERE group_id = $1) AND NOT ` + stillReached
	// pruneMemberSQL prunes user $1's accounts that group $2 is assigned.
	pruneMemberSQL = `DELETE FROM user_accounts WHERE user_id = $1
	AND account_id IN (SELECT account_id FROM assignments WHERE principal_type = 'GROUP' AND principal_id = $2)
	AND NOT ` + stillReached
)

// grantAssignment records that the assignment's principal reaches its account.
func grantAssignment(ctx context.Context, tx *txn, principalType, principalID, accountID string) error {
	query := grantUserSQL
	if principalType == ic.PrincipalGroup {
		query = grantGroupSQL
	}
	_, err := exec(ctx, tx, "grant account", query, principalID, accountID)
	return err
}

// pruneAssignment, after an assignment is gone, removes the account from
// the principal's users who no longer reach it.
func pruneAssignment(ctx context.Context, tx *txn, principalType, principalID, accountID string) error {
	query := pruneUserSQL
	if principalType == ic.PrincipalGroup {
		query = pruneGroupSQL
	}
	_, err := exec(ctx, tx, "prune account", query, principalID, accountID)
	return err
}
