package postgres_test

import (
	"testing"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store/storetest"
)

// TestAnUpgradedClientKeepsTheDeviceFlow is the twin of the SQLite test.
func TestAnUpgradedClientKeepsTheDeviceFlow(t *testing.T) {
	url, raw, p := migratedTo(t, 21)
	if _, err := raw.Exec(storetest.LegacyClient); err != nil {
		t.Fatal(err)
	}
	db := open(t, url, clock.Real{})
	storetest.CheckUpgradedClient(t, db)
	db.Close()
	if _, err := p.DownTo(t.Context(), 21); err != nil {
		t.Fatalf("down: %v", err)
	}
	if _, err := p.Up(t.Context()); err != nil {
		t.Fatalf("up again: %v", err)
	}
}
