package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/keyward/keyward/internal/store/sqlstore"
)

// SQLSTATEs the dialect reads.
const (
	uniqueViolation      = "23505"
	serializationFailure = "40001"
	deadlockDetected     = "40P01"
)

// newDialect describes PostgreSQL to the shared SQL. Every write is
// SERIALIZABLE: what SQLite gets from its single writer, PostgreSQL gets
// from serializable snapshot isolation plus a retry on 40001/40P01.
func newDialect(ctx context.Context, pool *sql.DB) (sqlstore.Dialect, error) {
	constraints, err := uniqueConstraints(ctx, pool)
	if err != nil {
		return sqlstore.Dialect{}, err
	}
	return sqlstore.Dialect{
		Name: "postgres",
		UniqueViolation: func(err error) (string, bool) {
			pe := pgError(err, uniqueViolation)
			if pe == nil {
				return "", false
			}
			return constraints[pe.ConstraintName], true
		},
		Retryable: func(err error) bool {
			return pgError(err, serializationFailure) != nil || pgError(err, deadlockDetected) != nil
		},
		TxOptions: &sql.TxOptions{Isolation: sql.LevelSerializable},
		// Every event write reads the chain's head (the newest event), so
		// concurrent event writers always conflict under SERIALIZABLE:
		// measured with 8 writers × 20 appends, one append in six failed
		// with 40001 and some needed four attempts, close enough to the
		// retry bound to fail under load. LOCK TABLE takes no snapshot (a
		// SELECT pg_advisory_xact_lock would, and then read a stale head
		// after the wait), so writers queue before their snapshot and read
		// the head fresh. SHARE ROW EXCLUSIVE conflicts with itself and
		// with INSERT's ROW EXCLUSIVE, not with readers' ACCESS SHARE.
		SerializeEvents: "LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE",
		// A btree entry holds at most 2704 bytes; an identity store group
		// name or email may be 1024 characters of up to four bytes each,
		// a rate-limit key holds a client's words. 1000
		// leaves room for a key's hash and a second column.
		MaxKey: 1000,
	}, nil
}

// pgError returns err's PostgreSQL error if it has the SQLSTATE code.
func pgError(err error, code string) *pgconn.PgError {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == code {
		return pe
	}
	return nil
}

// uniqueConstraintsSQL names every unique index of the current schema by
// its table and columns, "table.column, table.column", the way SQLite
// names a violated constraint, so both dialects share one table of
// conflict messages.
const uniqueConstraintsSQL = `SELECT i.relname, string_agg(t.relname || '.' || a.attname, ', ' ORDER BY k.n)
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
WHERE x.indisunique AND t.relnamespace = current_schema()::regnamespace
GROUP BY i.relname`

func uniqueConstraints(ctx context.Context, pool *sql.DB) (map[string]string, error) {
	rows, err := pool.QueryContext(ctx, uniqueConstraintsSQL)
	if err != nil {
		return nil, fmt.Errorf("postgres: read constraints: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, cols string
		if err := rows.Scan(&name, &cols); err != nil {
			return nil, fmt.Errorf("postgres: read constraints: %w", err)
		}
		out[name] = cols
	}
	return out, rows.Err()
}
