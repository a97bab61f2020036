package sqlite

import (
	"errors"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/keyward/keyward/internal/store/sqlstore"
)

// dialect is how SQLite differs: its errors, and a transaction that takes
// the write lock at BEGIN (the DSN's _txlock=immediate) rather than at its
// first write, so two writers queue instead of deadlocking.
var dialect = sqlstore.Dialect{
	Name:            "sqlite",
	UniqueViolation: uniqueViolation,
	Retryable:       isBusy,
}

// isBusy reports whether err is SQLite's "database is busy/locked": another
// process held the write lock past busy_timeout.
func isBusy(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	code := se.Code() & 0xff
	return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
}

// uniqueViolation returns the "table.column, ..." a UNIQUE or PRIMARY KEY
// constraint failed on, if err is such a violation. SQLite reports the
// columns only in its message ("UNIQUE constraint failed: users.id").
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
