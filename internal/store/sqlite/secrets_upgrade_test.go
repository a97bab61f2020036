package sqlite_test

import (
	"testing"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/storetest"
)

// TestAClientsSecretHashBecomesItsFirstSecretOnUpgrade migrates a database
// to before client secrets had rows, stores OIDC apps there, upgrades it
// and checks the secret; then the migration goes down (putting the hash
// back on the app) and up again, and the secret is still there.
func TestAClientsSecretHashBecomesItsFirstSecretOnUpgrade(t *testing.T) {
	path, raw, p := migratedTo(t, 21)
	if _, err := raw.Exec(storetest.LegacySecretApps, storetest.LegacyAppToken); err != nil {
		t.Fatal(err)
	}
	check := func() {
		t.Helper()
		db, err := sqlite.Open(t.Context(), path, clock.Real{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		storetest.CheckUpgradedSecrets(t, db.IdP())
	}
	check()
	if _, err := p.DownTo(t.Context(), 21); err != nil {
		t.Fatalf("down: %v", err)
	}
	if _, err := p.Up(t.Context()); err != nil {
		t.Fatalf("up again: %v", err)
	}
	check()
}
