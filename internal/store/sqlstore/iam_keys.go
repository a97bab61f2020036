package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

const (
	iamKeyCols = `k.id, k.account_id, k.user_id, k.status, k.sealed_secret, k.created_at,
	k.last_used_at, k.last_used_service, k.last_used_region`
	insertIAMKeySQL = `INSERT INTO iam_access_keys (id, account_id, user_id, status, sealed_secret, created_at,
	last_used_at, last_used_service, last_used_region) VALUES ($1, $2, $3, $4, $5, $6, 0, '', '')`
	countIAMKeysSQL = `SELECT COUNT(*) FROM iam_access_keys WHERE user_id = $1`
	iamKeySQL       = `SELECT ` + iamKeyCols + `, u.id, u.account_id, u.name, u.path, u.boundary, u.tags, u.created_at
FROM iam_access_keys k JOIN iam_users u ON u.id = k.user_id WHERE k.id = $1`
	listIAMKeysSQL  = `SELECT ` + iamKeyCols + ` FROM iam_access_keys k WHERE k.user_id = $1 ORDER BY k.created_at, k.id`
	setIAMKeySQL    = `UPDATE iam_access_keys SET status = $3 WHERE user_id = $1 AND id = $2`
	deleteIAMKeySQL = `DELETE FROM iam_access_keys WHERE user_id = $1 AND id = $2`
	touchIAMKeySQL  = `UPDATE iam_access_keys SET last_used_at = $2, last_used_service = $3, last_used_region = $4
WHERE id = $1 AND last_used_at < $2`
	targetIAMKey = "IAM_ACCESS_KEY"
)

func errIAMKeyNotFound(id string) *errs.Error { return missing(store.ResourceIAMAccessKey, id) }

func iamKeyDest(k *iam.AccessKey) []any {
	return []any{&k.ID, &k.AccountID, &k.UserID, &k.Status, &k.SealedSecret, timeCol{&k.CreatedAt},
		timeCol{&k.LastUsed.At}, &k.LastUsed.Service, &k.LastUsed.Region}
}

func scanIAMKey(s scanner) (iam.AccessKey, error) {
	var k iam.AccessKey
	return k, s.Scan(iamKeyDest(&k)...)
}

// CreateIAMAccessKey stores a user's key, at most iam.MaxAccessKeysPerUser.
func (db *DB) CreateIAMAccessKey(ctx context.Context, k iam.AccessKey) error {
	if k.ID == "" || k.UserID == "" || len(k.SealedSecret) == 0 {
		return required("an access key's id, user and secret")
	}
	e := audit.New(ctx, "iam.accesskey.create", targetIAMKey, k.ID)
	e.Message = k.UserID
	return db.mutate(ctx, e, func(tx *txn) error {
		if _, err := iamUserByID(ctx, tx, k.UserID); err != nil {
			return err
		}
		if err := belowQuota(ctx, tx, countIAMKeysSQL, iam.MaxAccessKeysPerUser, store.ResourceIAMAccessKey, k.UserID); err != nil {
			return err
		}
		_, err := exec(ctx, tx, "create iam access key", insertIAMKeySQL, k.ID, k.AccountID, k.UserID, k.Status,
			k.SealedSecret, ts(k.CreatedAt))
		return named(err, store.ResourceIAMAccessKey, store.FieldID)
	})
}

// IAMAccessKey returns a key and its user in one read.
func (db *DB) IAMAccessKey(ctx context.Context, id string) (iam.AccessKey, iam.User, error) {
	var k iam.AccessKey
	var u iam.User
	dest := append(iamKeyDest(&k), &u.ID, &u.AccountID, &u.Name, &u.Path, &u.PermissionsBoundary,
		jsonCol{&u.Tags}, timeCol{&u.CreatedAt})
	err := queryRow(ctx, db.r, iamKeySQL, id).Scan(dest...)
	return k, u, notFound(err, "iam access key", errIAMKeyNotFound(id))
}

// ListIAMAccessKeys lists the user's keys, oldest first.
func (db *DB) ListIAMAccessKeys(ctx context.Context, userID string) ([]iam.AccessKey, error) {
	return collect(ctx, db.r, "list iam access keys", scanIAMKey, listIAMKeysSQL, userID)
}

// SetIAMAccessKeyStatus activates or deactivates a user's key.
func (db *DB) SetIAMAccessKeyStatus(ctx context.Context, userID, id, status string) error {
	e := audit.New(ctx, "iam.accesskey.update", targetIAMKey, id)
	e.Message = status
	return db.mutate(ctx, e, func(tx *txn) error {
		return changeRow(ctx, tx, errIAMKeyNotFound(id), "update iam access key", setIAMKeySQL, userID, id, status)
	})
}

// DeleteIAMAccessKey deletes a user's key.
func (db *DB) DeleteIAMAccessKey(ctx context.Context, userID, id string) error {
	e := audit.New(ctx, "iam.accesskey.delete", targetIAMKey, id)
	return db.mutate(ctx, e, func(tx *txn) error {
		return changeRow(ctx, tx, errIAMKeyNotFound(id), "delete iam access key", deleteIAMKeySQL, userID, id)
	})
}

// TouchIAMAccessKey records a use unless a later one is recorded.
func (db *DB) TouchIAMAccessKey(ctx context.Context, id string, use iam.KeyUse) error {
	return db.writeNoEvent(ctx, func(tx *txn) error {
		_, err := exec(ctx, tx, "touch iam access key", touchIAMKeySQL, id, ts(use.At), use.Service, use.Region)
		return err
	})
}
