package sqlite

import (
	"context"
	"database/sql/driver"
	"path/filepath"
	"strconv"
	"testing"

	"modernc.org/sqlite"
)

func TestAConnectionPreparesEachQueryOnce(t *testing.T) {
	c, err := cachingDriver{&sqlite.Driver{}}.Open(dsn(filepath.Join(t.TempDir(), "c.db"), ""))
	if err != nil {
		t.Fatal(err)
	}
	conn := c.(*cachingConn)
	ctx := context.Background()
	first, err := conn.PrepareContext(ctx, "SELECT $1")
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil { // what database/sql does after each use
		t.Fatal(err)
	}
	again, err := conn.PrepareContext(ctx, "SELECT $1")
	if err != nil {
		t.Fatal(err)
	}
	if again != first {
		t.Error("the same query was prepared twice on one connection")
	}
	rows, err := again.(driver.StmtQueryContext).QueryContext(ctx, []driver.NamedValue{{Ordinal: 1, Value: int64(7)}})
	if err != nil {
		t.Fatalf("a cached statement after Close: %v", err)
	}
	rows.Close()
	if err := conn.Close(); err != nil {
		t.Fatalf("closing the connection and its statements: %v", err)
	}
}

func TestTheCacheStopsGrowingAtItsBound(t *testing.T) {
	c, err := cachingDriver{&sqlite.Driver{}}.Open(dsn(filepath.Join(t.TempDir(), "c.db"), ""))
	if err != nil {
		t.Fatal(err)
	}
	conn := c.(*cachingConn)
	defer conn.Close()
	for i := range maxConnStatements + 10 {
		st, err := conn.PrepareContext(context.Background(), "SELECT $1 + "+strconv.Itoa(i))
		if err != nil {
			t.Fatal(err)
		}
		st.Close()
	}
	if n := len(conn.stmts); n != maxConnStatements {
		t.Errorf("the cache holds %d statements, want at most %d", n, maxConnStatements)
	}
}
