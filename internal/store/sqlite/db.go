// Package sqlite is keyward's embedded storage backend: store.AWS on one
// SQLite file, through modernc.org/sqlite (pure Go) and database/sql, with
// the schema kept as goose migrations in migrations/.
//
// SQLite has a single writer, so the DB holds two pools: one write
// connection that every mutating method goes through in an IMMEDIATE
// transaction, and a small query-only pool for reads.
//
// The package owns the SQLite schema, the file and its pragmas, and the
// reading of SQLite's errors (dialect.go). The queries themselves are
// store/sqlstore's, shared with store/postgres.
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
	"github.com/keyward/keyward/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// pragmas are applied to every connection. synchronous(NORMAL) is SQLite's
// advice for WAL mode: a crash of keyward loses nothing, a power loss may
// lose the last commits but never corrupts the database, and a commit costs
// no fsync (which made a token refresh five times dearer).
const pragmas = "_pragma=synchronous(NORMAL)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_txlock=immediate"

// readers is the size of the read pool.
const readers = 4

// DB is a SQLite-backed store.AWS.
type DB struct {
	*sqlstore.DB
}

var _ store.AWS = (*DB)(nil)

// Open opens (creating if needed, with mode 0600) the database at path,
// applies pending migrations and returns the store. Event times come from clk.
func Open(ctx context.Context, path string, clk clock.Clock) (*DB, error) {
	if path == "" || path == ":memory:" {
		return nil, errors.New("sqlite: a database file path is required")
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	w, err := sql.Open(driverName, dsn(path, ""))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open(driverName, dsn(path, "&_pragma=query_only(1)"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	return &DB{sqlstore.New(w, r, dialect, clk)}, nil
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
