package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/store"
)

const (
	// A user's policies are its own and its groups'.
	userOwnersSQL = `SELECT CAST($1 AS TEXT) UNION SELECT group_id FROM iam_group_members WHERE user_id = $1`
	// userPolicyDocsSQL is a user's and its groups' inline ('i') and
	// attached ('a') policies in one read, for authorization.
	userPolicyDocsSQL = `SELECT 'i', name, document FROM iam_inline_policies WHERE owner_id IN (` + userOwnersSQL + `)
UNION ALL SELECT 'a', a.arn, COALESCE(v.document, '') FROM iam_attached_policies a
JOIN iam_users u ON u.id = $1
LEFT JOIN iam_policies p ON p.arn = a.arn AND p.account_id = u.account_id
LEFT JOIN iam_policy_versions v ON v.policy_id = p.id AND v.version_id = p.default_version
WHERE a.owner_id IN (` + userOwnersSQL + `) ORDER BY 1, 2`
)

// UserAuthorization reads an IAM user with its and its groups' policies
// (two indexed reads on the read pool, like RoleAuthorization).
func (db *DB) UserAuthorization(ctx context.Context, userID string) (store.UserAuthorization, error) {
	u, err := iamUserByID(ctx, db.r, userID)
	if err != nil {
		return store.UserAuthorization{}, err
	}
	inline, attached, err := ownedPolicies(ctx, db, "list iam user policies", userPolicyDocsSQL, u.ID)
	return store.UserAuthorization{User: u, Inline: inline, Attached: attached}, err
}
