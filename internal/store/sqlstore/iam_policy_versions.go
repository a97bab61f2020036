package sqlstore

import (
	"context"
	"time"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

// The versions of customer managed policies (iam_policy_versions). A
// policy's next_version numbers them, so ids are never reused.
const (
	insertVersionSQL = `INSERT INTO iam_policy_versions (policy_id, version_id, seq, document, created_at) VALUES ($1, $2, $3, $4, $5)`
	versionCols      = `v.version_id, v.document, v.version_id = p.default_version, v.created_at`
	selectVersionSQL = `SELECT ` + versionCols + ` FROM iam_policy_versions v JOIN iam_policies p ON p.id = v.policy_id
WHERE v.policy_id = $1 AND v.version_id = $2`
	listVersionsSQL = `SELECT ` + versionCols + ` FROM iam_policy_versions v JOIN iam_policies p ON p.id = v.policy_id
WHERE v.policy_id = $1 ORDER BY v.seq DESC`
	nextVersionSQL    = `SELECT next_version FROM iam_policies WHERE id = $1`
	bumpVersionSQL    = `UPDATE iam_policies SET next_version = next_version + 1, updated_at = $2 WHERE id = $1`
	setDefaultSQL     = `UPDATE iam_policies SET default_version = $2 WHERE id = $1`
	deleteVersionSQL  = `DELETE FROM iam_policy_versions WHERE policy_id = $1 AND version_id = $2`
	versionExistsSQL  = `SELECT 1 FROM iam_policy_versions WHERE policy_id = $1 AND version_id = $2`
	maxVersionsReason = "A managed policy can have up to %d versions. Before you create a new version, you must delete an existing version."
)

func insertVersion(ctx context.Context, tx *txn, policyID string, seq int, v iam.PolicyVersion) error {
	_, err := exec(ctx, tx, "create iam policy version", insertVersionSQL, policyID, v.VersionID, seq, v.Document, ts(v.CreatedAt))
	return err
}

func scanVersion(s scanner) (iam.PolicyVersion, error) {
	var v iam.PolicyVersion
	err := s.Scan(&v.VersionID, &v.Document, &v.IsDefault, timeCol{&v.CreatedAt})
	return v, err
}

func errVersionNotFound(versionID string) *errs.Error {
	return missing(store.ResourceIAMPolicyVersion, versionID)
}

// CreatePolicyVersion adds the next version of a policy.
func (db *DB) CreatePolicyVersion(ctx context.Context, accountID, name, doc string, setDefault bool, now time.Time) (iam.PolicyVersion, error) {
	var v iam.PolicyVersion
	err := db.mutatePolicy(ctx, "iam.policy.version.create", accountID, name, func(tx *txn, p iam.Policy) error {
		var count, next int
		if err := queryRow(ctx, tx, countVersionsSQL, p.ID).Scan(&count); err != nil {
			return mapErr(err, "count iam policy versions")
		}
		if count >= iam.MaxPolicyVersions {
			return errs.E(errs.Conflict, maxVersionsReason, iam.MaxPolicyVersions).WithCode("LimitExceeded").
				WithResource(store.ResourceIAMPolicy, p.Name).WithField(store.FieldLimit)
		}
		if err := queryRow(ctx, tx, nextVersionSQL, p.ID).Scan(&next); err != nil {
			return mapErr(err, "next iam policy version")
		}
		v = iam.PolicyVersion{VersionID: iam.VersionID(next), Document: doc, IsDefault: setDefault, CreatedAt: now}
		if err := insertVersion(ctx, tx, p.ID, next, v); err != nil {
			return err
		}
		if _, err := exec(ctx, tx, "bump iam policy version", bumpVersionSQL, p.ID, ts(now)); err != nil {
			return err
		}
		if !setDefault {
			return nil
		}
		_, err := exec(ctx, tx, "set default iam policy version", setDefaultSQL, p.ID, v.VersionID)
		return err
	})
	return v, err
}

// PolicyVersion returns one version of a policy.
func (db *DB) PolicyVersion(ctx context.Context, accountID, name, versionID string) (iam.PolicyVersion, error) {
	p, err := iamPolicy(ctx, db.r, accountID, name)
	if err != nil {
		return iam.PolicyVersion{}, err
	}
	v, err := scanVersion(queryRow(ctx, db.r, selectVersionSQL, p.ID, versionID))
	return v, notFound(err, "iam policy version", errVersionNotFound(versionID))
}

// ListPolicyVersions lists a policy's versions, newest first.
func (db *DB) ListPolicyVersions(ctx context.Context, accountID, name string) ([]iam.PolicyVersion, error) {
	p, err := iamPolicy(ctx, db.r, accountID, name)
	if err != nil {
		return nil, err
	}
	return collect(ctx, db.r, "list iam policy versions", scanVersion, listVersionsSQL, p.ID)
}

// DeletePolicyVersion deletes a version other than the default.
func (db *DB) DeletePolicyVersion(ctx context.Context, accountID, name, versionID string) error {
	return db.mutatePolicy(ctx, "iam.policy.version.delete", accountID, name, func(tx *txn, p iam.Policy) error {
		if p.DefaultVersion == versionID {
			return inUse(p.Name, "Cannot delete the default version of a policy.")
		}
		return changeRow(ctx, tx, errVersionNotFound(versionID), "delete iam policy version",
			deleteVersionSQL, p.ID, versionID)
	})
}

// SetDefaultPolicyVersion makes a version the default.
func (db *DB) SetDefaultPolicyVersion(ctx context.Context, accountID, name, versionID string) error {
	return db.mutatePolicy(ctx, "iam.policy.version.default", accountID, name, func(tx *txn, p iam.Policy) error {
		var one int
		err := queryRow(ctx, tx, versionExistsSQL, p.ID, versionID).Scan(&one)
		if err := notFound(err, "find iam policy version", errVersionNotFound(versionID)); err != nil {
			return err
		}
		_, err = exec(ctx, tx, "set default iam policy version", setDefaultSQL, p.ID, versionID)
		return err
	})
}
