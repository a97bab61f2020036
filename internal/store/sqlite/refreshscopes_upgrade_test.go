package sqlite_test

import (
	"testing"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/storetest"
)

// TestATokenStoredBeforeRefreshScopesKeepsItsGrantOnUpgrade migrates a
// database to before refresh tokens kept scopes of their own, stores a
// token there, upgrades it and checks its refresh token still has the
// scopes it was granted; then the migration goes down and up again.
func TestATokenStoredBeforeRefreshScopesKeepsItsGrantOnUpgrade(t *testing.T) {
	path, raw, p := migratedTo(t, 23)
	if _, err := raw.Exec(storetest.LegacyTokenApp, storetest.LegacyAppToken); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(storetest.LegacyToken); err != nil {
		t.Fatal(err)
	}
	check := func() {
		t.Helper()
		db, err := sqlite.Open(t.Context(), path, clock.Real{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		storetest.CheckUpgradedToken(t, db.IdP())
	}
	check()
	if _, err := p.DownTo(t.Context(), 23); err != nil {
		t.Fatalf("down: %v", err)
	}
	if _, err := p.Up(t.Context()); err != nil {
		t.Fatalf("up again: %v", err)
	}
	check()
}
