package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
)

// querier is what both *sql.DB and *sql.Tx offer; read helpers take it so
// they work inside and outside a write transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// writeAttempts bounds the retries of a write transaction that found the
// database busy (another process holding the write lock past busy_timeout).
const writeAttempts = 4

// write runs fn in a write transaction and commits it, retrying on
// SQLITE_BUSY/LOCKED. fn must be safe to run again; an error it returns
// rolls back and comes back unchanged.
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = db.tryWrite(ctx, fn)
		if !isBusy(err) || attempt == writeAttempts {
			return err
		}
		if werr := backoff(ctx, attempt); werr != nil {
			return err
		}
	}
}

func (db *DB) tryWrite(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}

// backoff waits a little longer after each busy attempt.
func backoff(ctx context.Context, attempt int) error {
	t := time.NewTimer(time.Duration(attempt*attempt) * 10 * time.Millisecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// isBusy reports whether err is SQLite's "database is busy/locked".
func isBusy(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	code := se.Code() & 0xff
	return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
}

// uniqueViolation returns the "table.column, ..." a UNIQUE or PRIMARY KEY
// constraint failed on, if err is such a violation.
func uniqueViolation(err error) (string, bool) {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return "", false
	}
	if c := se.Code(); c != sqlite3.SQLITE_CONSTRAINT_UNIQUE && c != sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY {
		return "", false
	}
	msg := se.Error()
	const marker = "constraint failed: "
	i := strings.LastIndex(msg, marker)
	if i < 0 {
		return "", true
	}
	cols := msg[i+len(marker):]
	if j := strings.Index(cols, " ("); j >= 0 {
		cols = cols[:j]
	}
	return cols, true
}

// conflictMessages names, per constraint, the message a client sees.
var conflictMessages = map[string]string{
	"accounts.id":                "An account with this id already exists.",
	"accounts.email_norm":        "An account with this email address already exists.",
	"create_account_statuses.id": "A CreateAccount request with this id already exists.",
	"users.id":                   "A user with this id already exists.",
	"users.user_name_norm":       "Duplicate UserName",
	"user_external_ids.issuer, user_external_ids.external_id": "Duplicate ExternalId",
	"groups.id":                "A group with this id already exists.",
	"groups.display_name_norm": "Duplicate GroupDisplayName",
	"group_external_ids.issuer, group_external_ids.external_id": "Duplicate ExternalId",
	"memberships.id": "A membership with this id already exists.",
	"memberships.group_id, memberships.user_id":         "The user is already a member of the group.",
	"permission_sets.id":                                "A permission set with this id already exists.",
	"permission_sets.instance_id, permission_sets.name": "A permission set with this name already exists.",
	"requests.id":                     "A request with this id already exists.",
	"portal_sessions.id_hash":         "A portal session with this id already exists.",
	"oidc_clients.id":                 "A client with this id already exists.",
	"device_authorizations.code_hash": "A device authorization with this device code already exists.",
	"device_authorizations.user_code": "The user code is already in use.",
	"tokens.access_hash":              "The access token already exists.",
	"tokens.refresh_hash":             "The refresh token already exists.",
	"events.id":                       "An event with this id already exists.",
}

// mapErr turns a uniqueness violation into errs.Conflict and wraps anything
// else that is not already an *errs.Error as a backend failure.
func mapErr(err error, op string) error {
	if err == nil {
		return nil
	}
	if _, ok := errs.As(err); ok {
		return err
	}
	if cols, ok := uniqueViolation(err); ok {
		msg, known := conflictMessages[cols]
		if !known {
			msg = "The resource already exists."
		}
		return errs.E(errs.Conflict, "%s", msg).WithReason("UNIQUENESS_CONSTRAINT_VIOLATION")
	}
	return fmt.Errorf("sqlite: %s: %w", op, err)
}

// exec runs one statement inside tx, mapping its error.
func exec(ctx context.Context, q querier, op, query string, args ...any) (sql.Result, error) {
	res, err := q.ExecContext(ctx, query, args...)
	return res, mapErr(err, op)
}

// affected runs one statement and returns how many rows it changed.
func affected(ctx context.Context, q querier, op, query string, args ...any) (int64, error) {
	res, err := exec(ctx, q, op, query, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return n, mapErr(err, op)
}

// mutate runs fn in a write transaction that also records e.
func (db *DB) mutate(ctx context.Context, e audit.Event, fn func(tx *sql.Tx) error) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return db.insertEvent(ctx, tx, e)
	})
}

// update is the compare-and-swap every Update method shares: read the row in
// the write transaction, let fn decide, write what it returns (with the id
// kept), and record e, or write nothing if any step fails.
func update[T any](ctx context.Context, db *DB, e audit.Event, read func(*sql.Tx) (T, error),
	fn func(T) (T, error), write func(*sql.Tx, T) error) (T, error) {
	var next T
	err := db.mutate(ctx, e, func(tx *sql.Tx) error {
		old, err := read(tx)
		if err != nil {
			return err
		}
		if next, err = fn(old); err != nil {
			return err
		}
		return write(tx, next)
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return next, nil
}
