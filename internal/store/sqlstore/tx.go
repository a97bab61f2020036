package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// querier is what both the read pool and a write transaction offer; read
// helpers take it so they work inside and outside a write transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	// dialect classifies the backend's errors.
	dialect() *Dialect
}

// txn is a write transaction on a backend of dialect d.
type txn struct {
	*sql.Tx
	d *Dialect
}

func (t *txn) dialect() *Dialect { return t.d }

// writeAttempts bounds the retries of a write transaction that lost a race
// with another writer (SQLite busy past busy_timeout, a PostgreSQL
// serialization failure or deadlock, another writer taking the next event
// seq first).
const writeAttempts = 8

// write runs fn in a write transaction that may write events and commits
// it, retrying when the dialect says the transaction may run again. fn must
// be safe to run again; an error it returns rolls back and comes back
// unchanged. The transaction first runs the dialect's SerializeEvents, so
// that transactions writing to the event chain take turns (see insertEvent).
func (db *DB) write(ctx context.Context, fn func(tx *txn) error) error {
	return db.retry(ctx, fn, db.d.SerializeEvents)
}

// writeNoEvent is write for a transaction that never writes an event (rate
// limits, purges): it does not wait for event writers.
func (db *DB) writeNoEvent(ctx context.Context, fn func(tx *txn) error) error {
	return db.retry(ctx, fn, "")
}

func (db *DB) retry(ctx context.Context, fn func(tx *txn) error, first string) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = db.tryWrite(ctx, fn, first)
		retry := db.d.Retryable(err) || errors.Is(err, errSeqTaken)
		if !retry || attempt == writeAttempts {
			return err
		}
		if werr := backoff(ctx, attempt); werr != nil {
			return err
		}
	}
}

func (db *DB) tryWrite(ctx context.Context, fn func(tx *txn) error, first string) error {
	t, err := db.w.BeginTx(ctx, db.d.TxOptions)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", db.d.Name, err)
	}
	if first != "" {
		if _, err := t.ExecContext(ctx, first); err != nil {
			t.Rollback()
			return fmt.Errorf("%s: serialize event writers: %w", db.d.Name, err)
		}
	}
	if err := fn(&txn{Tx: t, d: &db.d}); err != nil {
		t.Rollback()
		return err
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("%s: commit: %w", db.d.Name, err)
	}
	return nil
}

