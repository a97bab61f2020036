package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

const (
	iamMFACols      = `account_id, path, name, sealed_seed, user_id, enabled_at, last_step, tags, created_at`
	insertIAMMFASQL = `INSERT INTO iam_mfa_devices (serial, ` + iamMFACols + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
	iamMFASQL       = `SELECT ` + iamMFACols + ` FROM iam_mfa_devices WHERE serial = $1`
	listIAMMFASQL   = `SELECT ` + iamMFACols + ` FROM iam_mfa_devices WHERE account_id = $1 AND ($2 = '' OR user_id = $2)
	AND serial > $3 ORDER BY serial LIMIT CAST($4 AS INTEGER)`
	updateIAMMFASQL = `UPDATE iam_mfa_devices SET user_id = $2, enabled_at = $3, last_step = $4, tags = $5 WHERE serial = $1`
	deleteIAMMFASQL = `DELETE FROM iam_mfa_devices WHERE serial = $1`
	targetIAMMFA    = "IAM_MFA_DEVICE"
)

func errIAMMFANotFound(serial string) *errs.Error { return missing(store.ResourceIAMMFADevice, serial) }

func scanIAMMFA(s scanner) (iam.VirtualMFADevice, error) {
	var d iam.VirtualMFADevice
	err := s.Scan(&d.AccountID, &d.Path, &d.Name, &d.SealedSeed, &d.UserID, timeCol{&d.EnableDate}, &d.LastStep,
		jsonCol{&d.Tags}, timeCol{&d.CreatedAt})
	return d, err
}

// CreateIAMMFADevice stores an unassigned device.
func (db *DB) CreateIAMMFADevice(ctx context.Context, d iam.VirtualMFADevice) error {
	if d.AccountID == "" || d.Name == "" || len(d.SealedSeed) == 0 {
		return required("an MFA device's account, name and seed")
	}
	serial := d.SerialNumber()
	e := audit.New(ctx, "iam.mfa.create", targetIAMMFA, serial)
	return db.mutate(ctx, e, func(tx *txn) error {
		_, err := exec(ctx, tx, "create iam mfa device", insertIAMMFASQL, serial, d.AccountID, d.Path, d.Name,
			d.SealedSeed, d.UserID, ts(d.EnableDate), d.LastStep, jsonCol{tagsOrEmpty(d.Tags)}, ts(d.CreatedAt))
		return named(err, store.ResourceIAMMFADevice, store.FieldName)
	})
}

// IAMMFADevice finds a device by serial number.
func (db *DB) IAMMFADevice(ctx context.Context, serial string) (iam.VirtualMFADevice, error) {
	return iamMFA(ctx, db.r, serial)
}

func iamMFA(ctx context.Context, q querier, serial string) (iam.VirtualMFADevice, error) {
	d, err := scanIAMMFA(queryRow(ctx, q, iamMFASQL, serial))
	return d, notFound(err, "iam mfa device", errIAMMFANotFound(serial))
}

// ListIAMMFADevices pages the account's devices, or one user's.
func (db *DB) ListIAMMFADevices(ctx context.Context, accountID, userID string, p store.Page) ([]iam.VirtualMFADevice, string, error) {
	cur, err := decodeCursor("iam_mfa", p, 1)
	if err != nil {
		return nil, "", err
	}
	key := func(d iam.VirtualMFADevice) []string { return []string{d.SerialNumber()} }
	pq := pageQuery[iam.VirtualMFADevice]{list: "iam_mfa", scan: scanIAMMFA, key: key, limit: p.Limit}
	return pq.run(ctx, db.r, listIAMMFASQL, accountID, userID, cur[0], p.Limit+1)
}

// UpdateIAMMFADevice is compare-and-swap over the assignment, enable date,
// last step and tags. A change of the last step alone writes no event.
func (db *DB) UpdateIAMMFADevice(ctx context.Context, serial string, fn func(iam.VirtualMFADevice) (iam.VirtualMFADevice, error)) (iam.VirtualMFADevice, error) {
	read := func(tx *txn) (iam.VirtualMFADevice, error) { return iamMFA(ctx, tx, serial) }
	return swap(ctx, db, read, fn, func(tx *txn, old iam.VirtualMFADevice, next *iam.VirtualMFADevice) error {
		next.AccountID, next.Path, next.Name, next.SealedSeed = old.AccountID, old.Path, old.Name, old.SealedSeed
		if _, err := exec(ctx, tx, "update iam mfa device", updateIAMMFASQL, serial, next.UserID, ts(next.EnableDate),
			next.LastStep, jsonCol{tagsOrEmpty(next.Tags)}); err != nil {
			return err
		}
		if old.UserID == next.UserID && old.EnableDate.Equal(next.EnableDate) {
			return nil
		}
		return db.insertEvent(ctx, tx, audit.New(ctx, "iam.mfa.update", targetIAMMFA, serial))
	})
}

// DeleteIAMMFADevice deletes an unassigned device.
func (db *DB) DeleteIAMMFADevice(ctx context.Context, serial string) error {
	e := audit.New(ctx, "iam.mfa.delete", targetIAMMFA, serial)
	return db.mutate(ctx, e, func(tx *txn) error {
		d, err := iamMFA(ctx, tx, serial)
		if err != nil {
			return err
		}
		if d.Assigned() {
			return errs.E(errs.Conflict, "MFA device %s is still assigned", serial).
				WithResource(store.ResourceIAMMFADevice, serial).WithField(store.FieldInUse)
		}
		_, err = exec(ctx, tx, "delete iam mfa device", deleteIAMMFASQL, serial)
		return err
	})
}
