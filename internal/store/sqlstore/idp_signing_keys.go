package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// Keys of one use are numbered by generation; the unique (use,
// generation) turns racing creations and rotations into one winner.
const (
	signingKeyCols      = `id, use, algorithm, sealed_key, certificate, created, activates_at, retires_at`
	insertSigningKeySQL = `INSERT INTO idp_signing_keys (id, use, generation, algorithm, sealed_key, certificate,
	created, activates_at, retires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (use, generation) DO NOTHING`
	lastGenerationSQL = `SELECT COALESCE(MAX(generation), 0) FROM idp_signing_keys WHERE use = $1`
	retireKeysSQL     = `UPDATE idp_signing_keys SET retires_at = $2
WHERE use = $1 AND (retires_at = 0 OR retires_at > $2)`
	selectSigningKeysSQL = `SELECT ` + signingKeyCols + ` FROM idp_signing_keys WHERE use = $1 ORDER BY generation`
	targetSigningKey     = "SigningKey"
)

func scanSigningKey(s scanner) (directory.SigningKey, error) {
	var k directory.SigningKey
	err := s.Scan(&k.ID, &k.Use, &k.Algorithm, &k.SealedPrivateKey, &k.Certificate, timeCol{&k.Created},
		timeCol{&k.ActivatesAt}, timeCol{&k.RetiresAt})
	return k, err
}

func checkSigningKey(k directory.SigningKey) error {
	if k.ID == "" || k.Use == "" || len(k.SealedPrivateKey) == 0 || len(k.Certificate) == 0 {
		return required("a signing key's id, use, sealed key and certificate")
	}
	return nil
}

// CreateFirstSigningKey stores k when its use has no key yet.
func (s *IdP) CreateFirstSigningKey(ctx context.Context, k directory.SigningKey) (bool, error) {
	if err := checkSigningKey(k); err != nil {
		return false, err
	}
	var stored bool
	err := s.db.write(ctx, func(tx *txn) error {
		n, err := s.insertSigningKey(ctx, tx, k, 1)
		if stored = n == 1; err != nil || !stored {
			return err
		}
		return s.event(ctx, tx, signingKeyEvent(ctx, "system.signing_key.create", k))
	})
	return stored, err
}

// RotateSigningKey stores k as the next key of its use and schedules the
// retirement of the keys before it.
func (s *IdP) RotateSigningKey(ctx context.Context, k directory.SigningKey) error {
	if err := checkSigningKey(k); err != nil {
		return err
	}
	return s.db.write(ctx, func(tx *txn) error {
		var last int64
		if err := queryRow(ctx, tx, lastGenerationSQL, k.Use).Scan(&last); err != nil {
			return mapErr(err, "last signing key generation")
		}
		if last == 0 {
			return missing(store.ResourceSigningKey, k.Use)
		}
		if _, err := exec(ctx, tx, "retire signing keys", retireKeysSQL, k.Use, ts(k.ActivatesAt)); err != nil {
			return err
		}
		n, err := s.insertSigningKey(ctx, tx, k, last+1)
		if err == nil && n == 0 {
			err = errs.E(errs.Conflict, "another rotation of the %s signing key came first", k.Use).
				WithResource(store.ResourceSigningKey, k.ID)
		}
		if err != nil {
			return err
		}
		return s.event(ctx, tx, signingKeyEvent(ctx, "system.signing_key.rotate", k))
	})
}

func (s *IdP) insertSigningKey(ctx context.Context, tx *txn, k directory.SigningKey, gen int64) (int64, error) {
	return affected(ctx, tx, "insert signing key", insertSigningKeySQL, k.ID, k.Use, gen, k.Algorithm,
		blob(k.SealedPrivateKey), blob(k.Certificate), ts(k.Created), ts(k.ActivatesAt), ts(k.RetiresAt))
}

// SigningKeys lists the keys of use, oldest first.
func (s *IdP) SigningKeys(ctx context.Context, use string) ([]directory.SigningKey, error) {
	return collect(ctx, s.db.r, "signing keys", scanSigningKey, selectSigningKeysSQL, use)
}

func signingKeyEvent(ctx context.Context, action string, k directory.SigningKey) audit.Event {
	e := audit.New(ctx, action, targetSigningKey, k.ID)
	e.TargetName = k.Use + " " + k.Algorithm
	return e
}
