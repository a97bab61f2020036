package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/store"
)

const (
	setAliasSQL = `INSERT INTO iam_account_aliases (account_id, alias) VALUES ($1, $2)
ON CONFLICT (account_id) DO UPDATE SET alias = excluded.alias`
	aliasSQL       = `SELECT alias FROM iam_account_aliases WHERE account_id = $1`
	heldAliasSQL   = `SELECT 1 FROM iam_account_aliases WHERE account_id = $1 AND alias = $2`
	deleteAliasSQL = `DELETE FROM iam_account_aliases WHERE account_id = $1 AND alias = $2`
	targetAlias    = "ACCOUNT"
)

// SetIAMAccountAlias gives the account its one alias; the one it already
// holds, like one another account holds, is taken.
func (db *DB) SetIAMAccountAlias(ctx context.Context, accountID, alias string) error {
	e := audit.New(ctx, "iam.alias.create", targetAlias, accountID)
	e.Message = alias
	return db.mutate(ctx, e, func(tx *txn) error {
		held, err := exists(ctx, tx, heldAliasSQL, accountID, alias)
		if err == nil && held {
			err = conflict("iam_account_aliases.alias")
		}
		if err == nil {
			_, err = exec(ctx, tx, "set account alias", setAliasSQL, accountID, alias)
		}
		return named(err, store.ResourceIAMAccountAlias, store.FieldName)
	})
}

// IAMAccountAlias returns the account's alias, "" when none.
func (db *DB) IAMAccountAlias(ctx context.Context, accountID string) (string, error) {
	var alias string
	err := queryRow(ctx, db.r, aliasSQL, accountID).Scan(&alias)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return alias, mapErr(err, "account alias")
}

// DeleteIAMAccountAlias removes the account's alias.
func (db *DB) DeleteIAMAccountAlias(ctx context.Context, accountID, alias string) error {
	e := audit.New(ctx, "iam.alias.delete", targetAlias, accountID)
	e.Message = alias
	return db.mutate(ctx, e, func(tx *txn) error {
		return changeRow(ctx, tx, missing(store.ResourceIAMAccountAlias, alias), "delete account alias",
			deleteAliasSQL, accountID, alias)
	})
}
