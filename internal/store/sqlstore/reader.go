package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStatements bounds the read statement cache; queries built at run
// time (MemberOf's IN list) past the bound are prepared per call.
const maxCachedStatements = 128

// reader is the read pool with a cache of prepared statements: preparing
// the entitlement queries costs more than running them.
type reader struct {
	db    *sql.DB
	d     *Dialect
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

var _ querier = (*reader)(nil)

func newReader(db *sql.DB, d *Dialect) *reader {
	return &reader{db: db, d: d, stmts: map[string]*sql.Stmt{}}
}

func (r *reader) dialect() *Dialect { return r.d }

// stmt returns the cached statement for query, preparing it on first use,
// or nil when the cache is full.
func (r *reader) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if st, ok := r.stmts[query]; ok {
		return st, nil
	}
	if r.stmts == nil || len(r.stmts) >= maxCachedStatements { // closed or full
		return nil, nil
	}
	st, err := r.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	r.stmts[query] = st
	return st, nil
}

func (r *reader) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := r.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return r.db.QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

func (r *reader) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := r.stmt(ctx, query)
	if err != nil || st == nil {
		return r.db.QueryRowContext(ctx, query, args...) // reports the same error, if any
	}
	return st.QueryRowContext(ctx, args...)
}

// ExecContext exists for querier; the pool is query-only.
func (r *reader) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return r.db.ExecContext(ctx, query, args...)
}

// Close closes the cached statements and the pool.
func (r *reader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, st := range r.stmts {
		st.Close()
	}
	r.stmts = nil
	return r.db.Close()
}
