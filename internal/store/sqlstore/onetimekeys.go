package sqlstore

import (
	"context"
	"time"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

const (
	// An expired key is replaced; a live one stays and nothing changes.
	rememberKeySQL = `INSERT INTO one_time_keys (id, expires_at) VALUES ($1, $2)
ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at WHERE one_time_keys.expires_at <= $3`
	consumeKeySQL = `DELETE FROM one_time_keys WHERE id = $1 AND expires_at > $2`
)

// RememberKey stores key until expires, refusing a key that is live.
func (db *DB) RememberKey(ctx context.Context, key string, expires time.Time) error {
	return db.writeNoEvent(ctx, func(tx *txn) error {
		n, err := affected(ctx, tx, "remember one-time key", rememberKeySQL, key, ts(expires), ts(db.clk.Now()))
		if err != nil {
			return err
		}
		if n == 0 {
			return errs.E(errs.Conflict, "one-time key already used").
				WithResource(store.ResourceOneTimeKey, "").WithField(store.FieldID)
		}
		return nil
	})
}

// ConsumeKey deletes a live key.
func (db *DB) ConsumeKey(ctx context.Context, key string) error {
	return db.writeNoEvent(ctx, func(tx *txn) error {
		n, err := affected(ctx, tx, "consume one-time key", consumeKeySQL, key, ts(db.clk.Now()))
		if err != nil {
			return err
		}
		if n == 0 {
			return missing(store.ResourceOneTimeKey, "")
		}
		return nil
	})
}
