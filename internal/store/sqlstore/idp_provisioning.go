package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// The provisioning engine's state per app (store.Provisioning); the
// outbox is in idp_provisioning_outbox.go, the mapping and pushed
// memberships in idp_provisioning_targets.go.

const (
	changeHeadSQL      = `SELECT seq FROM idp_change_seq WHERE singleton = 1`
	upsertProvStateSQL = `INSERT INTO idp_provisioning (app_id, feed_seq, started, last_push, resync) VALUES ($1, $2, $3, 0, 0)
ON CONFLICT (app_id) DO UPDATE SET feed_seq = excluded.feed_seq, started = excluded.started`
	selectProvStateSQL = `SELECT app_id, feed_seq, started, last_push, resync FROM idp_provisioning WHERE app_id = $1`
	advanceProvSQL     = `UPDATE idp_provisioning SET feed_seq = $3 WHERE app_id = $1 AND feed_seq = $2`
	resyncProvSQL      = `UPDATE idp_provisioning SET resync = $2 WHERE app_id = $1`
	deleteProvStateSQL = `DELETE FROM idp_provisioning WHERE app_id = $1`
	deleteAppOutboxSQL = `DELETE FROM idp_provisioning_outbox WHERE app_id = $1`
	touchProvSQL       = `UPDATE idp_provisioning SET last_push = $2 WHERE app_id = $1 AND last_push < $2`
	countOutboxSQL     = `SELECT COUNT(*) FROM idp_provisioning_outbox WHERE app_id = $1`
)

// ChangeHead returns the Seq of the newest change.
func (s *IdP) ChangeHead(ctx context.Context) (int64, error) {
	var seq int64
	err := queryRow(ctx, s.db.r, changeHeadSQL).Scan(&seq)
	return seq, mapErr(err, "change head")
}

// StartProvisioning sets the app's cursor and queues its initial push.
func (s *IdP) StartProvisioning(ctx context.Context, appID string, cursor int64, keys []store.ProvisionKey) error {
	if appID == "" {
		return required("an app id")
	}
	e := audit.New(ctx, "application.provision.start", targetApp, appID)
	return s.db.mutate(ctx, e, func(tx *txn) error {
		if _, err := exec(ctx, tx, "start provisioning", upsertProvStateSQL, appID, cursor, ts(s.db.clk.Now())); err != nil {
			return err
		}
		return enqueue(ctx, tx, ts(s.db.clk.Now()), keys)
	})
}

// StopProvisioning drops the app's state and outbox.
func (s *IdP) StopProvisioning(ctx context.Context, appID string) error {
	e := audit.New(ctx, "application.provision.stop", targetApp, appID)
	return s.db.mutate(ctx, e, func(tx *txn) error {
		if _, err := exec(ctx, tx, "stop provisioning", deleteProvStateSQL, appID); err != nil {
			return err
		}
		_, err := exec(ctx, tx, "stop provisioning", deleteAppOutboxSQL, appID)
		return err
	})
}

// ProvisionState returns the app's cursor and push times.
func (s *IdP) ProvisionState(ctx context.Context, appID string) (store.ProvisionState, error) {
	return provState(ctx, s.db.r, appID)
}

func provState(ctx context.Context, q querier, appID string) (store.ProvisionState, error) {
	var st store.ProvisionState
	err := queryRow(ctx, q, selectProvStateSQL, appID).Scan(&st.AppID, &st.Cursor, timeCol{&st.Started}, timeCol{&st.LastPush}, timeCol{&st.Resync})
	if errors.Is(err, sql.ErrNoRows) {
		return st, errNotStarted(appID)
	}
	return st, mapErr(err, "provisioning state")
}

// ResyncProvisioning records a resync and queues keys.
func (s *IdP) ResyncProvisioning(ctx context.Context, appID string, keys []store.ProvisionKey) error {
	e := audit.New(ctx, "application.provision.resync", targetApp, appID)
	return s.db.mutate(ctx, e, func(tx *txn) error {
		now := ts(s.db.clk.Now())
		n, err := affected(ctx, tx, "resync provisioning", resyncProvSQL, appID, now)
		if err != nil {
			return err
		}
		if n == 0 {
			return errNotStarted(appID)
		}
		return enqueue(ctx, tx, now, keys)
	})
}

func errNotStarted(appID string) error {
	return errs.E(errs.NotFound, "provisioning of app %s is not started", appID).
		WithResource(store.ResourceProvisioning, appID)
}

// AdvanceProvisioning queues keys and moves the cursor, compare-and-swap.
func (s *IdP) AdvanceProvisioning(ctx context.Context, appID string, from, to int64, keys []store.ProvisionKey) error {
	return s.db.writeNoEvent(ctx, func(tx *txn) error {
		n, err := affected(ctx, tx, "advance provisioning", advanceProvSQL, appID, from, to)
		if err != nil {
			return err
		}
		if n == 0 {
			return errs.E(errs.Conflict, "provisioning of app %s moved past %d or is not started", appID, from).
				WithResource(store.ResourceProvisioning, appID)
		}
		return enqueue(ctx, tx, ts(s.db.clk.Now()), keys)
	})
}

// ProvisionStatus returns the app's state, pending count and failures.
func (s *IdP) ProvisionStatus(ctx context.Context, appID string) (store.ProvisionStatus, error) {
	st, err := provState(ctx, s.db.r, appID)
	if err != nil {
		return store.ProvisionStatus{}, err
	}
	out := store.ProvisionStatus{ProvisionState: st}
	if err := queryRow(ctx, s.db.r, countOutboxSQL, appID).Scan(&out.Pending); err != nil {
		return out, mapErr(err, "count outbox")
	}
	out.Failures, err = collect(ctx, s.db.r, "outbox failures", scanOutbox, failuresSQL, appID)
	return out, err
}

// touchProvisioning records a push at at.
func touchProvisioning(ctx context.Context, tx *txn, appID string, at time.Time) error {
	_, err := exec(ctx, tx, "record push", touchProvSQL, appID, ts(at))
	return err
}
