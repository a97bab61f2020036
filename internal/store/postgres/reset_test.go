package postgres_test

import (
	"database/sql"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store/postgres/pgtest"
)

// TestAReusedSchemaIsAsFreshAsANewOne checks what the conformance suite
// relies on: a schema pgtest.Migrated hands out again after a test wrote
// to it (events, users, the migrations' seed rows changed and deleted, every
// sequence advanced) holds exactly what a newly migrated one does.
func TestAReusedSchemaIsAsFreshAsANewOne(t *testing.T) {
	var used string
	t.Run("write", func(t *testing.T) {
		u := migrated(t)
		used = schemaOf(t, u)
		db := open(t, u, clock.Real{})
		for range 3 {
			if err := db.AppendEvent(t.Context(), audit.Event{Action: "test.event", Outcome: audit.Success}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.CreateUser(t.Context(), ic.User{ID: "0123456789-00000000-0000-4000-8000-000000000001",
			Profile: ic.Profile{UserName: "someone"}, Status: ic.UserEnabled}); err != nil {
			t.Fatal(err)
		}
		raw := rawDB(t, u)
		for _, stmt := range []string{`UPDATE idp_change_seq SET seq = 42`, `DELETE FROM org_policies`,
			`SELECT nextval(oid) FROM pg_class WHERE relkind = 'S' AND relnamespace = current_schema()::regnamespace`} {
			if _, err := raw.Exec(stmt); err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}
	})
	reused := migrated(t)
	if schemaOf(t, reused) != used {
		t.Fatalf("the schema was not handed out again (got %s, want %s): the reset is not exercised", schemaOf(t, reused), used)
	}
	fresh := pgtest.URL(t)
	open(t, fresh, clock.Real{}) // migrates
	if diff := cmp.Diff(contents(t, fresh), contents(t, reused)); diff != "" {
		t.Errorf("the reused schema differs from a new one (-new +reused):\n%s", diff)
	}
}

func schemaOf(t *testing.T, u string) string {
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	return p.Query().Get("search_path")
}

func rawDB(t *testing.T, u string) *sql.DB {
	raw, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

// contents is every table's rows (but goose's, whose times differ) and
// every sequence's position in the schema at u, as text.
func contents(t *testing.T, u string) map[string]string {
	raw := rawDB(t, u)
	rows, err := raw.Query(`SELECT 'SELECT string_agg(r::text, E''\n'' ORDER BY r::text) FROM ' || tablename || ' r'
			FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'goose_db_version'
		UNION ALL SELECT 'SELECT last_value || '' '' || is_called FROM ' || sequencename
			FROM pg_sequences WHERE schemaname = current_schema()`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string // queries of each table's rows and each sequence's position
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	rows.Close()
	if len(names) < 50 {
		t.Fatalf("only %d tables and sequences: %v", len(names), names)
	}
	got := map[string]string{}
	for _, n := range names {
		var all sql.NullString
		if err := raw.QueryRow(n).Scan(&all); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		got[n] = strings.TrimSpace(all.String)
	}
	return got
}
