package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/keyward/keyward/internal/clock"
)

// Migrated returns the URL of a schema for t, migrated by migrate (given
// the schema's URL) and held by t alone. When t ends the schema is put
// back as migrate left it and handed to a later test: migrating a new
// schema costs PostgreSQL about half a second of DDL, a conformance suite
// runs hundreds of cases, and resetting a schema costs milliseconds.
//
// migrate runs once more per process, on a template schema that is never
// handed out. A reset, in one transaction, deletes every row of the
// schema, copies in the template's rows (the migrations' seed data) and
// sets every sequence where the template's is. A schema whose tables,
// columns, constraints, indexes or sequences no longer match the
// template's, or that cannot be reset (the reset needs a superuser), is
// dropped instead of reused. Call Close when the test binary ends.
func Migrated(t testing.TB, migrate func(url string) error) string {
	t.Helper()
	server := Server(t)
	schema, err := shared.take(server, migrate)
	if err != nil {
		t.Fatalf("pgtest: a migrated schema: %v", err)
	}
	t.Cleanup(func() {
		if err := shared.give(schema); err != nil {
			t.Error(err)
		}
	})
	u, err := WithSearchPath(server, schema)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// Close drops the schemas Migrated made.
func Close() error { return shared.close() }

var shared pool

// pool is the migrated schemas of one server.
type pool struct {
	mu       sync.Mutex
	server   string
	db       *sql.DB  // on the server, for creating and resetting schemas
	template string   // schema migrated once, never handed out
	shape    string   // the template's tables, columns, constraints, indexes and sequences
	reset    string   // statements that reset a schema, with %[1]s for its name
	idle     []string // schemas ready for a test
	all      []string // every schema made, the template included
	startErr error    // making the template failed: every take fails
}

// take returns a migrated schema nobody holds, making one if none is idle.
func (p *pool) take(server string, migrate func(url string) error) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.db == nil && p.startErr == nil {
		p.startErr = p.start(server, migrate)
	}
	if p.startErr != nil {
		return "", p.startErr
	}
	if p.server != server {
		return "", fmt.Errorf("one test binary uses one server, not %s and %s", p.server, server)
	}
	if n := len(p.idle); n > 0 {
		s := p.idle[n-1]
		p.idle = p.idle[:n-1]
		return s, nil
	}
	// Migrating outside the lock would let parallel tests migrate at
	// once, but they run as many as there are cores, which the DDL fills.
	return p.migrated(migrate)
}

// start opens the server and makes the template.
func (p *pool) start(server string, migrate func(url string) error) error {
	db, err := sql.Open("pgx", server)
	if err != nil {
		return err
	}
	p.server, p.db = server, db
	if p.template, err = p.migrated(migrate); err != nil {
		return err
	}
	if p.shape, err = p.shapeOf(p.template); err != nil {
		return err
	}
	return p.resetStatements()
}

// migrated creates a schema and migrates it.
func (p *pool) migrated(migrate func(url string) error) (string, error) {
	s := "m_" + clock.Hex(clock.Random, 8)
	if _, err := p.db.Exec(`CREATE SCHEMA ` + s); err != nil {
		return "", err
	}
	p.all = append(p.all, s)
	u, err := WithSearchPath(p.server, s)
	if err != nil {
		return "", err
	}
	if err := migrate(u); err != nil {
		return "", fmt.Errorf("migrate: %w", err)
	}
	return s, nil
}

// shapeOf describes schema's tables with their columns, its indexes and its
// sequences, by name, in a stable order.
func (p *pool) shapeOf(schema string) (string, error) {
	var shape string
	err := p.db.QueryRow(`SELECT string_agg(d, E'\n' ORDER BY d) FROM (
		SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' ||
			COALESCE(column_default, '') || ' ' || is_identity AS d
			FROM information_schema.columns WHERE table_schema = $1
		UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = $1
		UNION ALL SELECT 'constraint ' || conrelid::regclass::text || ' ' || pg_get_constraintdef(oid)
			FROM pg_constraint WHERE connamespace = $1::regnamespace
		UNION ALL SELECT 'sequence ' || sequencename FROM pg_sequences WHERE schemaname = $1
		UNION ALL SELECT 'object ' || relname || ' ' || relkind::text FROM pg_class WHERE relnamespace = $1::regnamespace
	) shape`, schema).Scan(&shape)
	return strings.ReplaceAll(shape, schema+".", ""), err
}

// resetStatements writes the reset from the template: the tables to
// empty, those to fill from the template, the sequences to set.
func (p *pool) resetStatements() error {
	var b strings.Builder
	// Foreign keys are not checked while the tables are emptied and filled
	// (replica mode skips their triggers); the result is the template's
	// rows, which satisfy them.
	b.WriteString("SET LOCAL session_replication_role = replica;\n")
	rows, err := p.db.Query(`SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename`, p.template)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, t := range tables {
		var seeded bool
		if err := p.db.QueryRow(`SELECT EXISTS (SELECT FROM ` + p.template + `.` + t + `)`).Scan(&seeded); err != nil {
			return err
		}
		fmt.Fprintf(&b, "DELETE FROM %%[1]s.%s;\n", t)
		if seeded {
			fmt.Fprintf(&b, "INSERT INTO %%[1]s.%[1]s OVERRIDING SYSTEM VALUE SELECT * FROM %[2]s.%[1]s;\n", t, p.template)
		}
	}
	rows, err = p.db.Query(`SELECT sequencename FROM pg_sequences WHERE schemaname = $1 ORDER BY sequencename`, p.template)
	if err != nil {
		return err
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return err
		}
		fmt.Fprintf(&b, "SELECT setval('%%[1]s.%[1]s', last_value, is_called) FROM %[2]s.%[1]s;\n", s, p.template)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	p.reset = b.String()
	return nil
}

// give resets schema and makes it idle. A schema whose shape changed, or
// that cannot be reset (replica mode needs a superuser), is dropped.
func (p *pool) give(schema string) error {
	if shape, err := p.shapeOf(schema); err != nil || shape != p.shape || p.resetSchema(schema) != nil {
		if _, err := p.db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			return fmt.Errorf("pgtest: drop schema %s: %w", schema, err)
		}
		return nil
	}
	p.mu.Lock()
	p.idle = append(p.idle, schema)
	p.mu.Unlock()
	return nil
}

// resetSchema puts schema's rows and sequences back as the template's.
func (p *pool) resetSchema(schema string) error {
	tx, err := p.db.BeginTx(context.Background(), nil)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(fmt.Sprintf(p.reset, schema)); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// close drops every schema the pool made.
func (p *pool) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.db == nil {
		return nil
	}
	var errs []error
	for _, s := range p.all {
		_, err := p.db.Exec(`DROP SCHEMA IF EXISTS ` + s + ` CASCADE`)
		errs = append(errs, err)
	}
	errs = append(errs, p.db.Close())
	p.db, p.idle, p.all = nil, nil, nil
	return errors.Join(errs...)
}