// backoff waits a little longer after each lost race, with jitter so that
// writers that collided do not collide again in step.
func backoff(ctx context.Context, attempt int) error {
	base := time.Duration(attempt*attempt) * 5 * time.Millisecond
	t := time.NewTimer(base + rand.N(base))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// taken names, per uniqueness constraint ("table.column, ..." as the
// dialects report them), which resource and which of its values is taken.
var taken = map[string][2]string{
	"accounts.id":                {store.ResourceAccount, store.FieldID},
	"accounts.email_norm":        {store.ResourceAccount, store.FieldEmail},
	"create_account_statuses.id": {store.ResourceAccountStatus, store.FieldID},
	"users.id":                   {store.ResourceUser, store.FieldID},
	"users.user_name_norm":       {store.ResourceUser, store.FieldName},
	"user_external_ids.issuer, user_external_ids.external_id": {store.ResourceUser, store.FieldExternalID},
	"groups.id":                {store.ResourceGroup, store.FieldID},
	"groups.display_name_norm": {store.ResourceGroup, store.FieldName},
	"group_external_ids.issuer, group_external_ids.external_id": {store.ResourceGroup, store.FieldExternalID},
	"memberships.id": {store.ResourceMembership, store.FieldID},
	"memberships.group_id, memberships.user_id":         {store.ResourceMembership, store.FieldMember},
	"permission_sets.id":                                {store.ResourcePermissionSet, store.FieldID},
	"permission_sets.instance_id, permission_sets.name": {store.ResourcePermissionSet, store.FieldName},
	"requests.id":                     {store.ResourceRequest, store.FieldID},
	"portal_sessions.id_hash":         {store.ResourceSession, store.FieldSecret},
	"oidc_clients.id":                 {store.ResourceClient, store.FieldID},
	"device_authorizations.code_hash": {store.ResourceDevice, store.FieldSecret},
	"oidc_codes.code_hash":            {store.ResourceCode, store.FieldSecret},
	"device_authorizations.user_code": {store.ResourceDevice, store.FieldUserCode},
	"tokens.access_hash":              {store.ResourceToken, store.FieldSecret},
	"tokens.refresh_hash":             {store.ResourceToken, store.FieldSecret},
	"events.id":                       {store.ResourceEvent, store.FieldID},
	"scim_tokens.id":                  {store.ResourceSCIMToken, store.FieldID},
	"scim_tokens.hash":                {store.ResourceSCIMToken, store.FieldSecret},
	// The identity provider's directory (idp_*.go).
	"idp_users.id":                      {store.ResourceUser, store.FieldID},
	"idp_users.login_norm":              {store.ResourceUser, store.FieldLogin},
	"idp_groups.id":                     {store.ResourceGroup, store.FieldID},
	"idp_groups.name_norm":              {store.ResourceGroup, store.FieldName},
	"idp_roles.id":                      {store.ResourceRole, store.FieldID},
	"idp_roles.user_id, idp_roles.type": {store.ResourceRole, store.FieldRoleType},
	"idp_api_tokens.id":                 {store.ResourceAPIToken, store.FieldID},
	"idp_api_tokens.hash":               {store.ResourceAPIToken, store.FieldSecret},
	"idp_user_tokens.hash":              {store.ResourceLink, store.FieldSecret},
	"idp_factors.id":                    {store.ResourceFactor, store.FieldID},
	"idp_factors.credential_id":         {store.ResourceFactor, store.FieldID},
	"idp_sessions.id_hash":              {store.ResourceSession, store.FieldSecret},
	"idp_auth_servers.id":               {store.ResourceAuthServer, store.FieldID},
	"idp_auth_servers.name":             {store.ResourceAuthServer, store.FieldName},
	"idp_oauth_codes.code_hash":         {store.ResourceOAuthCode, store.FieldSecret},
	"idp_oauth_devices.code_hash":       {store.ResourceOAuthDevice, store.FieldSecret},
	"idp_oauth_devices.user_code":       {store.ResourceOAuthDevice, store.FieldUserCode},
	"idp_oauth_tokens.access_hash":      {store.ResourceOAuthToken, store.FieldSecret},
	"idp_oauth_tokens.refresh_hash":     {store.ResourceOAuthToken, store.FieldSecret},
}

// mapErr passes an *errs.Error through and wraps anything else as a
// backend failure.
func mapErr(err error, op string) error {
	if err == nil {
		return nil
	}
	if _, ok := errs.As(err); ok {
		return err
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

// conflict is the errs.Conflict for a violated uniqueness constraint,
// named as the dialect names it ("table.column, ...").
func conflict(constraint string) error {
	what, known := taken[constraint]
	if !known {
		return errs.E(errs.Conflict, "uniqueness constraint %s violated", constraint)
	}
	return errs.E(errs.Conflict, "%s %s already taken", what[0], what[1]).
		WithResource(what[0], "").WithField(what[1])
}

// exec runs one statement, turning a uniqueness violation into errs.Conflict.
func exec(ctx context.Context, q querier, op, query string, args ...any) (sql.Result, error) {
	if err := checkText(args); err != nil {
		return nil, err
	}
	res, err := q.ExecContext(ctx, query, args...)
	if c, ok := q.dialect().UniqueViolation(err); ok {
		return nil, conflict(c)
	}
	return res, mapErr(err, op)
}

// affected runs one statement and returns how many rows it changed.
func affected(ctx context.Context, q querier, op, query string, args ...any) (int64, error) {
	res, err := exec(ctx, q, op, query, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return n, mapErr(err, op)
}

// changeRow runs query, which updates or deletes one row, and returns nf
// when it matched none.
func changeRow(ctx context.Context, q querier, nf error, op, query string, args ...any) error {
	n, err := affected(ctx, q, op, query, args...)
	if err == nil && n == 0 {
		return nf
	}
	return err
}

// mutate runs fn in a write transaction that also records e.
func (db *DB) mutate(ctx context.Context, e audit.Event, fn func(tx *txn) error) error {
	return db.write(ctx, func(tx *txn) error {
		if err := fn(tx); err != nil {
			return err
		}
		return db.insertEvent(ctx, tx, e)
	})
}

// swap is the compare-and-swap every Update method shares: in one write
// transaction, read the row, let fn decide and hand its result to write, or
// write nothing if any step fails. write first puts back in next, from old,
// what fn may not change (the id, the creation time), then stores next and
// any event; the caller gets next as write left it.
func swap[T any](ctx context.Context, db *DB, read func(*txn) (T, error), fn func(T) (T, error),
	write func(tx *txn, old T, next *T) error) (T, error) {
	var next T
	err := db.write(ctx, func(tx *txn) error {
		old, err := read(tx)
		if err != nil {
			return err
		}
		if next, err = fn(old); err != nil {
			return err
		}
		return write(tx, old, &next)
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return next, nil
}

// update is swap for a change that always records e.
func update[T any](ctx context.Context, db *DB, e audit.Event, read func(*txn) (T, error),
	fn func(T) (T, error), write func(tx *txn, old T, next *T) error) (T, error) {
	return swap(ctx, db, read, fn, func(tx *txn, old T, next *T) error {
		if err := write(tx, old, next); err != nil {
			return err
		}
		return db.insertEvent(ctx, tx, e)
	})
}

// missing is the errs.NotFound for a resource (a store.Resource* name) and id.
func missing(resource, id string) *errs.Error {
	msg := resource + " not found"
	if id != "" {
		msg = resource + " " + id + " not found"
	}
	return errs.E(errs.NotFound, "%s", msg).WithResource(resource, id)
}

// checkText refuses a string argument holding a NUL character or invalid
// UTF-8. PostgreSQL rejects such text in any statement, SQLite would store
// it; refusing it here gives a clear errs.Invalid on both, where it would
// otherwise be a backend failure on one.
func checkText(args []any) error {
	for _, a := range args {
		if s, ok := a.(string); ok && (strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s)) {
			return errs.E(errs.Invalid, "text must be valid UTF-8 without NUL characters")
		}
	}
	return nil
}

// failedRow is a row whose Scan reports err.
type failedRow struct{ err error }

func (r failedRow) Scan(...any) error { return r.err }

// queryRow runs a query for one row, refusing unstorable text first.
func queryRow(ctx context.Context, q querier, query string, args ...any) scanner {
	if err := checkText(args); err != nil {
		return failedRow{err}
	}
	return q.QueryRowContext(ctx, query, args...)
}

// queryRows runs a query, refusing unstorable text first.
func queryRows(ctx context.Context, q querier, query string, args ...any) (*sql.Rows, error) {
	if err := checkText(args); err != nil {
		return nil, err
	}
	return q.QueryContext(ctx, query, args...)
}

// writeReplayed runs fn in a write transaction for a one-time secret (a
// code, a refresh token): fn reports a replay, whose revocation it wrote
// and which must commit, with replayed true; the call then returns
// spent instead of fn's value.
func writeReplayed[T any](ctx context.Context, db *DB, spent error, fn func(tx *txn) (v T, replayed bool, err error)) (T, error) {
	var v T
	var replayed bool
	err := db.write(ctx, func(tx *txn) error {
		var err error
		v, replayed, err = fn(tx)
		return err
	})
	var zero T
	switch {
	case err != nil:
		return zero, err
	case replayed:
		return zero, spent
	}
	return v, nil
}
