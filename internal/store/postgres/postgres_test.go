package postgres_test

import (
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

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, clk clock.Clock) store.AWS {
		return open(t, pgtest.URL(t), clk)
	})
}

func TestIdPConformance(t *testing.T) {
	storetest.RunIdP(t, func(t *testing.T, clk clock.Clock) store.IdP {
		return open(t, pgtest.URL(t), clk).IdP()
	})
}
