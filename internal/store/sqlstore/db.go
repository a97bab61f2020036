// Package sqlstore is the SQL shared by keyward's SQL storage backends
// (store/sqlite and store/postgres): store.AWS on database/sql, and
// store.IdP (DB.IdP, the idp_*.go files) on the same database, one file
// per aggregate, written once in the SQL both dialects accept ($N
// placeholders, ON CONFLICT, RETURNING, row values, CAST for LIMIT).
//
// It owns the queries, the transactions (every write is a compare-and-swap
// in one transaction, retried when it lost a race with another writer) and
// the keyset pagination. It does not own a schema, a driver or a connection
// string: each backend opens its pools, applies its own migrations (the
// same tables and indexes in its own types) and describes itself in a
// Dialect. It holds no business rules beyond what the store contract
// states, and it reads time only from the injected clock.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store"
)

// Dialect is what differs between the backends once the SQL is shared.
type Dialect struct {
	// Name prefixes backend failures ("postgres: begin: ...").
	Name string
	// UniqueViolation reports whether err is a uniqueness violation and
	// names the constraint as "table.column[, table.column]", the keys of
	// taken.
	UniqueViolation func(err error) (constraint string, ok bool)
	// Retryable reports whether a write transaction lost a race with
	// another writer and may simply run again.
	Retryable func(err error) bool
	// TxOptions start every write transaction.
	TxOptions *sql.TxOptions
	// SerializeEvents, when not empty, is run as the first statement of
	// every write transaction that may write an event, and makes such
	// transactions wait for each other: each reads the chain's head, so
	// two at once would conflict anyway. It must take no snapshot, so that
	// the transaction's snapshot (taken at its first query) comes after the
	// wait. Empty when the backend has a single writer.
	SerializeEvents string
	// MaxKey, when not 0, bounds in bytes the case-folded text a unique
	// index holds (see key): what one PostgreSQL index entry holds is
	// smaller than the longest text the products accept.
	MaxKey int
}

// DB is store.AWS on a SQL database.
type DB struct {
	w   *sql.DB // the pool write transactions run on
	r   *reader // the pool reads run on, with a statement cache
	d   Dialect
	clk clock.Clock
}

var _ store.AWS = (*DB)(nil)

// New returns the store on w (for write transactions) and r (for reads;
// it may be w). Event times come from clk. Close closes both pools.
func New(w, r *sql.DB, d Dialect, clk clock.Clock) *DB {
	db := &DB{w: w, d: d, clk: clk}
	db.r = newReader(r, &db.d)
	return db
}

// Ping checks that both pools reach the database.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.w.PingContext(ctx); err != nil {
		return fmt.Errorf("%s: ping: %w", db.d.Name, err)
	}
	return db.r.db.PingContext(ctx)
}

// Close closes both pools.
func (db *DB) Close() error {
	if db.r.db == db.w {
		return db.r.Close()
	}
	return errors.Join(db.r.Close(), db.w.Close())
}
