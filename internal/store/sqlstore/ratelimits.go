package sqlstore

import (
	"context"
	"time"

	"github.com/keyward/keyward/internal/errs"
)

const (
	countAttemptSQL = `INSERT INTO rate_limits (key, window_start, expires_at, count) VALUES ($1, $2, $3, 1)
ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1
RETURNING count`
	selectCountSQL = `SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM rate_limits
WHERE key = $1 AND window_start IN ($2, $3)`
)

// Allow counts one attempt against key in the fixed window (aligned to
// multiples of window since the zero time) that contains the clock's now,
// and reports whether the count is within limit. A window's row is kept one
// window past its end, for Count; Purge removes it after that. A key may
// hold what a client sent, so it is stored through the dialect's key.
func (db *DB) Allow(ctx context.Context, key string, window time.Duration, limit int) (bool, error) {
	count, _, err := db.Hit(ctx, key, window)
	return count <= limit, err
}

// Hit counts one attempt like Allow and returns the window's count with
// this one and when the window ends.
func (db *DB) Hit(ctx context.Context, key string, window time.Duration) (int, time.Time, error) {
	start, err := db.windowStart(window)
	if err != nil {
		return 0, time.Time{}, err
	}
	var count int
	err = db.writeNoEvent(ctx, func(tx *txn) error {
		err := queryRow(ctx, tx, countAttemptSQL, db.d.key(key), ts(start), ts(start.Add(2*window))).Scan(&count)
		return mapErr(err, "count attempt")
	})
	return count, start.Add(window), err
}

// Count returns key's attempts in the window containing the clock's now
// and the one before it.
func (db *DB) Count(ctx context.Context, key string, window time.Duration) (int, error) {
	start, err := db.windowStart(window)
	if err != nil {
		return 0, err
	}
	var count int
	err = queryRow(ctx, db.r, selectCountSQL, db.d.key(key), ts(start.Add(-window)), ts(start)).Scan(&count)
	return count, mapErr(err, "count")
}

// windowStart is the start of the fixed window (aligned to multiples of
// window since the zero time) that contains the clock's now.
func (db *DB) windowStart(window time.Duration) (time.Time, error) {
	if window <= 0 {
		return time.Time{}, errs.E(errs.Invalid, "rate-limit window must be positive")
	}
	return db.clk.Now().Truncate(window), nil
}
