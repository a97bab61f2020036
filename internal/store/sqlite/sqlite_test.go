package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
	"github.com/keyward/keyward/internal/store/storetest"
)

func open(t *testing.T, path string, clk clock.Clock) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(t.Context(), path, clk)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, clk clock.Clock) store.AWS { return sqlitetest.Open(t, clk) })
}

func TestIdPConformance(t *testing.T) {
	storetest.RunIdP(t, func(t *testing.T, clk clock.Clock) store.IdP { return sqlitetest.Open(t, clk).IdP() })
}

var start = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestDataPersistsAcrossCloseAndReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keyward.db")
	clk := clock.NewFake(start)
	db := open(t, path, clk)
	u := ic.User{ID: "0123456789-00000000-0000-4000-8000-000000000001",
		Profile: ic.Profile{UserName: "persisted"}, Status: ic.UserEnabled, CreatedAt: start}
	if err := db.CreateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	again := open(t, path, clk) // migrations are applied already: a no-op
	got, err := again.UserByName(t.Context(), "PERSISTED")
	if err != nil {
		t.Fatalf("after reopen: %v", err)
	}
	if got.ID != u.ID {
		t.Errorf("after reopen got user %q, want %q", got.ID, u.ID)
	}
	if err := again.Ping(t.Context()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func TestDatabaseFilesArePrivate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keyward.db")
	db := open(t, path, clock.NewFake(start))
	if err := db.AppendEvent(t.Context(), auditEvent()); err != nil { // makes the WAL exist
		t.Fatal(err)
	}
	for _, name := range []string{"keyward.db", "keyward.db-wal", "keyward.db-shm"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("stat %s: %v", name, err)
			continue
		}
		if mode := fi.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %o, want 600", name, mode)
		}
	}
}

func TestOpenRefusesAnInMemoryDatabase(t *testing.T) {
	if _, err := sqlite.Open(context.Background(), ":memory:", clock.Real{}); err == nil {
		t.Error("Open(:memory:) succeeded; the two pools would see different databases")
	}
}

func TestATokenFromAnotherListIsInvalid(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "keyward.db"), clock.NewFake(start))
	ctx := t.Context()
	for range 2 {
		if err := db.AppendEvent(ctx, auditEvent()); err != nil {
			t.Fatal(err)
		}
	}
	_, tok, err := db.ListEvents(ctx, store.Page{Limit: 1})
	if err != nil || tok == "" {
		t.Fatalf("ListEvents: token %q, error %v", tok, err)
	}
	if _, _, err := db.ListUsers(ctx, store.UserFilter{}, store.Page{Limit: 1, Token: tok}); !errs.Is(err, errs.Invalid) {
		t.Errorf("ListUsers with an events token: %v, want errs.Invalid", err)
	}
}

func TestAPathWithURISyntaxOpens(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a dir?with#odd%chars")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "keyward.db")
	open(t, path, clock.NewFake(start))
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the database is not at %s: %v", path, err)
	}
}

// Two handles on one file stand for two processes: SQLite's file lock and
// busy timeout serialize their writers, and nothing is lost.
func TestTwoHandlesWriteOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keyward.db")
	clk := clock.NewFake(start)
	dbs := []*sqlite.DB{open(t, path, clk), open(t, path, clk)}
	const perHandle = 25
	errc := make(chan error, 2*perHandle)
	done := make(chan struct{})
	for _, db := range dbs {
		go func() {
			for range perHandle {
				errc <- db.AppendEvent(t.Context(), auditEvent())
			}
			done <- struct{}{}
		}()
	}
	<-done
	<-done
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatalf("a concurrent write failed: %v", err)
		}
	}
	all, _, err := dbs[0].ListEvents(t.Context(), store.Page{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2*perHandle {
		t.Errorf("%d events stored, want %d", len(all), 2*perHandle)
	}
}
