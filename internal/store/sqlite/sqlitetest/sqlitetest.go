// Package sqlitetest gives tests a fresh SQLite store without migrating
// one each time: it migrates one database file per test binary and copies
// it. Migrating a new file takes most of a second under the race
// detector (modernc's SQLite is Go, all of it instrumented), and suites
// that want a fresh store per case paid that hundreds of times.
//
// It owns only that copy; sqlite.Open still checks the copy's migrations.
package sqlitetest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store/sqlite"
)

var migrated struct {
	once  sync.Once
	bytes []byte
	err   error
}

// Open returns a fresh, empty store in t's temporary directory on clk,
// closed when t ends.
func Open(t testing.TB, clk clock.Clock) *sqlite.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "keyward.db")
	WriteEmpty(t, path)
	db, err := sqlite.Open(context.Background(), path, clk)
	if err != nil {
		t.Fatalf("open a copy of a migrated store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// WriteEmpty writes a newly migrated database file at path (mode 0600),
// for a test that opens the file itself, as a restarted process would.
// path must not exist: a copy over a database would destroy its data.
func WriteEmpty(t testing.TB, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		_, err = f.Write(empty(t))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		t.Fatal(err)
	}
}

// empty is a newly migrated database file's bytes, made once.
func empty(t testing.TB) []byte {
	migrated.once.Do(func() {
		dir, err := os.MkdirTemp("", "keyward-sqlitetest")
		if err != nil {
			migrated.err = err
			return
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, "keyward.db")
		db, err := sqlite.Open(context.Background(), path, clock.Real{})
		if err != nil {
			migrated.err = err
			return
		}
		if migrated.err = db.Close(); migrated.err == nil {
			migrated.bytes, migrated.err = os.ReadFile(path)
		}
	})
	if migrated.err != nil {
		t.Fatalf("migrate a template store: %v", migrated.err)
	}
	return migrated.bytes
}
