package sqlstore_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/sqlstore"
)

// TestEntitlementQueriesUseIndexes pins the plans of the entitlement
// queries: every table is searched through an index, never scanned, and
// assignments are reached from the user's principals, so the cost follows
// the user's own assignments rather than the table sizes.
func TestEntitlementQueriesUseIndexes(t *testing.T) {
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "plan.db"), clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	queries := map[string]struct {
		sql  string
		args []any
	}{
		"UserAccounts": {sqlstore.UserAccountsSQL, []any{"u", "", 11}},
		"UserRoles":    {sqlstore.UserRolesSQL, []any{"u", "a", "", "", 11}},
		"UserRole":     {sqlstore.UserRoleSQL, []any{"u", "a", "name"}},
	}
	for name, q := range queries {
		plan := explain(t, db.DB, q.sql, q.args...)
		for _, step := range plan {
			scan := strings.HasPrefix(step, "SCAN ") && step != "SCAN ids"
			// Searching assignments by principal type alone reads every
			// group's assignments: the memberships must drive the join.
			wide := strings.Contains(step, "assignments_principal") && !strings.Contains(step, "principal_id=?")
			if scan || wide {
				t.Errorf("%s reads more than the user's rows: %q\nplan:\n%s", name, step, strings.Join(plan, "\n"))
			}
		}
	}
}

// explain returns the detail column of the query's plan.
func explain(t *testing.T, db *sqlstore.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.ReadPool().QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, detail)
	}
	return steps
}
