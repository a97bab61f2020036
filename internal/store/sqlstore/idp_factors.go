package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

const (
	factorCols      = `id, user_id, type, provider, status, name, secret, last_step, credential, credential_id, created, last_updated`
	insertFactorSQL = `INSERT INTO idp_factors (id, user_id, type, provider, status, name, secret, last_step,
	credential, credential_id, created, last_updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`
	updateFactorSQL = `UPDATE idp_factors SET type = $2, provider = $3, status = $4, name = $5, secret = $6,
	last_step = $7, credential = $8, credential_id = $9, last_updated = $10 WHERE id = $1`
	selectFactorSQL       = `SELECT ` + factorCols + ` FROM idp_factors WHERE id = $1 AND user_id = $2`
	userFactorsSQL        = `SELECT ` + factorCols + ` FROM idp_factors WHERE user_id = $1 ORDER BY created, id`
	factorByCredentialSQL = `SELECT ` + factorCols + ` FROM idp_factors WHERE credential_id = $1`
	deleteFactorSQL       = `DELETE FROM idp_factors WHERE id = $1 AND user_id = $2`
	deleteFactorsSQL      = `DELETE FROM idp_factors WHERE user_id = $1`
)

func errFactorNotFound(id string) *errs.Error { return missing(store.ResourceFactor, id) }

func scanFactor(s scanner) (directory.Factor, error) {
	var f directory.Factor
	err := s.Scan(&f.ID, &f.UserID, &f.Type, &f.Provider, &f.Status, &f.Name, &f.Secret, &f.LastStep,
		&f.Credential, &f.CredentialID, timeCol{&f.Created}, timeCol{&f.LastUpdated})
	return f, err
}

// blob is b as a BLOB/BYTEA value: never NULL.
func blob(b []byte) []byte { return append([]byte{}, b...) }

// factorEvent is the event of a factor enrolled or changed to status.
func factorEvent(ctx context.Context, action string, f directory.Factor) audit.Event {
	e := audit.New(ctx, action, targetFactor, f.ID)
	e.Message = "user " + f.UserID + " " + string(f.Type)
	return e
}

// CreateFactor stores a new enrolment.
func (s *IdP) CreateFactor(ctx context.Context, f directory.Factor) (directory.Factor, error) {
	if f.ID == "" {
		f.ID = directory.NewFactorID(clock.Random)
	}
	now := s.db.clk.Now()
	f.Created, f.LastUpdated = now, now
	action := "user.mfa.factor.update"
	if f.Status == directory.FactorActive {
		action = "user.mfa.factor.activate"
	}
	err := s.db.mutate(ctx, factorEvent(ctx, action, f), func(tx *txn) error {
		if err := mustExist(ctx, tx, idpUserExistsSQL, f.UserID, errIdPUserNotFound(f.UserID)); err != nil {
			return err
		}
		_, err := exec(ctx, tx, "create factor", insertFactorSQL, f.ID, f.UserID, string(f.Type), f.Provider,
			string(f.Status), f.Name, blob(f.Secret), f.LastStep, blob(f.Credential), f.CredentialID,
			ts(f.Created), ts(f.LastUpdated))
		return err
	})
	if err != nil {
		return directory.Factor{}, err
	}
	return f, nil
}

// Factors lists the user's factors, oldest first.
func (s *IdP) Factors(ctx context.Context, userID string) ([]directory.Factor, error) {
	return userRows(ctx, s.db.r, "factors", scanFactor, userFactorsSQL, userID)
}

// Factor returns one of the user's factors.
func (s *IdP) Factor(ctx context.Context, userID, factorID string) (directory.Factor, error) {
	return factor(ctx, s.db.r, userID, factorID)
}

func factor(ctx context.Context, q querier, userID, factorID string) (directory.Factor, error) {
	f, err := scanFactor(queryRow(ctx, q, selectFactorSQL, factorID, userID))
	return f, notFound(err, "factor", errFactorNotFound(factorID))
}

// FactorByCredentialID finds a WebAuthn factor by its credential id.
func (s *IdP) FactorByCredentialID(ctx context.Context, credentialID string) (directory.Factor, error) {
	if credentialID == "" {
		return directory.Factor{}, errFactorNotFound("")
	}
	f, err := scanFactor(queryRow(ctx, s.db.r, factorByCredentialSQL, credentialID))
	return f, notFound(err, "factor by credential", errFactorNotFound(""))
}

// UpdateFactor is compare-and-swap; the id, user and creation time cannot
// change. An empty eventType writes no event.
func (s *IdP) UpdateFactor(ctx context.Context, userID, factorID, eventType string,
	fn func(directory.Factor) (directory.Factor, error)) (directory.Factor, error) {
	read := func(tx *txn) (directory.Factor, error) { return factor(ctx, tx, userID, factorID) }
	return swap(ctx, s.db, read, fn, func(tx *txn, old directory.Factor, next *directory.Factor) error {
		next.ID, next.UserID, next.Created, next.LastUpdated = old.ID, old.UserID, old.Created, s.db.clk.Now()
		if _, err := exec(ctx, tx, "update factor", updateFactorSQL, next.ID, string(next.Type), next.Provider,
			string(next.Status), next.Name, blob(next.Secret), next.LastStep, blob(next.Credential),
			next.CredentialID, ts(next.LastUpdated)); err != nil {
			return err
		}
		if eventType == "" {
			return nil
		}
		return s.event(ctx, tx, factorEvent(ctx, eventType, *next))
	})
}

// DeleteFactor removes one of the user's factors.
func (s *IdP) DeleteFactor(ctx context.Context, userID, factorID string) error {
	return s.db.write(ctx, func(tx *txn) error {
		f, err := factor(ctx, tx, userID, factorID)
		if err != nil {
			return err
		}
		if _, err := exec(ctx, tx, "delete factor", deleteFactorSQL, factorID, userID); err != nil {
			return err
		}
		return s.event(ctx, tx, factorEvent(ctx, "user.mfa.factor.deactivate", f))
	})
}

// DeleteFactors removes all the user's factors.
func (s *IdP) DeleteFactors(ctx context.Context, userID string) error {
	e := audit.New(ctx, "user.mfa.factor.reset_all", targetUser, userID)
	return s.db.mutate(ctx, e, func(tx *txn) error {
		if err := mustExist(ctx, tx, idpUserExistsSQL, userID, errIdPUserNotFound(userID)); err != nil {
			return err
		}
		_, err := exec(ctx, tx, "delete factors", deleteFactorsSQL, userID)
		return err
	})
}
