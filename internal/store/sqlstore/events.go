package sqlstore

import (
	"context"
	"strconv"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store"
)

const insertEventSQL = `INSERT INTO events (id, time, action, actor_type, actor_id, actor_name,
	client_ip, client_user_agent, target_type, target_id, outcome, message)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`

// insertEvent writes e with a fresh id and the clock's time.
func (db *DB) insertEvent(ctx context.Context, q querier, e audit.Event) error {
	e.ID = clock.Hex(clock.Random, 16)
	e.Time = db.clk.Now()
	_, err := exec(ctx, q, "insert event", insertEventSQL,
		e.ID, ts(e.Time), e.Action, e.Actor.Type, e.Actor.ID, e.Actor.Name,
		e.Client.IP, e.Client.UserAgent, e.TargetType, e.TargetID, e.Outcome, e.Message)
	return err
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

const listEventsSQL = `SELECT seq, id, time, action, actor_type, actor_id, actor_name,
	client_ip, client_user_agent, target_type, target_id, outcome, message
FROM events WHERE seq < $1 ORDER BY seq DESC LIMIT CAST($2 AS INTEGER)`

func scanEvent(s scanner) (eventRow, error) {
	var r eventRow
	e := &r.e
	err := s.Scan(&r.seq, &e.ID, timeCol{&e.Time}, &e.Action, &e.Actor.Type, &e.Actor.ID,
		&e.Actor.Name, &e.Client.IP, &e.Client.UserAgent, &e.TargetType, &e.TargetID,
		&e.Outcome, &e.Message)
	return r, err
}

// ListEvents pages events newest first.
func (db *DB) ListEvents(ctx context.Context, p store.Page) ([]audit.Event, string, error) {
	cur, err := decodeCursor("events", p, 1)
	if err != nil {
		return nil, "", err
	}
	before := int64(1<<63 - 1)
	if cur[0] != "" {
		if before, err = strconv.ParseInt(cur[0], 10, 64); err != nil {
			return nil, "", errBadToken()
		}
	}
	pq := pageQuery[eventRow]{list: "events", scan: scanEvent, limit: p.Limit,
		key: func(r eventRow) []string { return []string{strconv.FormatInt(r.seq, 10)} }}
	rows, next, err := pq.run(ctx, db.r, listEventsSQL, before, p.Limit+1)
	if err != nil {
		return nil, "", err
	}
	out := make([]audit.Event, len(rows))
	for i, r := range rows {
		out[i] = r.e
	}
	return out, next, nil
}
