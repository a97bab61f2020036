package sqlstore

import (
	"context"
	"unicode/utf8"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

const (
	iamUserCols      = `id, account_id, name, path, boundary, tags, created_at`
	insertIAMUserSQL = `INSERT INTO iam_users (id, account_id, name, name_norm, path, boundary, tags, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	iamUserByNameSQL = `SELECT ` + iamUserCols + ` FROM iam_users WHERE account_id = $1 AND name_norm = $2`
	iamUserByIDSQL   = `SELECT ` + iamUserCols + ` FROM iam_users WHERE id = $1`
	listIAMUsersSQL  = `SELECT ` + iamUserCols + ` FROM iam_users WHERE account_id = $1 AND substr(path, 1, $2) = $3
	AND name_norm > $4 ORDER BY name_norm LIMIT CAST($5 AS INTEGER)`
	updateIAMUserSQL = `UPDATE iam_users SET name = $2, name_norm = $3, path = $4, boundary = $5, tags = $6 WHERE id = $1`
	deleteIAMUserSQL = `DELETE FROM iam_users WHERE id = $1`
	targetIAMUser    = "IAM_USER"
)

func errIAMUserNotFound(id string) *errs.Error { return missing(store.ResourceIAMUser, id) }

func scanIAMUser(s scanner) (iam.User, error) {
	var u iam.User
	err := s.Scan(&u.ID, &u.AccountID, &u.Name, &u.Path, &u.PermissionsBoundary, jsonCol{&u.Tags}, timeCol{&u.CreatedAt})
	return u, err
}

func iamUserKey(u iam.User) []string { return []string{norm(u.Name)} }

// named turns a uniqueness violation into the conflict on resource's field.
func named(err error, resource, field string) error {
	if e, ok := errs.As(err); ok && e.Kind == errs.Conflict {
		return errs.E(errs.Conflict, "%s %s already taken", resource, field).WithResource(resource, "").WithField(field)
	}
	return err
}

// CreateIAMUser stores u.
func (db *DB) CreateIAMUser(ctx context.Context, u iam.User) error {
	if u.ID == "" || u.AccountID == "" || u.Name == "" {
		return required("an IAM user's id, account and name")
	}
	e := audit.New(ctx, "iam.user.create", targetIAMUser, u.ID)
	return db.mutate(ctx, e, func(tx *txn) error {
		_, err := exec(ctx, tx, "create iam user", insertIAMUserSQL, u.ID, u.AccountID, u.Name, norm(u.Name),
			u.Path, u.PermissionsBoundary, jsonCol{tagsOrEmpty(u.Tags)}, ts(u.CreatedAt))
		return named(err, store.ResourceIAMUser, store.FieldName)
	})
}

func tagsOrEmpty(t []iam.Tag) []iam.Tag {
	if t == nil {
		return []iam.Tag{}
	}
	return t
}

// IAMUser finds a user by name, case-insensitively.
func (db *DB) IAMUser(ctx context.Context, accountID, name string) (iam.User, error) {
	u, err := scanIAMUser(queryRow(ctx, db.r, iamUserByNameSQL, accountID, norm(name)))
	return u, notFound(err, "iam user", errIAMUserNotFound(name))
}

// IAMUserByID finds a user by id.
func (db *DB) IAMUserByID(ctx context.Context, id string) (iam.User, error) {
	return iamUserByID(ctx, db.r, id)
}

func iamUserByID(ctx context.Context, q querier, id string) (iam.User, error) {
	u, err := scanIAMUser(queryRow(ctx, q, iamUserByIDSQL, id))
	return u, notFound(err, "iam user", errIAMUserNotFound(id))
}

// ListIAMUsers pages the account's users under pathPrefix by name.
func (db *DB) ListIAMUsers(ctx context.Context, accountID, pathPrefix string, p store.Page) ([]iam.User, string, error) {
	pq := pageQuery[iam.User]{list: "iam_users", scan: scanIAMUser, key: iamUserKey, limit: p.Limit}
	return listUnder(ctx, db, pq, listIAMUsersSQL, accountID, pathPrefix, p)
}

// listUnder runs a keyset-paged list of an account's users or groups
// whose path starts with pathPrefix.
func listUnder[T any](ctx context.Context, db *DB, pq pageQuery[T], query, accountID, pathPrefix string, p store.Page) ([]T, string, error) {
	cur, err := decodeCursor(pq.list, p, 1)
	if err != nil {
		return nil, "", err
	}
	return pq.run(ctx, db.r, query, accountID, utf8.RuneCountInString(pathPrefix), pathPrefix, cur[0], p.Limit+1)
}

// UpdateIAMUser is compare-and-swap; the id and account stay.
func (db *DB) UpdateIAMUser(ctx context.Context, id string, fn func(iam.User) (iam.User, error)) (iam.User, error) {
	e := audit.New(ctx, "iam.user.update", targetIAMUser, id)
	read := func(tx *txn) (iam.User, error) { return iamUserByID(ctx, tx, id) }
	write := func(tx *txn, old iam.User, u *iam.User) error {
		u.ID, u.AccountID, u.CreatedAt = old.ID, old.AccountID, old.CreatedAt
		_, err := exec(ctx, tx, "update iam user", updateIAMUserSQL, id, u.Name, norm(u.Name), u.Path,
			u.PermissionsBoundary, jsonCol{tagsOrEmpty(u.Tags)})
		return named(err, store.ResourceIAMUser, store.FieldName)
	}
	return update(ctx, db, e, read, fn, write)
}

// The rows that keep a user or group from being deleted, checked in order.
var (
	userDependents = []dependent{
		{`SELECT 1 FROM iam_access_keys WHERE user_id = $1`, store.ResourceIAMAccessKey},
		{`SELECT 1 FROM iam_inline_policies WHERE owner_id = $1`, store.ResourceIAMInlinePolicy},
		{`SELECT 1 FROM iam_attached_policies WHERE owner_id = $1`, store.ResourceIAMAttachment},
		{`SELECT 1 FROM iam_group_members WHERE user_id = $1`, store.ResourceIAMMember},
		{`SELECT 1 FROM iam_mfa_devices WHERE user_id = $1`, store.ResourceIAMMFADevice},
	}
	groupDependents = []dependent{
		{`SELECT 1 FROM iam_group_members WHERE group_id = $1`, store.ResourceIAMMember},
		{`SELECT 1 FROM iam_inline_policies WHERE owner_id = $1`, store.ResourceIAMInlinePolicy},
		{`SELECT 1 FROM iam_attached_policies WHERE owner_id = $1`, store.ResourceIAMAttachment},
	}
)

type dependent struct {
	query    string
	resource string
}

// unused refuses (errs.Conflict, FieldInUse) while any dependent names id.
func unused(ctx context.Context, tx *txn, id string, deps []dependent) error {
	for _, d := range deps {
		found, err := exists(ctx, tx, d.query+` LIMIT 1`, id)
		if err != nil {
			return err
		}
		if found {
			return errs.E(errs.Conflict, "%s still has an %s", id, d.resource).
				WithResource(d.resource, id).WithField(store.FieldInUse)
		}
	}
	return nil
}

// DeleteIAMUser deletes a user that nothing names any more.
func (db *DB) DeleteIAMUser(ctx context.Context, id string) error {
	e := audit.New(ctx, "iam.user.delete", targetIAMUser, id)
	return db.mutate(ctx, e, func(tx *txn) error {
		if _, err := iamUserByID(ctx, tx, id); err != nil {
			return err
		}
		if err := unused(ctx, tx, id, userDependents); err != nil {
			return err
		}
		_, err := exec(ctx, tx, "delete iam user", deleteIAMUserSQL, id)
		return err
	})
}
