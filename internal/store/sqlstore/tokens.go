package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// A token without a refresh token stores NULL in refresh_hash, so the
// UNIQUE index only binds real refresh hashes.
const (
	tokenCols      = `access_hash, COALESCE(refresh_hash, ''), family_id, user_id, client_id, scopes, created_at, expires_at, refresh_expires_at, session_hash`
	insertTokenSQL = `INSERT INTO tokens (access_hash, refresh_hash, family_id, user_id, client_id, scopes,
	created_at, expires_at, refresh_expires_at, session_hash) VALUES ($1, NULLIF($2, ''), $3, $4, $5, $6, $7, $8, $9, $10)`
	selectTokenSQL    = `SELECT ` + tokenCols + ` FROM tokens WHERE access_hash = $1`
	tokenFamilySQL    = `SELECT family_id FROM tokens WHERE access_hash = $1`
	tokenByRefreshSQL = `SELECT ` + tokenCols + ` FROM tokens WHERE refresh_hash = $1`
	insertRotatedSQL  = `INSERT INTO rotated_refresh_tokens (refresh_hash, family_id, user_id, expires_at)
VALUES ($1, $2, $3, $4) ON CONFLICT (refresh_hash) DO NOTHING`
	rotatedFamilySQL     = `SELECT family_id FROM rotated_refresh_tokens WHERE refresh_hash = $1`
	revokeFamilySQL      = `DELETE FROM tokens WHERE family_id = $1`
	spendRefreshSQL      = `UPDATE tokens SET refresh_hash = NULL WHERE access_hash = $1`
	deleteUserTokensSQL  = `DELETE FROM tokens WHERE user_id = $1`
	deleteUserRotatedSQL = `DELETE FROM rotated_refresh_tokens WHERE user_id = $1`
)

func errTokenNotFound() *errs.Error {
	return missing(store.ResourceToken, "")
}

// CreateToken stores a new token.
func (db *DB) CreateToken(ctx context.Context, t ic.Token) error {
	e := audit.New(ctx, "ssooidc.token.create", "TOKEN_FAMILY", t.FamilyID)
	e.Message = "client " + t.ClientID
	return db.mutate(ctx, e, func(tx *txn) error { return insertToken(ctx, tx, t) })
}

func insertToken(ctx context.Context, tx *txn, t ic.Token) error {
	_, err := exec(ctx, tx, "insert token", insertTokenSQL, t.AccessHash, t.RefreshHash, t.FamilyID,
		t.UserID, t.ClientID, jsonCol{t.Scopes}, ts(t.CreatedAt), ts(t.ExpiresAt), ts(t.RefreshExpiresAt), t.SessionHash)
	return err
}

// TokenByAccess returns the token holding accessHash.
func (db *DB) TokenByAccess(ctx context.Context, accessHash string) (ic.Token, error) {
	t, err := scanToken(queryRow(ctx, db.r, selectTokenSQL, accessHash))
	return t, notFound(err, "token", errTokenNotFound())
}

func scanToken(s scanner) (ic.Token, error) {
	var t ic.Token
	err := s.Scan(&t.AccessHash, &t.RefreshHash, &t.FamilyID, &t.UserID, &t.ClientID,
		jsonCol{&t.Scopes}, timeCol{&t.CreatedAt}, timeCol{&t.ExpiresAt}, timeCol{&t.RefreshExpiresAt}, &t.SessionHash)
	return t, err
}

// RotateToken stores what fn returns in the family of the token holding
// refreshHash and spends that refresh token; the old access token lives on
// until it expires. A refresh hash that was already rotated away revokes
// its family: that revocation is committed although the call returns
// errs.NotFound.
func (db *DB) RotateToken(ctx context.Context, refreshHash string, fn func(old ic.Token) (ic.Token, error)) (ic.Token, error) {
	return writeReplayed(ctx, db, errTokenNotFound(), func(tx *txn) (ic.Token, bool, error) {
		return db.rotate(ctx, tx, refreshHash, fn)
	})
}

