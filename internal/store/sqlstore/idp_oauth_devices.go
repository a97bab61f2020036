package sqlstore

import (
	"context"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// A device authorization has no person until it is approved: user_id is
// NULL until then, so the foreign key binds only real people.
const (
	oauthDeviceCols = `code_hash, user_code, auth_server_id, client_id, scopes, status, COALESCE(user_id, ''),
	session_hash, amr, auth_time, interval_ns, last_polled_at, created_at, expires_at`
	insertOAuthDeviceSQL = `INSERT INTO idp_oauth_devices (code_hash, user_code, auth_server_id, client_id, scopes,
	status, user_id, session_hash, amr, auth_time, interval_ns, last_polled_at, created_at, expires_at)
VALUES ($1, $2, $3, $4, $5, $6, NULLIF($7, ''), $8, $9, $10, $11, $12, $13, $14)`
	updateOAuthDeviceSQL = `UPDATE idp_oauth_devices SET user_code = $2, auth_server_id = $3, client_id = $4,
	scopes = $5, status = $6, user_id = NULLIF($7, ''), session_hash = $8, amr = $9, auth_time = $10,
	interval_ns = $11, last_polled_at = $12, created_at = $13, expires_at = $14 WHERE code_hash = $1`
	selectOAuthDeviceSQL     = `SELECT ` + oauthDeviceCols + ` FROM idp_oauth_devices WHERE code_hash = $1`
	oauthDeviceByUserCodeSQL = `SELECT ` + oauthDeviceCols + ` FROM idp_oauth_devices WHERE user_code = $1`
	freeOAuthUserCodeSQL     = `DELETE FROM idp_oauth_devices WHERE user_code = $1 AND expires_at <= $2`
)

// deviceEvents are the events of the statuses a person moves an
// authorization to.
var deviceEvents = map[string]string{
	directory.DeviceApproved: "oauth2.device.approve",
	directory.DeviceDenied:   "oauth2.device.deny",
}

func errOAuthDeviceNotFound() *errs.Error { return missing(store.ResourceOAuthDevice, "") }

// CreateOAuthDevice stores a device authorization; a user code held by a
// live one is errs.Conflict (an expired holder is removed first). It
// writes no event: the OpenID Connect provider logs the request.
func (s *IdP) CreateOAuthDevice(ctx context.Context, d directory.OAuthDevice) error {
	if d.CodeHash == "" || d.UserCode == "" {
		return required("a device authorization's code hash and user code")
	}
	return s.db.writeNoEvent(ctx, func(tx *txn) error {
		if err := grantHolders(ctx, tx, d.ClientID, d.UserID); err != nil {
			return err
		}
		if _, err := exec(ctx, tx, "free user code", freeOAuthUserCodeSQL, d.UserCode, ts(s.db.clk.Now())); err != nil {
			return err
		}
		return writeOAuthDevice(ctx, tx, insertOAuthDeviceSQL, d)
	})
}

func writeOAuthDevice(ctx context.Context, tx *txn, query string, d directory.OAuthDevice) error {
	_, err := exec(ctx, tx, "write device authorization", query, d.CodeHash, d.UserCode, d.AuthServerID,
		d.ClientID, jsonCol{list(d.Scopes)}, d.Status, d.UserID, d.SessionHash, jsonCol{list(d.AMR)},
		ts(d.AuthTime), int64(d.Interval), ts(d.LastPolledAt), ts(d.CreatedAt), ts(d.ExpiresAt))
	return err
}

func scanOAuthDevice(s scanner) (directory.OAuthDevice, error) {
	var d directory.OAuthDevice
	var interval int64
	err := s.Scan(&d.CodeHash, &d.UserCode, &d.AuthServerID, &d.ClientID, jsonCol{&d.Scopes}, &d.Status,
		&d.UserID, &d.SessionHash, jsonCol{&d.AMR}, timeCol{&d.AuthTime}, &interval, timeCol{&d.LastPolledAt},
		timeCol{&d.CreatedAt}, timeCol{&d.ExpiresAt})
	d.Interval = time.Duration(interval)
	return d, err
}

// OAuthDevice returns an authorization, expired or not, by the hash of
// its device code (the provider tells an expired one apart).
func (s *IdP) OAuthDevice(ctx context.Context, codeHash string) (directory.OAuthDevice, error) {
	return oauthDevice(ctx, s.db.r, codeHash)
}

func oauthDevice(ctx context.Context, q querier, codeHash string) (directory.OAuthDevice, error) {
	d, err := scanOAuthDevice(queryRow(ctx, q, selectOAuthDeviceSQL, codeHash))
	return d, notFound(err, "device authorization", errOAuthDeviceNotFound())
}

// OAuthDeviceByUserCode returns the authorization holding userCode.
func (s *IdP) OAuthDeviceByUserCode(ctx context.Context, userCode string) (directory.OAuthDevice, error) {
	d, err := scanOAuthDevice(queryRow(ctx, s.db.r, oauthDeviceByUserCodeSQL, userCode))
	return d, notFound(err, "device authorization", errOAuthDeviceNotFound())
}

// UpdateOAuthDevice is compare-and-swap; the code hash stays. Moving to
// APPROVED or DENIED logs the person's decision on the client app.
func (s *IdP) UpdateOAuthDevice(ctx context.Context, codeHash string,
	fn func(directory.OAuthDevice) (directory.OAuthDevice, error)) (directory.OAuthDevice, error) {
	read := func(tx *txn) (directory.OAuthDevice, error) { return oauthDevice(ctx, tx, codeHash) }
	return swap(ctx, s.db, read, fn, func(tx *txn, old directory.OAuthDevice, next *directory.OAuthDevice) error {
		next.CodeHash = codeHash
		if next.ClientID != old.ClientID || next.UserID != old.UserID {
			if err := grantHolders(ctx, tx, next.ClientID, next.UserID); err != nil {
				return err
			}
		}
		if err := writeOAuthDevice(ctx, tx, updateOAuthDeviceSQL, *next); err != nil {
			return err
		}
		action, logged := deviceEvents[next.Status]
		if !logged || next.Status == old.Status {
			return nil
		}
		e := audit.New(ctx, action, targetApp, next.ClientID)
		e.Message = "device authorization for user " + next.UserID
		return s.event(ctx, tx, e)
	})
}
