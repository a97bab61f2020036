package postgres_test

import (
	"testing"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store/storetest"
)

// TestAnUpgradedAppReadsBackWithNoClientSettings is the twin of the
// SQLite test.
func TestAnUpgradedAppReadsBackWithNoClientSettings(t *testing.T) {
	url, raw, p := migratedTo(t, 20)
	if _, err := raw.Exec(storetest.LegacyApp, storetest.LegacyAppToken); err != nil {
		t.Fatal(err)
	}
	db := open(t, url, clock.Real{})
	storetest.CheckUpgradedApp(t, db.IdP())
	db.Close()
	if _, err := p.DownTo(t.Context(), 20); err != nil {
		t.Fatalf("down: %v", err)
	}
	if _, err := p.Up(t.Context()); err != nil {
		t.Fatalf("up again: %v", err)
	}
}
