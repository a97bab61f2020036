package postgres_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/postgres"
	"github.com/keyward/keyward/internal/store/postgres/pgtest"
	"github.com/keyward/keyward/internal/store/storetest"
)

func open(t *testing.T, url string, clk clock.Clock) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(t.Context(), url, clk)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestMain(m *testing.M) {
	code := m.Run()
	if err := pgtest.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

// migrated is a fresh store's schema with every migration applied, as
// pgtest.Migrated keeps them: each conformance case migrating its own took
// most of the suite's time. Open still checks the migrations; the upgrade
// tests migrate new, empty schemas.
func migrated(t *testing.T) string {
	return pgtest.Migrated(t, func(url string) error {
		db, err := postgres.Open(context.Background(), url, clock.Real{})
		if err != nil {
			return err
		}
		return db.Close()
	})
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, clk clock.Clock) store.AWS {
		return open(t, migrated(t), clk)
	})
}

func TestIdPConformance(t *testing.T) {
	storetest.RunIdP(t, func(t *testing.T, clk clock.Clock) store.IdP {
		return open(t, migrated(t), clk).IdP()
	})
}
