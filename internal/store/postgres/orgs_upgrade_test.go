package postgres_test

import (
	"database/sql"
	"os"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store/postgres/pgtest"
	"github.com/keyward/keyward/internal/store/storetest"
)

// TestAnUpgradedOrganizationGetsItsRootWithEveryAccountUnderIt is the twin
// of the SQLite test.
func TestAnUpgradedOrganizationGetsItsRootWithEveryAccountUnderIt(t *testing.T) {
	url := pgtest.URL(t)
	raw, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, raw, os.DirFS("migrations"),
		goose.WithDisableGlobalRegistry(true), goose.WithLogger(goose.NopLogger()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(t.Context(), 16); err != nil {
		t.Fatal(err)
	}
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
