// Package postgres is keyward's storage backend for more than one replica:
// store.AWS on a PostgreSQL database, through pgx v5's database/sql
// driver, with the schema kept as goose migrations in migrations/.
//
// Every write transaction runs SERIALIZABLE and is retried when PostgreSQL
// reports a serialization failure or a deadlock, so the store contract's
// compare-and-swap holds across any number of `keyward serve` processes on
// one database. Migrations take a session advisory lock named after the
// schema, so replicas that start together migrate once.
//
// The package owns the PostgreSQL schema (text columns collate "C", so
// keyset pages order exactly as SQLite's), the connection pool and the
// reading of PostgreSQL's errors (dialect.go). The queries are
// store/sqlstore's, shared with store/sqlite.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"hash/crc64"
	"io/fs"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// maxConns bounds one process's connections; replicas multiply it, so keep
// it well under the server's max_connections divided by the replica count.
const maxConns = 16

// DB is a PostgreSQL-backed store.AWS.
type DB struct {
	*sqlstore.DB
}

var _ store.AWS = (*DB)(nil)

// Open connects to the database at url (a postgres:// URL or a key=value
// connection string), applies pending migrations in its current schema and
// returns the store. Event times come from clk.
func Open(ctx context.Context, url string, clk clock.Clock) (*DB, error) {
	pool, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	pool.SetMaxOpenConns(maxConns)
	pool.SetMaxIdleConns(maxConns)
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	d, err := newDialect(ctx, pool)
	if err != nil {
		pool.Close()
		return nil, err
	}
	return &DB{sqlstore.New(pool, pool, d, clk)}, nil
}

// migrate applies the embedded migrations that are not applied yet, holding
// an advisory lock for the schema while it does.
func migrate(ctx context.Context, pool *sql.DB) error {
	var schema string
	if err := pool.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return fmt.Errorf("postgres: connect: %w", err)
	}
	locker, err := lock.NewPostgresSessionLocker(
		lock.WithLockID(int64(crc64.Checksum([]byte("keyward:"+schema), crc64.MakeTable(crc64.ECMA))>>1)),
		lock.WithLockTimeout(1, 300))
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectPostgres, pool, sub, goose.WithSessionLocker(locker),
		goose.WithDisableGlobalRegistry(true), goose.WithLogger(goose.NopLogger()))
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	return nil
}
