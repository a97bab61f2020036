package sqlite_test

import (
	"testing"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/storetest"
)

// TestAnUpgradedAppReadsBackWithNoClientSettings migrates a database to
// before OpenID Connect apps, stores an app there, upgrades it and checks
// the app reads back with zero client settings; then the migration goes
// down and up again.
func TestAnUpgradedAppReadsBackWithNoClientSettings(t *testing.T) {
	path, raw, p := migratedTo(t, 20)
	if _, err := raw.Exec(storetest.LegacyApp, storetest.LegacyAppToken); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(t.Context(), path, clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	storetest.CheckUpgradedApp(t, db.IdP())
	db.Close()
	if _, err := p.DownTo(t.Context(), 20); err != nil {
		t.Fatalf("down: %v", err)
	}
	if _, err := p.Up(t.Context()); err != nil {
		t.Fatalf("up again: %v", err)
	}
}
