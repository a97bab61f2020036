package sqlite_test

import (
	"testing"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/storetest"
)

// TestAnUpgradedOrganizationGetsItsRootWithEveryAccountUnderIt migrates a
// database to before Organizations' tree, stores an organization and its
// accounts there, upgrades it and checks that the organization has the
// root a first start would have made, with every account under it; then
// the migration goes down and up again.
func TestAnUpgradedOrganizationGetsItsRootWithEveryAccountUnderIt(t *testing.T) {
	path, raw, p := migratedTo(t, 16)
	for _, q := range storetest.LegacyOrganization {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db, err := sqlite.Open(t.Context(), path, clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	storetest.CheckUpgradedOrganization(t, db)
	db.Close()
	if _, err := p.DownTo(t.Context(), 16); err != nil {
		t.Fatalf("down: %v", err)
	}
	if _, err := p.Up(t.Context()); err != nil {
		t.Fatalf("up again: %v", err)
	}
}
