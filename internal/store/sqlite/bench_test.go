package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/storetest"
)

type benchWorld struct {
	path string
	storetest.Scale
	err error
}

var (
	worldOnce sync.Once
	world     benchWorld
)

// seededWorld builds storetest's scale world once per process and returns
// it; every benchmark opens its own handle on the file.
func seededWorld(b *testing.B) benchWorld {
	b.Helper()
	worldOnce.Do(func() {
		dir, err := os.MkdirTemp("", "keyward-bench-")
		if err != nil {
			world.err = err
			return
		}
		world.path = filepath.Join(dir, "bench.db")
		db, err := sqlite.Open(context.Background(), world.path, clock.NewFake(start))
		if err != nil {
			world.err = err
			return
		}
		defer db.Close()
		world.Scale, world.err = storetest.SeedScale(context.Background(), db, "ssoins-0123456789abcdef")
	})
	if world.err != nil {
		b.Fatal(world.err)
	}
	return world
}

func benchDB(b *testing.B) (*sqlite.DB, benchWorld) {
	w := seededWorld(b)
	db, err := sqlite.Open(b.Context(), w.path, clock.NewFake(start))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db, w
}

// pkLookup is the mean time of one primary-key read (Account) on db, measured
// in the same run as the benchmark it scales: "x-pk" metrics are multiples
// of it, so they read the same on any machine.
func pkLookup(b *testing.B, db *sqlite.DB, accountID string) float64 {
	const n = 200
	start := time.Now()
	for range n {
		if _, err := db.Account(b.Context(), accountID); err != nil {
			b.Fatal(err)
		}
	}
	return float64(time.Since(start).Nanoseconds()) / n
}

// reportPK reports the per-call cost as a multiple of a primary-key read.
func reportPK(b *testing.B, pk float64, calls int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(calls)/pk, "x-pk")
}

// BenchmarkUserAccounts walks every page (Limit 100) of the user's accounts.
func BenchmarkUserAccounts(b *testing.B) {
	db, w := benchDB(b)
	pk := pkLookup(b, db, w.AccountID)
	pages, accounts := 0, 0
	for b.Loop() {
		p := store.Page{Limit: 100}
		for {
			got, next, err := db.UserAccounts(b.Context(), w.UserID, p)
			if err != nil {
				b.Fatal(err)
			}
			pages, accounts = pages+1, accounts+len(got)
			if next == "" {
				break
			}
			p.Token = next
		}
	}
	b.ReportMetric(float64(accounts)/float64(b.N), "accounts/op")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(pages), "ns/page")
	reportPK(b, pk, pages)
}

// BenchmarkUserRoles lists the user's roles on one account.
func BenchmarkUserRoles(b *testing.B) {
	db, w := benchDB(b)
	pk := pkLookup(b, db, w.AccountID)
	roles := 0
	for b.Loop() {
		got, _, err := db.UserRoles(b.Context(), w.UserID, w.AccountID, store.Page{Limit: 100})
		if err != nil {
			b.Fatal(err)
		}
		roles += len(got)
	}
	b.ReportMetric(float64(roles)/float64(b.N), "roles/op")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/call")
	reportPK(b, pk, b.N)
}

// BenchmarkUserRole checks one entitlement, as GetRoleCredentials does.
func BenchmarkUserRole(b *testing.B) {
	db, w := benchDB(b)
	pk := pkLookup(b, db, w.AccountID)
	for b.Loop() {
		if _, err := db.UserRole(b.Context(), w.UserID, w.AccountID, w.SetName); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/call")
	reportPK(b, pk, b.N)
}
