package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/keyward/keyward/internal/audit"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

const (
	selectPasswordSQL = `SELECT hash, failed_attempts, locked_until, updated_at
FROM password_states WHERE user_id = $1`
	upsertPasswordSQL = `INSERT INTO password_states (user_id, hash, failed_attempts, locked_until, updated_at)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, failed_attempts = excluded.failed_attempts,
	locked_until = excluded.locked_until, updated_at = excluded.updated_at`
)

// PasswordState returns the user's password state, a zero one (no hash) if
// none is set, or errs.NotFound for a missing user.
func (db *DB) PasswordState(ctx context.Context, userID string) (ic.PasswordState, error) {
	return passwordState(ctx, db.r, userID)
}

func passwordState(ctx context.Context, q querier, userID string) (ic.PasswordState, error) {
	if err := mustExist(ctx, q, userExistsSQL, userID, errUserNotFound(userID)); err != nil {
		return ic.PasswordState{}, err
	}
	ps := ic.PasswordState{UserID: userID}
	err := queryRow(ctx, q, selectPasswordSQL, userID).Scan(&ps.Hash, &ps.FailedAttempts,
		timeCol{&ps.LockedUntil}, timeCol{&ps.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return ps, nil
	}
	return ps, mapErr(err, "password state")
}

// UpdatePasswordState is compare-and-swap on the user's password state.
func (db *DB) UpdatePasswordState(ctx context.Context, userID string, fn func(ic.PasswordState) (ic.PasswordState, error)) (ic.PasswordState, error) {
	read := func(tx *txn) (ic.PasswordState, error) { return passwordState(ctx, tx, userID) }
	return swap(ctx, db, read, fn, func(tx *txn, old ic.PasswordState, next *ic.PasswordState) error {
		next.UserID = userID
		if _, err := exec(ctx, tx, "write password state", upsertPasswordSQL, userID, next.Hash,
			next.FailedAttempts, ts(next.LockedUntil), ts(next.UpdatedAt)); err != nil {
			return err
		}
		if old.Hash != next.Hash { // a new password ends every sign-in
			if err := endSignIns(ctx, tx, userID); err != nil {
				return err
			}
		}
		return db.insertEvent(ctx, tx, passwordEvent(ctx, old, *next))
	})
}

// passwordEvent is "user.password.update" when the hash changed, otherwise a
// sign-in that failed if the failure count grew.
func passwordEvent(ctx context.Context, old, next ic.PasswordState) audit.Event {
	if old.Hash != next.Hash {
		return audit.New(ctx, "user.password.update", "USER", next.UserID)
	}
	e := audit.New(ctx, "user.signin", "USER", next.UserID)
	if next.FailedAttempts > old.FailedAttempts {
		e.Outcome = audit.Failure
	}
	return e
}