// rotate does RotateToken's work in tx. It reports a replay (the family is
// then revoked and the transaction must commit) with replayed true.
func (db *DB) rotate(ctx context.Context, tx *txn, refreshHash string, fn func(ic.Token) (ic.Token, error)) (next ic.Token, replayed bool, err error) {
	if refreshHash == "" {
		return next, false, errTokenNotFound()
	}
	old, err := scanToken(queryRow(ctx, tx, tokenByRefreshSQL, refreshHash))
	if errors.Is(err, sql.ErrNoRows) {
		replayed, err = db.revokeReplayed(ctx, tx, refreshHash)
		return next, replayed, err
	}
	if err != nil {
		return next, false, mapErr(err, "rotate token")
	}
	if next, err = fn(old); err != nil {
		return next, false, err
	}
	next.FamilyID = old.FamilyID
	return next, false, db.replaceToken(ctx, tx, old, next)
}

// replaceToken spends old's refresh token (remembering its hash until it
// would have expired, to catch replays) and stores next. Spent rows go in
// Purge, not here, so a refresh costs the same whatever the history.
func (db *DB) replaceToken(ctx context.Context, tx *txn, old, next ic.Token) error {
	if _, err := exec(ctx, tx, "spend refresh token", spendRefreshSQL, old.AccessHash); err != nil {
		return err
	}
	if _, err := exec(ctx, tx, "record rotated", insertRotatedSQL, old.RefreshHash, old.FamilyID,
		old.UserID, ts(old.RefreshExpiresAt)); err != nil {
		return err
	}
	if err := insertToken(ctx, tx, next); err != nil {
		return err
	}
	return db.insertEvent(ctx, tx, audit.New(ctx, "ssooidc.token.refresh", "TOKEN_FAMILY", next.FamilyID))
}

// revokeReplayed deletes the family of a refresh hash that was rotated away.
// It returns errs.NotFound (nothing to commit) when the hash is unknown.
func (db *DB) revokeReplayed(ctx context.Context, tx *txn, refreshHash string) (bool, error) {
	var family string
	err := queryRow(ctx, tx, rotatedFamilySQL, refreshHash).Scan(&family)
	if err != nil {
		return false, notFound(err, "rotated token", errTokenNotFound())
	}
	if _, err := exec(ctx, tx, "revoke family", revokeFamilySQL, family); err != nil {
		return false, err
	}
	e := audit.New(ctx, "ssooidc.token.refresh", "TOKEN_FAMILY", family)
	e.Outcome, e.Message = audit.Deny, "refresh token reused: token family revoked"
	return true, db.insertEvent(ctx, tx, e)
}

// RevokeToken ends the sign-in of the token holding accessHash: every
// access and refresh token of its family.
func (db *DB) RevokeToken(ctx context.Context, accessHash string) error {
	return db.write(ctx, func(tx *txn) error {
		var family string
		err := queryRow(ctx, tx, tokenFamilySQL, accessHash).Scan(&family)
		if err != nil {
			return notFound(err, "revoke token", errTokenNotFound())
		}
		if _, err := exec(ctx, tx, "revoke family", revokeFamilySQL, family); err != nil {
			return err
		}
		return db.insertEvent(ctx, tx, audit.New(ctx, "ssooidc.token.revoke", "TOKEN_FAMILY", family))
	})
}

// deleteUserTokens removes a user's tokens, authorization codes and
// rotation records.
func deleteUserTokens(ctx context.Context, tx *txn, userID string) error {
	if _, err := exec(ctx, tx, "delete user tokens", deleteUserTokensSQL, userID); err != nil {
		return err
	}
	if _, err := exec(ctx, tx, "delete user codes", deleteUserCodesSQL, userID); err != nil {
		return err
	}
	_, err := exec(ctx, tx, "delete user rotated tokens", deleteUserRotatedSQL, userID)
	return err
}
