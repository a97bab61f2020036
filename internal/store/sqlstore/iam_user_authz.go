package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/store"
)

const (
	// A user's policies are its own and its groups'.
	userOwnersSQL       = `SELECT CAST($1 AS TEXT) UNION SELECT group_id FROM iam_group_members WHERE user_id = $1`
	userInlineDocsSQL   = `SELECT name, document FROM iam_inline_policies WHERE owner_id IN (` + userOwnersSQL + `) ORDER BY owner_id, name`
	userAttachedDocsSQL = `SELECT a.arn, COALESCE(v.document, '') FROM iam_attached_policies a
JOIN iam_users u ON u.id = $1
LEFT JOIN iam_policies p ON p.arn = a.arn AND p.account_id = u.account_id
LEFT JOIN iam_policy_versions v ON v.policy_id = p.id AND v.version_id = p.default_version
WHERE a.owner_id IN (` + userOwnersSQL + `) ORDER BY a.owner_id, a.arn`
)

// UserAuthorization reads an IAM user with its and its groups' policies
// (three indexed reads on the read pool, like RoleAuthorization).
func (db *DB) UserAuthorization(ctx context.Context, userID string) (store.UserAuthorization, error) {
	u, err := iamUserByID(ctx, db.r, userID)
	if err != nil {
		return store.UserAuthorization{}, err
	}
	inline, err := collect(ctx, db.r, "list iam user policies", scanRolePolicy, userInlineDocsSQL, u.ID)
	if err != nil {
		return store.UserAuthorization{}, err
	}
	attached, err := collect(ctx, db.r, "list iam user attachments", scanAttached, userAttachedDocsSQL, u.ID)
	if err != nil {
		return store.UserAuthorization{}, err
	}
	return store.UserAuthorization{User: u, Inline: inline, Attached: attached}, nil
}
