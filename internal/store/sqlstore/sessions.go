package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/keyward/keyward/internal/audit"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

const (
	insertSessionSQL = `INSERT INTO portal_sessions (id_hash, user_id, created_at, expires_at, access_control)
VALUES ($1, $2, $3, $4, $5)`
	selectSessionSQL = `SELECT id_hash, user_id, created_at, expires_at, access_control
FROM portal_sessions WHERE id_hash = $1`
	deleteSessionSQL       = `DELETE FROM portal_sessions WHERE id_hash = $1 RETURNING user_id`
	deleteSessionTokensSQL = `DELETE FROM tokens WHERE session_hash = $1`
	deleteUserSessionsSQL  = `DELETE FROM portal_sessions WHERE user_id = $1`
)

// CreatePortalSession stores a session of an existing user.
func (db *DB) CreatePortalSession(ctx context.Context, s ic.PortalSession) error {
	e := audit.New(ctx, "portal.session.create", "USER", s.UserID)
	return db.mutate(ctx, e, func(tx *txn) error {
		if err := mustExist(ctx, tx, userExistsSQL, s.UserID, errUserNotFound(s.UserID)); err != nil {
			return err
		}
		_, err := exec(ctx, tx, "insert portal session", insertSessionSQL,
			s.IDHash, s.UserID, ts(s.CreatedAt), ts(s.ExpiresAt), jsonCol{nonNil(s.AccessControl)})
		return err
	})
}

// PortalSession returns a session by the hash of its cookie value.
func (db *DB) PortalSession(ctx context.Context, idHash string) (ic.PortalSession, error) {
	var s ic.PortalSession
	err := queryRow(ctx, db.r, selectSessionSQL, idHash).Scan(&s.IDHash, &s.UserID,
		timeCol{&s.CreatedAt}, timeCol{&s.ExpiresAt}, jsonCol{&s.AccessControl})
	if len(s.AccessControl) == 0 {
		s.AccessControl = nil // a password sign-in's, as it was made
	}
	return s, notFound(err, "portal session", missing(store.ResourceSession, ""))
}

// DeletePortalSession ends a portal session and the tokens and codes of
// sign-ins approved in it; a missing session is not an error.
func (db *DB) DeletePortalSession(ctx context.Context, idHash string) error {
	return db.write(ctx, func(tx *txn) error {
		var userID string
		err := queryRow(ctx, tx, deleteSessionSQL, idHash).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return mapErr(err, "delete portal session")
		}
		if _, err := exec(ctx, tx, "end the session's tokens", deleteSessionTokensSQL, idHash); err != nil {
			return err
		}
		if _, err := exec(ctx, tx, "end the session's codes", deleteSessionCodeSQL, idHash); err != nil {
			return err
		}
		return db.insertEvent(ctx, tx, audit.New(ctx, "portal.session.delete", "USER", userID))
	})
}

// endSignIns ends every sign-in of a user: portal sessions and tokens.
func endSignIns(ctx context.Context, tx *txn, userID string) error {
	if _, err := exec(ctx, tx, "delete user sessions", deleteUserSessionsSQL, userID); err != nil {
		return err
	}
	return deleteUserTokens(ctx, tx, userID)
}

// nonNil is m, or an empty map for nil: the column holds {} rather than null.
func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
