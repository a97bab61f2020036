package sqlstore

import (
	"context"
	"time"

	"github.com/keyward/keyward/internal/errs"
)

const countAttemptSQL = `INSERT INTO rate_limits (key, window_start, expires_at, count) VALUES ($1, $2, $3, 1)
ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1
RETURNING count`

// Allow counts one attempt against key in the fixed window (aligned to
// multiples of window since the zero time) that contains the clock's now,
// and reports whether the count is within limit. Ended windows go in Purge.
func (db *DB) Allow(ctx context.Context, key string, window time.Duration, limit int) (bool, error) {
	if window <= 0 {
		return false, errs.E(errs.Invalid, "rate-limit window must be positive")
	}
	now := db.clk.Now()
	start := now.Truncate(window)
	var count int
	err := db.write(ctx, func(tx *txn) error {
		err := tx.QueryRowContext(ctx, countAttemptSQL, key, ts(start), ts(start.Add(window))).Scan(&count)
		return mapErr(err, "count attempt")
	})
	if err != nil {
		return false, err
	}
	return count <= limit, nil
}
