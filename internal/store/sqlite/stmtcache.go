package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"

	"modernc.org/sqlite"
)

// driverName is modernc's driver with a statement cache on every
// connection. database/sql runs an Exec or Query with arguments on a
// connection that cannot run it directly by preparing a statement, running
// it and closing it; for SQLite that preparing cost about a tenth of every
// write. Here each connection keeps what it prepared until it closes.
const driverName = "keyward-sqlite"

func init() { sql.Register(driverName, cachingDriver{&sqlite.Driver{}}) }

// maxConnStatements bounds one connection's cache; queries built at run
// time (MemberOf's IN list) beyond it are prepared per call as before.
const maxConnStatements = 256

type cachingDriver struct{ driver.Driver }

func (d cachingDriver) Open(name string) (driver.Conn, error) {
	c, err := d.Driver.Open(name)
	if err != nil {
		return nil, err
	}
	return &cachingConn{Conn: c, stmts: map[string]*cachedStmt{}}, nil
}

// cachingConn embeds only driver.Conn, so it offers database/sql no
// ExecerContext or QueryerContext: every statement goes through
// PrepareContext and its cache. A connection is used by one goroutine at a
// time, so the cache needs no lock. Every caller reads a statement's rows
// to the end before running it again.
type cachingConn struct {
	driver.Conn
	stmts map[string]*cachedStmt
}

// errUnsupported reports that modernc lacks an interface it has today.
var errUnsupported = errors.New("sqlite: the driver lacks a method keyward needs")

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if s, ok := c.stmts[query]; ok {
		return s, nil
	}
	p, ok := c.Conn.(driver.ConnPrepareContext)
	if !ok {
		return nil, errUnsupported
	}
	st, err := p.PrepareContext(ctx, query)
	if err != nil || len(c.stmts) >= maxConnStatements {
		return st, err // database/sql closes it after use
	}
	s := &cachedStmt{Stmt: st}
	c.stmts[query] = s
	return s, nil
}

func (c *cachingConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// Close closes the cached statements, then the connection.
func (c *cachingConn) Close() error {
	var errs []error
	for _, s := range c.stmts {
		errs = append(errs, s.Stmt.Close())
	}
	c.stmts = nil
	return errors.Join(append(errs, c.Conn.Close())...)
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	return nil, errUnsupported
}

func (c *cachingConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *cachingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *cachingConn) IsValid() bool {
	v, ok := c.Conn.(driver.Validator)
	return !ok || v.IsValid()
}

// cachedStmt outlives database/sql's Close: its connection closes it.
type cachedStmt struct{ driver.Stmt }

func (s *cachedStmt) Close() error { return nil }

func (s *cachedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if e, ok := s.Stmt.(driver.StmtExecContext); ok {
		return e.ExecContext(ctx, args)
	}
	return nil, errUnsupported
}

func (s *cachedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if q, ok := s.Stmt.(driver.StmtQueryContext); ok {
		return q.QueryContext(ctx, args)
	}
	return nil, errUnsupported
}
