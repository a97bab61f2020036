// Package sqlite is keyward's embedded storage backend: store.Store on one
// SQLite file, through modernc.org/sqlite (pure Go) and database/sql, with
// the schema kept as goose migrations in migrations/.
//
// SQLite has a single writer, so the DB holds two pools: one write
// connection that every mutating method goes through in an IMMEDIATE
// transaction, and a small query-only pool for reads. The SQL is written to
// be portable ($N placeholders, ON CONFLICT, RETURNING, row values), one file
// per aggregate, so a PostgreSQL backend can reuse most of it.
//
// The package owns the schema and the SQL. It must not hold business rules
// beyond what the store contract states, and it reads time only from the
// injected clock.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// pragmas are applied to every connection.
const pragmas = "_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_txlock=immediate"

// readers is the size of the read pool.
const readers = 4

// DB is a SQLite-backed store.Store.
type DB struct {
	w   *sql.DB // the single writer
	r   *reader // query-only readers
	clk clock.Clock
}

var _ store.Store = (*DB)(nil)

// Open opens (creating if needed, with mode 0600) the database at path,
// applies pending migrations and returns the store. Event times come from clk.
func Open(ctx context.Context, path string, clk clock.Clock) (*DB, error) {
	if path == "" || path == ":memory:" {
		return nil, errors.New("sqlite: a database file path is required")
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	db := &DB{clk: clk}
	var err error
	if db.w, err = sql.Open("sqlite", dsn(path, "")); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.w.SetMaxOpenConns(1)
	if err := migrate(ctx, db.w); err != nil {
		db.w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", dsn(path, "&_pragma=query_only(1)"))
	if err != nil {
		db.w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	db.r = newReader(r)
	return db, nil
}

// createPrivate makes sure path exists with mode 0600 before SQLite opens
// it; SQLite gives the -wal and -shm files the database file's mode.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sqlite: create %s: %w", path, err)
	}
	defer f.Close()
	if err := f.Chmod(0o600); err != nil { // independent of the umask
		return fmt.Errorf("sqlite: chmod %s: %w", path, err)
	}
	return nil
}

// dsn builds a URI filename for path with the standard pragmas and extra.
func dsn(path, extra string) string {
	u := url.URL{Path: path}
	return "file:" + u.EscapedPath() + "?" + pragmas + extra
}

// migrate applies the embedded migrations that are not applied yet.
func migrate(ctx context.Context, w *sql.DB) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, w, sub,
		goose.WithDisableGlobalRegistry(true), goose.WithLogger(goose.NopLogger()))
	if err != nil {
		return fmt.Errorf("sqlite: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	return nil
}

// Ping checks that both pools reach the database.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.w.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	return db.r.db.PingContext(ctx)
}

// Close closes both pools.
func (db *DB) Close() error {
	return errors.Join(db.r.Close(), db.w.Close())
}
