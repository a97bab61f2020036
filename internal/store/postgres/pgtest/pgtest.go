// Package pgtest gives tests a fresh PostgreSQL schema on the server named
// by KEYWARD_TEST_POSTGRES_URL, which the README's test command starts (a
// throwaway cluster) unless the variable is already set: an empty one
// (URL), or a migrated one reset from an earlier test (Migrated).
//
// Without the variable a test is skipped, except under CI=true, where a
// missing PostgreSQL is a failure: the suite must never pass by not running.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/keyward/keyward/internal/clock"
)

// EnvURL names the server the tests use.
const EnvURL = "KEYWARD_TEST_POSTGRES_URL"

// Server returns the server's URL, skipping (or, under CI, failing) t when
// none is configured.
func Server(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: the test command starts a PostgreSQL for the tests (scripts/test)", EnvURL)
		}
		t.Skipf("%s is not set; scripts/test starts a PostgreSQL and sets it", EnvURL)
	}
	return u
}

// URL creates an empty schema for t, dropped when t ends, and returns a
// connection URL whose search_path is that schema: a store opened on it
// sees only its own tables.
func URL(t testing.TB) string {
	t.Helper()
	u, drop, err := Schema(Server(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Error(err)
		}
	})
	return u
}

// Schema creates an empty schema on server and returns its URL and a
// function that drops it, for state that outlives one test (a benchmark
// world).
func Schema(server string) (url string, drop func() error, err error) {
	schema := "t_" + clock.Hex(clock.Random, 8)
	if err := run(server, `CREATE SCHEMA `+schema); err != nil {
		return "", nil, err
	}
	drop = func() error { return run(server, `DROP SCHEMA `+schema+` CASCADE`) }
	u, err := WithSearchPath(server, schema)
	if err != nil {
		drop()
		return "", nil, err
	}
	return u, drop, nil
}

// WithSearchPath returns the postgres:// URL u with its search_path set to schema.
func WithSearchPath(u, schema string) (string, error) {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "postgres" && p.Scheme != "postgresql") {
		return "", fmt.Errorf("%s must be a postgres:// URL", EnvURL)
	}
	q := p.Query()
	q.Set("search_path", schema)
	p.RawQuery = q.Encode()
	return p.String(), nil
}

// run executes one statement on the server.
func run(server, stmt string) error {
	db, err := sql.Open("pgx", server)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(context.Background(), stmt); err != nil {
		return fmt.Errorf("%s: %w", strings.Fields(stmt)[0], err)
	}
	return nil
}
