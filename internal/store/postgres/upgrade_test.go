package postgres_test

import (
	"database/sql"
	"os"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store/postgres/pgtest"
)

// TestAnUpgradedLogChainsOnFromItsLegacyEvents is the twin of the SQLite
// test: legacy events keep their seqs, new ones chain on from seq + 1, and
// the chain migration goes down (seq an identity again, past the newest)
// and up again.
func TestAnUpgradedLogChainsOnFromItsLegacyEvents(t *testing.T) {
	url, raw, p := migratedTo(t, 8)
	legacy := func(id string) {
		t.Helper()
		if _, err := raw.Exec(`INSERT INTO events (id, time, action, actor_type, actor_id, actor_name, client_ip,
			client_user_agent, target_type, target_id, outcome, message) VALUES ($1, 1, 'x', '', '', '', '', '', '', '', 'SUCCESS', '')`, id); err != nil {
			t.Fatal(err)
		}
	}
	legacy("old1")
	legacy("old2")

	db := open(t, url, clock.Real{})
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
	legacy("old3") // the identity must continue past seq 5
	var seq int64
	if err := raw.QueryRow(`SELECT seq FROM events WHERE id = 'old3'`).Scan(&seq); err != nil || seq != 6 {
		t.Errorf("after down, a new event got seq %d (%v), want 6", seq, err)
	}
	if _, err := p.Up(t.Context()); err != nil {
		t.Fatalf("up again: %v", err)
	}
}

// migratedTo is a fresh database migrated to version: its URL, a raw
// connection and the migration provider that can take it further (or back).
func migratedTo(t *testing.T, version int64) (string, *sql.DB, *goose.Provider) {
	t.Helper()
	url := pgtest.URL(t)
	raw, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	p, err := goose.NewProvider(goose.DialectPostgres, raw, os.DirFS("migrations"),
		goose.WithDisableGlobalRegistry(true), goose.WithLogger(goose.NopLogger()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(t.Context(), version); err != nil {
		t.Fatal(err)
	}
	return url, raw, p
}
