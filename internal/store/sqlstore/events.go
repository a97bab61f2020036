package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// eventCols are the columns every event query reads, in scanEvent's order.
const eventCols = `seq, id, time, action, actor_type, actor_id, actor_name,
	client_ip, client_user_agent, target_type, target_id, target_name, outcome, message,
	detail, prev_hash, hash`

const insertEventSQL = `INSERT INTO events (` + eventCols + `)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`

// newestEventSQL reads the chain's head in the writing transaction.
const newestEventSQL = `SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1`

// errSeqTaken is a lost race for the next seq: another transaction
// committed an event with it first. The transaction runs again.
var errSeqTaken = errors.New("store: insert event: another writer took the next seq")

// insertEvent writes e with a fresh id, the clock's time and the next
// place in the chain.
//
// It reads the newest event's seq and hash in the writing transaction. On
// SQLite the single writer makes that read and the insert atomic. On
// PostgreSQL every transaction that may write an event first runs the
// dialect's SerializeEvents (LOCK TABLE, which takes no snapshot), so event
// writers take turns and each reads the head as the one before it left it.
// Should two transactions still read the same head (a write path that
// skipped the lock), SERIALIZABLE fails one with 40001, or the primary key
// on seq with a unique violation that becomes errSeqTaken; either way
// write runs it again on the new head.
func (db *DB) insertEvent(ctx context.Context, q querier, e audit.Event) error {
	var prev audit.Event
	err := queryRow(ctx, q, newestEventSQL).Scan(&prev.Seq, &prev.Hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return mapErr(err, "read newest event")
	}
	e.ID = clock.Hex(clock.Random, 16)
	e.Time = db.clk.Now()
	if len(e.Detail) == 0 {
		e.Detail = nil
	}
	e = audit.Seal(e, prev)
	detail, err := json.Marshal(e.Detail)
	if err != nil || e.Detail == nil {
		detail = []byte("{}")
	}
	args := []any{e.Seq, e.ID, ts(e.Time), e.Action, e.Actor.Type, e.Actor.ID, e.Actor.Name,
		e.Client.IP, e.Client.UserAgent, e.TargetType, e.TargetID, e.TargetName, e.Outcome, e.Message,
		string(detail), e.PrevHash, e.Hash}
	if err := checkText(args); err != nil {
		return err
	}
	for k, v := range e.Detail { // map keys and values are not in args
		if err := checkText([]any{k, v}); err != nil {
			return err
		}
	}
	_, err = q.ExecContext(ctx, insertEventSQL, args...)
	if c, ok := q.dialect().UniqueViolation(err); ok && c == "events.seq" {
		return errSeqTaken
	}
	return mapErr(err, "insert event")
}

// AppendEvent writes an event that accompanies no state change.
func (db *DB) AppendEvent(ctx context.Context, e audit.Event) error {
	return db.write(ctx, func(tx *txn) error { return db.insertEvent(ctx, tx, e) })
}

// eventRow is an event with its log position, which orders the log.
type eventRow struct {
	seq int64
	e   audit.Event
}

// detailCol scans the detail column's JSON object, nil when empty.
type detailCol struct{ m *map[string]string }

func (c detailCol) Scan(src any) error {
	*c.m = nil
	b, err := columnBytes("detail", src)
	if err != nil {
		return err
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("detail column: %w", err)
	}
	if len(m) > 0 {
		*c.m = m
	}
	return nil
}

func scanEvent(s scanner) (eventRow, error) {
	var r eventRow
	e := &r.e
	err := s.Scan(&r.seq, &e.ID, timeCol{&e.Time}, &e.Action, &e.Actor.Type, &e.Actor.ID,
		&e.Actor.Name, &e.Client.IP, &e.Client.UserAgent, &e.TargetType, &e.TargetID,
		&e.TargetName, &e.Outcome, &e.Message, detailCol{&e.Detail}, &e.PrevHash, &e.Hash)
	e.Seq = r.seq
	return r, err
}

const listEventsSQL = `SELECT ` + eventCols + `
FROM events WHERE seq < $1 ORDER BY seq DESC LIMIT CAST($2 AS INTEGER)`

// ListEvents pages events newest first.
func (db *DB) ListEvents(ctx context.Context, p store.Page) ([]audit.Event, string, error) {
	before := int64(math.MaxInt64)
	return db.pageEvents(ctx, "events", p, &before, 0, listEventsSQL)
}

// pageEvents runs query (bound to the seq to start from, args, and the
// limit) for one page of the list named list. *from is the first page's
// starting seq; a token replaces it.
func (db *DB) pageEvents(ctx context.Context, list string, p store.Page, from *int64, afterSeq int64,
	query string, args ...any) ([]audit.Event, string, error) {
	cur, err := decodeCursor(list, p, 1)
	if err != nil {
		return nil, "", err
	}
	switch {
	case afterSeq > 0:
		*from = afterSeq
	case cur[0] != "":
		if *from, err = strconv.ParseInt(cur[0], 10, 64); err != nil {
			return nil, "", errBadToken()
		}
	}
	pq := pageQuery[eventRow]{list: list, scan: scanEvent, limit: p.Limit,
		key: func(r eventRow) []string { return []string{strconv.FormatInt(r.seq, 10)} }}
	all := append(append([]any{*from}, args...), p.Limit+1)
	rows, next, err := pq.run(ctx, db.r, query, all...)
	if err != nil {
		return nil, "", err
	}
	out := make([]audit.Event, len(rows))
	for i, r := range rows {
		out[i] = r.e
	}
	return out, next, nil
}

const eventsAfterSQL = `SELECT ` + eventCols + `
FROM events WHERE seq > $1 ORDER BY seq LIMIT CAST($2 AS INTEGER)`

// EventsAfter returns up to limit events after afterSeq, oldest first.
func (db *DB) EventsAfter(ctx context.Context, afterSeq int64, limit int) ([]audit.Event, error) {
	if limit < 1 {
		return nil, errs.E(errs.Invalid, "page limit must be at least 1")
	}
	rows, err := collect(ctx, db.r, "events", scanEvent, eventsAfterSQL, afterSeq, limit)
	if err != nil {
		return nil, err
	}
	out := make([]audit.Event, len(rows))
	for i, r := range rows {
		out[i] = r.e
	}
	return out, nil
}

const (
	queryEventsAscSQL = `SELECT ` + eventCols + `
FROM events WHERE seq > $1 AND time >= $2 AND time < $3 ORDER BY seq LIMIT CAST($4 AS INTEGER)`
	queryEventsDescSQL = `SELECT ` + eventCols + `
FROM events WHERE seq < $1 AND time >= $2 AND time < $3 ORDER BY seq DESC LIMIT CAST($4 AS INTEGER)`
)

// QueryEvents pages the events q selects, in seq order.
func (db *DB) QueryEvents(ctx context.Context, q store.EventQuery) ([]audit.Event, string, error) {
	since, until := int64(math.MinInt64), int64(math.MaxInt64)
	if !q.Since.IsZero() {
		since = ts(q.Since)
	}
	if !q.Until.IsZero() {
		until = ts(q.Until)
	}
	if q.Ascending {
		from := int64(0)
		return db.pageEvents(ctx, "events.asc", q.Page, &from, q.AfterSeq, queryEventsAscSQL, since, until)
	}
	from := int64(math.MaxInt64)
	return db.pageEvents(ctx, "events.desc", q.Page, &from, q.AfterSeq, queryEventsDescSQL, since, until)
}
