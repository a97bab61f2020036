package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

const (
	userCols      = `u.id, u.profile, u.external_ids, u.status, u.created_at, u.updated_at, u.created_by, u.updated_by`
	insertUserSQL = `INSERT INTO users (id, user_name, user_name_norm, profile, external_ids, status,
	created_at, updated_at, created_by, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
	updateUserSQL = `UPDATE users SET user_name = $2, user_name_norm = $3, profile = $4,
	external_ids = $5, status = $6, created_at = $7, updated_at = $8, created_by = $9, updated_by = $10
WHERE id = $1`
	deleteUserSQL  = `DELETE FROM users WHERE id = $1`
	selectUserSQL  = `SELECT ` + userCols + ` FROM users u WHERE u.id = $1`
	userByNameSQL  = `SELECT ` + userCols + ` FROM users u WHERE u.user_name_norm = $1`
	userByEmailSQL = `SELECT ` + userCols + ` FROM user_emails e JOIN users u ON u.id = e.user_id
WHERE e.email_norm IN ($1, $2) ORDER BY u.id LIMIT 1` // whole and as its key, as groupByNameSQL
	userByExternalSQL = `SELECT ` + userCols + ` FROM user_external_ids x JOIN users u ON u.id = x.user_id
WHERE x.issuer = $1 AND x.external_id = $2`
	listUsersSQL       = `SELECT ` + userCols + ` FROM users u WHERE u.id > $1 ORDER BY u.id LIMIT CAST($2 AS INTEGER)`
	listUsersByNameSQL = `SELECT ` + userCols + ` FROM users u WHERE u.user_name_norm = $3 AND u.id > $1
ORDER BY u.id LIMIT CAST($2 AS INTEGER)`
)

// userDoc is what the profile column holds: the profile, with the
// enterprise attributes SCIM provisions beside it.
type userDoc struct {
	ic.Profile
	Enterprise *ic.Enterprise `json:"Enterprise,omitempty"`
}

func newUserDoc(u ic.User) userDoc {
	d := userDoc{Profile: u.Profile}
	if u.Enterprise != (ic.Enterprise{}) {
		d.Enterprise = &u.Enterprise
	}
	return d
}

func errUserNotFound(id string) *errs.Error {
	return missing(store.ResourceUser, id)
}

// CreateUser stores a new user; a taken user name is errs.Conflict.
func (db *DB) CreateUser(ctx context.Context, u ic.User) error {
	e := audit.New(ctx, "identitystore.user.create", "USER", u.ID)
	return db.mutate(ctx, e, func(tx *txn) error { return writeUser(ctx, tx, insertUserSQL, u) })
}

// writeUser inserts or updates (per query) u and rewrites its lookup rows.
func writeUser(ctx context.Context, tx *txn, query string, u ic.User) error {
	name := u.Profile.UserName
	if _, err := exec(ctx, tx, "write user", query, u.ID, name, ic.NormalizeName(name),
		jsonCol{newUserDoc(u)}, jsonCol{u.ExternalIDs}, u.Status, ts(u.CreatedAt), ts(u.UpdatedAt),
		u.CreatedBy, u.UpdatedBy); err != nil {
		return err
	}
	if err := writeUserEmails(ctx, tx, u); err != nil {
		return err
	}
	return writeExternalIDs(ctx, tx, userExternalIDs, u.ID, u.ExternalIDs)
}

// User returns a user.
func (db *DB) User(ctx context.Context, id string) (ic.User, error) {
	return user(ctx, db.r, id)
}

func user(ctx context.Context, q querier, id string) (ic.User, error) {
	u, err := scanUser(queryRow(ctx, q, selectUserSQL, id))
	return u, notFound(err, "user", errUserNotFound(id))
}

// UserByName finds a user by name, case-insensitively.
func (db *DB) UserByName(ctx context.Context, userName string) (ic.User, error) {
	u, err := scanUser(queryRow(ctx, db.r, userByNameSQL, ic.NormalizeName(userName)))
	return u, notFound(err, "user by name", errUserNotFound(""))
}

// UserByEmail finds the (lowest-id) user with the email, case-insensitively.
func (db *DB) UserByEmail(ctx context.Context, email string) (ic.User, error) {
	u, err := scanUser(queryRow(ctx, db.r, userByEmailSQL, normalizeEmail(email), db.d.key(normalizeEmail(email))))
	return u, notFound(err, "user by email", errUserNotFound(""))
}

// UserByExternalID finds the user linked to an external identity.
func (db *DB) UserByExternalID(ctx context.Context, x ic.ExternalID) (ic.User, error) {
	u, err := scanUser(queryRow(ctx, db.r, userByExternalSQL, x.Issuer, x.ID))
	return u, notFound(err, "user by external id", errUserNotFound(""))
}

func scanUser(s scanner) (ic.User, error) {
	var u ic.User
	var d userDoc
	err := s.Scan(&u.ID, jsonCol{&d}, jsonCol{&u.ExternalIDs}, &u.Status,
		timeCol{&u.CreatedAt}, timeCol{&u.UpdatedAt}, &u.CreatedBy, &u.UpdatedBy)
	u.Profile = d.Profile
	if d.Enterprise != nil {
		u.Enterprise = *d.Enterprise
	}
	return u, err
}

// ListUsers pages users in id order.
func (db *DB) ListUsers(ctx context.Context, f store.UserFilter, p store.Page) ([]ic.User, string, error) {
	pq := pageQuery[ic.User]{list: listName("users", ic.NormalizeName(f.UserName)), scan: scanUser,
		key: func(u ic.User) []string { return []string{u.ID} }}
	if f.UserName != "" {
		return pq.page(ctx, db.r, p, listUsersByNameSQL, ic.NormalizeName(f.UserName))
	}
	return pq.page(ctx, db.r, p, listUsersSQL)
}

// UpdateUser is compare-and-swap; the id cannot change.
func (db *DB) UpdateUser(ctx context.Context, id string, fn func(ic.User) (ic.User, error)) (ic.User, error) {
	e := audit.New(ctx, "identitystore.user.update", "USER", id)
	return update(ctx, db, e,
		func(tx *txn) (ic.User, error) { return user(ctx, tx, id) }, fn,
		func(tx *txn, _ ic.User, u *ic.User) error {
			u.ID = id
			return writeUser(ctx, tx, updateUserSQL, *u)
		})
}

// DeleteUser removes the user and everything that hangs off it. Memberships,
// emails, external ids, password and portal sessions go by ON DELETE CASCADE.
func (db *DB) DeleteUser(ctx context.Context, id string) error {
	e := audit.New(ctx, "identitystore.user.delete", "USER", id)
	return db.mutate(ctx, e, func(tx *txn) error {
		if err := deletePrincipalAssignments(ctx, tx, ic.PrincipalUser, id); err != nil {
			return err
		}
		if err := deleteUserTokens(ctx, tx, id); err != nil {
			return err
		}
		return changeRow(ctx, tx, errUserNotFound(id), "delete user", deleteUserSQL, id)
	})
}
