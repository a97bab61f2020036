package sqlite_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store/sqlite"
)

// TestAnUpgradedLogChainsOnFromItsLegacyEvents migrates a database to
// before the chain, writes events there, upgrades it and checks that new
// events chain on and verification skips only the legacy prefix; then the
// chain migration goes down and up again.
func TestAnUpgradedLogChainsOnFromItsLegacyEvents(t *testing.T) {
	path, raw, p := migratedTo(t, 8)
	for _, id := range []string{"old1", "old2"} {
		if _, err := raw.Exec(`INSERT INTO events (id, time, action, actor_type, actor_id, actor_name, client_ip,
			client_user_agent, target_type, target_id, outcome, message) VALUES (?, 1, 'x', '', '', '', '', '', '', '', 'SUCCESS', '')`, id); err != nil {
			t.Fatal(err)
		}
	}

	db, err := sqlite.Open(t.Context(), path, clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := db.AppendEvent(t.Context(), audit.Event{Action: "after.upgrade"}); err != nil {
			t.Fatal(err)
		}
	}
	events, err := db.EventsAfter(t.Context(), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	v, brk := audit.Verify(events)
	if brk != nil || v.Legacy != 2 || v.Verified != 3 || events[2].Seq != 3 || events[2].PrevHash != audit.ZeroHash {
		t.Fatalf("verify: %v; %d legacy and %d chained events, want 2 and 3 (first chained: seq %d, prev %s)",
			brk, v.Legacy, v.Verified, events[2].Seq, events[2].PrevHash)
	}

	if _, err := p.DownTo(t.Context(), 8); err != nil {
		t.Fatalf("down: %v", err)
	}
	if _, err := p.Up(t.Context()); err != nil {
		t.Fatalf("up again: %v", err)
	}
}

// migratedTo is a fresh database file migrated to version, opened raw,
// and the migration provider that can take it further (or back).
func migratedTo(t *testing.T, version int64) (string, *sql.DB, *goose.Provider) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "keyward.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	p, err := goose.NewProvider(goose.DialectSQLite3, raw, os.DirFS("migrations"),
		goose.WithDisableGlobalRegistry(true), goose.WithLogger(goose.NopLogger()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(t.Context(), version); err != nil {
		t.Fatal(err)
	}
	return path, raw, p
}
