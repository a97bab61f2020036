package sqlite_test

import (
	"testing"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/storetest"
)

// TestAnUpgradedClientKeepsTheDeviceFlow migrates a database to before
// grant types and authorization codes, registers a client there, upgrades
// it and checks the client reads back with the device and refresh grants;
// then the migrations go down and up again.
func TestAnUpgradedClientKeepsTheDeviceFlow(t *testing.T) {
	path, raw, p := migratedTo(t, 21)
	if _, err := raw.Exec(storetest.LegacyClient); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(t.Context(), path, clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	storetest.CheckUpgradedClient(t, db)
	db.Close()
	if _, err := p.DownTo(t.Context(), 21); err != nil {
		t.Fatalf("down: %v", err)
	}
	if _, err := p.Up(t.Context()); err != nil {
		t.Fatalf("up again: %v", err)
	}
}
