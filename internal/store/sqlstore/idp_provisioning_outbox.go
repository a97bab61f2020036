package sqlstore

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/store"
)

const (
	outboxCols       = `app_id, kind, object_id, gen, lease_owner, enqueued, attempts, next_attempt, failed, last_error`
	enqueueOutboxSQL = `INSERT INTO idp_provisioning_outbox (app_id, kind, object_id, gen, enqueued, attempts,
next_attempt, failed, last_error, lease_owner, lease_until) VALUES ($1, $2, $3, 1, $4, 0, 0, 0, '', '', 0)
ON CONFLICT (app_id, kind, object_id) DO UPDATE SET gen = idp_provisioning_outbox.gen + 1,
next_attempt = 0, failed = 0`
	// Users sort before groups ("user" > "group"), so a group's members
	// are usually at the target before its memberships are pushed.
	claimOutboxSQL = `UPDATE idp_provisioning_outbox SET lease_owner = $1, lease_until = $2
WHERE (app_id, kind, object_id) IN (SELECT app_id, kind, object_id FROM idp_provisioning_outbox
  WHERE failed = 0 AND next_attempt <= $3 AND (lease_until <= $3 OR lease_owner = $1)
  ORDER BY kind DESC, next_attempt, enqueued LIMIT CAST($4 AS INTEGER))
AND (lease_until <= $3 OR lease_owner = $1)
RETURNING ` + outboxCols
	// Finishing, releasing and failing touch only an item still leased
	// to the caller: once another replica claimed it, it is that one's.
	finishSQL = `DELETE FROM idp_provisioning_outbox WHERE app_id = $1 AND kind = $2 AND object_id = $3
AND gen = $4 AND lease_owner = $5`
	releaseSQL = `UPDATE idp_provisioning_outbox SET lease_owner = '', lease_until = 0, next_attempt = 0
WHERE app_id = $1 AND kind = $2 AND object_id = $3 AND lease_owner = $4`
	// A failure of an older Gen leaves the newer change due at once.
	failOutboxSQL = `UPDATE idp_provisioning_outbox SET attempts = attempts + 1, last_error = $4,
next_attempt = CASE WHEN gen = $7 THEN CAST($5 AS BIGINT) ELSE 0 END,
failed = CASE WHEN gen = $7 THEN CAST($6 AS BIGINT) ELSE 0 END, lease_owner = '', lease_until = 0
WHERE app_id = $1 AND kind = $2 AND object_id = $3 AND lease_owner = $8`
	retryFailedSQL = `UPDATE idp_provisioning_outbox SET failed = 0, next_attempt = 0 WHERE app_id = $1 AND failed = 1`
	failuresSQL    = `SELECT ` + outboxCols + ` FROM idp_provisioning_outbox WHERE app_id = $1 AND last_error <> ''
ORDER BY enqueued, kind, object_id LIMIT 100`
)

// enqueue adds keys to the outbox in tx.
func enqueue(ctx context.Context, tx *txn, now int64, keys []store.ProvisionKey) error {
	for _, k := range keys {
		if k.AppID == "" || k.ObjectID == "" || (k.Kind != store.ProvisionUser && k.Kind != store.ProvisionGroup) {
			return required("an app id, a kind (user or group) and an object id")
		}
		if _, err := exec(ctx, tx, "enqueue", enqueueOutboxSQL, k.AppID, k.Kind, k.ObjectID, now); err != nil {
			return err
		}
	}
	return nil
}

func scanOutbox(sc scanner) (store.OutboxItem, error) {
	var it store.OutboxItem
	var failed int64
	err := sc.Scan(&it.AppID, &it.Kind, &it.ObjectID, &it.Gen, &it.Owner, timeCol{&it.Enqueued}, &it.Attempts,
		timeCol{&it.NextAttempt}, &failed, &it.LastError)
	it.Failed = failed != 0
	return it, err
}

// Enqueue adds keys to the outbox.
func (s *IdP) Enqueue(ctx context.Context, keys []store.ProvisionKey) error {
	return s.db.writeNoEvent(ctx, func(tx *txn) error { return enqueue(ctx, tx, ts(s.db.clk.Now()), keys) })
}

// ClaimOutbox leases up to limit due items to owner.
func (s *IdP) ClaimOutbox(ctx context.Context, owner string, now, until time.Time, limit int) ([]store.OutboxItem, error) {
	if owner == "" || limit < 1 {
		return nil, required("an owner and a limit of at least 1")
	}
	var out []store.OutboxItem
	err := s.db.writeNoEvent(ctx, func(tx *txn) error {
		var err error
		out, err = collect(ctx, tx, "claim outbox", scanOutbox, claimOutboxSQL, owner, ts(until), ts(now), limit)
		return err
	})
	// RETURNING keeps no order: put users first again.
	slices.SortStableFunc(out, func(a, b store.OutboxItem) int {
		return cmp.Or(-cmp.Compare(a.Kind, b.Kind), a.NextAttempt.Compare(b.NextAttempt), a.Enqueued.Compare(b.Enqueued))
	})
	return out, err
}

// FinishOutbox removes pushed items unless they were queued again
// meanwhile or another replica leased them.
func (s *IdP) FinishOutbox(ctx context.Context, done []store.OutboxItem, at time.Time) error {
	for _, it := range done {
		if it.Owner == "" {
			return required("the owner of each claimed item")
		}
	}
	return s.db.writeNoEvent(ctx, func(tx *txn) error {
		apps := map[string]bool{}
		for _, it := range done {
			if err := finish(ctx, tx, it); err != nil {
				return err
			}
			apps[it.AppID] = true
		}
		for app := range apps {
			if err := touchProvisioning(ctx, tx, app, at); err != nil {
				return err
			}
		}
		return nil
	})
}

func finish(ctx context.Context, tx *txn, it store.OutboxItem) error {
	n, err := affected(ctx, tx, "finish outbox item", finishSQL, it.AppID, it.Kind, it.ObjectID, it.Gen, it.Owner)
	if err != nil || n > 0 {
		return err
	}
	// Queued again meanwhile: make it due at once, if still it.Owner's.
	_, err = exec(ctx, tx, "release outbox item", releaseSQL, it.AppID, it.Kind, it.ObjectID, it.Owner)
	return err
}

// RetryFailedOutbox makes the app's permanently failed items due again.
func (s *IdP) RetryFailedOutbox(ctx context.Context, appID string) error {
	return s.db.writeNoEvent(ctx, func(tx *txn) error {
		_, err := exec(ctx, tx, "retry failed outbox items", retryFailedSQL, appID)
		return err
	})
}

// FailOutbox records a failed attempt and releases the lease, unless
// another replica leased the item meanwhile.
func (s *IdP) FailOutbox(ctx context.Context, it store.OutboxItem, msg string, next time.Time, permanent bool) error {
	if it.Owner == "" {
		return required("the owner of the claimed item")
	}
	failed := 0
	if permanent {
		failed = 1
	}
	// The message is the target's words: keep what is storable.
	msg = truncate(strings.ReplaceAll(strings.ToValidUTF8(msg, "\uFFFD"), "\x00", ""), 1000)
	return s.db.writeNoEvent(ctx, func(tx *txn) error {
		_, err := exec(ctx, tx, "fail outbox item", failOutboxSQL, it.AppID, it.Kind, it.ObjectID, msg, ts(next), failed,
			it.Gen, it.Owner)
		return err
	})
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
