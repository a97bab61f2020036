package postgres_test

import (
	"testing"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store/storetest"
)

// TestATokenStoredBeforeRefreshScopesKeepsItsGrantOnUpgrade is the twin
// of the SQLite test.
func TestATokenStoredBeforeRefreshScopesKeepsItsGrantOnUpgrade(t *testing.T) {
	url, raw, p := migratedTo(t, 23)
	if _, err := raw.Exec(storetest.LegacyTokenApp, storetest.LegacyAppToken); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(storetest.LegacyToken); err != nil {
		t.Fatal(err)
	}
	check := func() {
		t.Helper()
		db := open(t, url, clock.Real{})
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
