// Package sqlitetest gives tests a fresh SQLite store without migrating
// one each time: it migrates one database file per test binary and copies
// it. Migrating a new file takes most of a second under the race
// detector (modernc's SQLite is Go, all of it instrumented), and suites
// that want a fresh store per case paid that hundreds of times.
//
// It owns that copy (sqlite.Open still checks the copy's migrations) and
// the first-start state and small directory the AWS services' test
// servers start from.
package sqlitetest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/clock"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite"
)

var migrated struct {
	once  sync.Once
	bytes []byte
	err   error
}

// Open returns a fresh, empty store in t's temporary directory on clk,
// closed when t ends.
func Open(t testing.TB, clk clock.Clock) *sqlite.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "keyward.db")
	WriteEmpty(t, path)
	db, err := sqlite.Open(context.Background(), path, clk)
	if err != nil {
		t.Fatalf("open a copy of a migrated store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// WriteEmpty writes a newly migrated database file at path (mode 0600),
// for a test that opens the file itself, as a restarted process would.
// path must not exist: a copy over a database would destroy its data.
func WriteEmpty(t testing.TB, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		_, err = f.Write(empty(t))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		t.Fatal(err)
	}
}

// empty is a newly migrated database file's bytes, made once.
func empty(t testing.TB) []byte {
	migrated.once.Do(func() {
		dir, err := os.MkdirTemp("", "keyward-sqlitetest")
		if err != nil {
			migrated.err = err
			return
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, "keyward.db")
		db, err := sqlite.Open(context.Background(), path, clock.Real{})
		if err != nil {
			migrated.err = err
			return
		}
		if migrated.err = db.Close(); migrated.err == nil {
			migrated.bytes, migrated.err = os.ReadFile(path)
		}
	})
	if migrated.err != nil {
		t.Fatalf("migrate a template store: %v", migrated.err)
	}
	return migrated.bytes
}

// Bootstrap stores in db what a first start stores, with rootKey as the
// management account's root key, and returns it.
func Bootstrap(t testing.TB, db *sqlite.DB, rootKey ic.AccessKey) store.Bootstrap {
	t.Helper()
	got, created, err := db.Bootstrap(context.Background(), store.NewBootstrap(clock.Random, time.Now().UTC(), "root@example.com", rootKey))
	if err != nil || !created {
		t.Fatalf("bootstrap a fresh store: created %v, %v", created, err)
	}
	return got
}

// Directory is what Seed adds.
type Directory struct{ Account, User, Group string }

// Seed adds a member account "Dev", a user "alice" and a group named group
// to db's identity store storeID, straight to the store.
func Seed(t testing.TB, db *sqlite.DB, storeID, group string) Directory {
	t.Helper()
	ctx, now := context.Background(), time.Now().UTC()
	acct := ic.Account{ID: ic.NewAccountID(clock.Random), Name: "Dev", Email: "dev@example.com",
		Status: ic.AccountActive, JoinedMethod: ic.JoinedCreated, JoinedAt: now}
	u := ic.User{ID: ic.NewPrincipalID(clock.Random, storeID), Status: ic.UserEnabled, CreatedAt: now, UpdatedAt: now,
		Profile: ic.Profile{UserName: "alice", DisplayName: "Alice Example", Name: ic.Name{GivenName: "Alice", FamilyName: "Example"}}}
	g := ic.Group{ID: ic.NewPrincipalID(clock.Random, storeID), DisplayName: group, CreatedAt: now, UpdatedAt: now}
	err := db.CreateAccount(ctx, acct, ic.CreateAccountStatus{ID: "car-" + clock.Hex(clock.Random, 16),
		AccountName: acct.Name, State: ic.StateSucceeded, AccountID: acct.ID, RequestedAt: now, CompletedAt: now})
	if err == nil {
		err = db.CreateUser(ctx, u)
	}
	if err == nil {
		err = db.CreateGroup(ctx, g)
	}
	if err != nil {
		t.Fatalf("seed the directory: %v", err)
	}
	return Directory{Account: acct.ID, User: u.ID, Group: g.ID}
}
