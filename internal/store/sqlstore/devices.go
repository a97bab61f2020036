package sqlstore

import (
	"context"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

const (
	deviceCols      = `code_hash, user_code, client_id, scopes, start_url, status, user_id, interval_ns, last_polled_at, created_at, expires_at, session_hash`
	insertDeviceSQL = `INSERT INTO device_authorizations (` + deviceCols + `)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`
	updateDeviceSQL = `UPDATE device_authorizations SET user_code = $2, client_id = $3, scopes = $4,
	start_url = $5, status = $6, user_id = $7, interval_ns = $8, last_polled_at = $9, created_at = $10,
	expires_at = $11, session_hash = $12 WHERE code_hash = $1`
	selectDeviceSQL        = `SELECT ` + deviceCols + ` FROM device_authorizations WHERE code_hash = $1`
	deviceByUserCodeSQL    = `SELECT ` + deviceCols + ` FROM device_authorizations WHERE user_code = $1`
	freeExpiredUserCodeSQL = `DELETE FROM device_authorizations WHERE user_code = $1 AND expires_at <= $2`
	pendingDevicesSQL      = `SELECT COUNT(*) FROM device_authorizations
WHERE client_id = $1 AND status = $2 AND expires_at > $3`
)

// deviceRetention is how long an expired authorization is kept, so a late
// poll is told "expired" rather than "unknown".
const deviceRetention = 24 * time.Hour

func errDeviceNotFound() *errs.Error {
	return missing(store.ResourceDevice, "")
}

// CreateDeviceAuthorization stores d; a user code held by a live
// authorization is errs.Conflict.
func (db *DB) CreateDeviceAuthorization(ctx context.Context, d ic.DeviceAuthorization) error {
	e := audit.New(ctx, "ssooidc.device.start", "DEVICE_AUTHORIZATION", d.CodeHash)
	e.Message = "client " + d.ClientID
	now := db.clk.Now()
	return db.mutate(ctx, e, func(tx *txn) error {
		if _, err := exec(ctx, tx, "free user code", freeExpiredUserCodeSQL, d.UserCode, ts(now)); err != nil {
			return err
		}
		return writeDevice(ctx, tx, insertDeviceSQL, d)
	})
}

func writeDevice(ctx context.Context, tx *txn, query string, d ic.DeviceAuthorization) error {
	_, err := exec(ctx, tx, "write device authorization", query, d.CodeHash, d.UserCode,
		d.ClientID, jsonCol{d.Scopes}, d.StartURL, d.Status, d.UserID, int64(d.Interval),
		ts(d.LastPolledAt), ts(d.CreatedAt), ts(d.ExpiresAt), d.SessionHash)
	return err
}

// DeviceAuthorization returns an authorization by the hash of its device code.
func (db *DB) DeviceAuthorization(ctx context.Context, codeHash string) (ic.DeviceAuthorization, error) {
	return device(ctx, db.r, codeHash)
}

func device(ctx context.Context, q querier, codeHash string) (ic.DeviceAuthorization, error) {
	d, err := scanDevice(queryRow(ctx, q, selectDeviceSQL, codeHash))
	return d, notFound(err, "device authorization", errDeviceNotFound())
}

// DeviceAuthorizationByUserCode returns the authorization holding userCode.
func (db *DB) DeviceAuthorizationByUserCode(ctx context.Context, userCode string) (ic.DeviceAuthorization, error) {
	d, err := scanDevice(queryRow(ctx, db.r, deviceByUserCodeSQL, userCode))
	return d, notFound(err, "device authorization", errDeviceNotFound())
}

func scanDevice(s scanner) (ic.DeviceAuthorization, error) {
	var d ic.DeviceAuthorization
	var interval int64
	err := s.Scan(&d.CodeHash, &d.UserCode, &d.ClientID, jsonCol{&d.Scopes}, &d.StartURL,
		&d.Status, &d.UserID, &interval, timeCol{&d.LastPolledAt}, timeCol{&d.CreatedAt},
		timeCol{&d.ExpiresAt}, &d.SessionHash)
	d.Interval = time.Duration(interval)
	return d, err
}

// UpdateDeviceAuthorization is compare-and-swap; it logs status changes only.
func (db *DB) UpdateDeviceAuthorization(ctx context.Context, codeHash string, fn func(ic.DeviceAuthorization) (ic.DeviceAuthorization, error)) (ic.DeviceAuthorization, error) {
	read := func(tx *txn) (ic.DeviceAuthorization, error) { return device(ctx, tx, codeHash) }
	return swap(ctx, db, read, fn, func(tx *txn, old ic.DeviceAuthorization, next *ic.DeviceAuthorization) error {
		next.CodeHash = codeHash
		if err := writeDevice(ctx, tx, updateDeviceSQL, *next); err != nil {
			return err
		}
		if next.Status == old.Status {
			return nil
		}
		action := "ssooidc.device." + strings.ToLower(next.Status)
		return db.insertEvent(ctx, tx, audit.New(ctx, action, "DEVICE_AUTHORIZATION", codeHash))
	})
}

// PendingDevices counts the client's pending, unexpired authorizations.
func (db *DB) PendingDevices(ctx context.Context, clientID string) (int, error) {
	var n int
	err := queryRow(ctx, db.r, pendingDevicesSQL, clientID, ic.DevicePending, ts(db.clk.Now())).Scan(&n)
	return n, mapErr(err, "count pending devices")
}
