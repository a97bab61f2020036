package postgres_test

import (
	"testing"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store/storetest"
)

// TestAnUpgradedOrganizationGetsItsRootWithEveryAccountUnderIt is the twin
// of the SQLite test.
func TestAnUpgradedOrganizationGetsItsRootWithEveryAccountUnderIt(t *testing.T) {
	url, raw, p := migratedTo(t, 16)
	for _, q := range storetest.LegacyOrganization {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db := open(t, url, clock.Real{})
	storetest.CheckUpgradedOrganization(t, db)
	db.Close()
	if _, err := p.DownTo(t.Context(), 16); err != nil {
		t.Fatalf("down: %v", err)
	}
	if _, err := p.Up(t.Context()); err != nil {
		t.Fatalf("up again: %v", err)
	}
}
