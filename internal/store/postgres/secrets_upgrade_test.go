package postgres_test

import (
	"testing"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store/storetest"
)

// TestAClientsSecretHashBecomesItsFirstSecretOnUpgrade is the twin of the
// SQLite test.
func TestAClientsSecretHashBecomesItsFirstSecretOnUpgrade(t *testing.T) {
	url, raw, p := migratedTo(t, 21)
	if _, err := raw.Exec(storetest.LegacySecretApps, storetest.LegacyAppToken); err != nil {
		t.Fatal(err)
	}
	check := func() {
		t.Helper()
		db := open(t, url, clock.Real{})
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
