package sqlstore

import (
	"context"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// A SCIM token is live while the clock is before its expires_at; unlike an
// API token, use does not extend it (AWS's last a fixed year).
const (
	scimTokenCols      = `id, hash, created_at, expires_at, last_used`
	insertSCIMTokenSQL = `INSERT INTO scim_tokens (` + scimTokenCols + `) VALUES ($1, $2, $3, $4, $5)`
	liveSCIMTokensSQL  = `SELECT COUNT(*) FROM scim_tokens WHERE expires_at > $1`
	listSCIMTokensSQL  = `SELECT ` + scimTokenCols + ` FROM scim_tokens ORDER BY created_at, id`
	scimTokenByHashSQL = `SELECT ` + scimTokenCols + ` FROM scim_tokens WHERE hash = $1 AND expires_at > $2`
	touchSCIMTokenSQL  = `UPDATE scim_tokens SET last_used = CASE WHEN last_used > $2 THEN last_used ELSE $2 END
WHERE id = $1`
	deleteSCIMTokenSQL  = `DELETE FROM scim_tokens WHERE id = $1`
	targetSCIMToken     = "SCIM_TOKEN"
	scimTokenCreateName = "identitycenter.scim.token.create"
	scimTokenDeleteName = "identitycenter.scim.token.delete"
)

func errSCIMTokenNotFound(id string) *errs.Error { return missing(store.ResourceSCIMToken, id) }

func scanSCIMToken(s scanner) (ic.SCIMToken, error) {
	var t ic.SCIMToken
	err := s.Scan(&t.ID, &t.Hash, timeCol{&t.CreatedAt}, timeCol{&t.ExpiresAt}, timeCol{&t.LastUsed})
	return t, err
}

// CreateSCIMToken stores t unless ic.MaxSCIMTokens live tokens exist. The
// count and the insert share the transaction, which writes an event, so
// concurrent creates take turns (SerializeEvents) and cannot both pass.
func (db *DB) CreateSCIMToken(ctx context.Context, t ic.SCIMToken) error {
	if t.ID == "" || t.Hash == "" {
		return required("a SCIM token's id and hash")
	}
	e := audit.New(ctx, scimTokenCreateName, targetSCIMToken, t.ID)
	return db.mutate(ctx, e, func(tx *txn) error {
		var live int
		if err := queryRow(ctx, tx, liveSCIMTokensSQL, ts(db.clk.Now())).Scan(&live); err != nil {
			return mapErr(err, "count scim tokens")
		}
		if live >= ic.MaxSCIMTokens {
			return errs.E(errs.Conflict, "at most %d SCIM tokens may be live at once", ic.MaxSCIMTokens).
				WithResource(store.ResourceSCIMToken, "")
		}
		_, err := exec(ctx, tx, "create scim token", insertSCIMTokenSQL, t.ID, t.Hash, ts(t.CreatedAt),
			ts(t.ExpiresAt), ts(t.LastUsed))
		return err
	})
}

// SCIMTokens lists every token, oldest first.
func (db *DB) SCIMTokens(ctx context.Context) ([]ic.SCIMToken, error) {
	rows, err := queryRows(ctx, db.r, listSCIMTokensSQL)
	if err != nil {
		return nil, mapErr(err, "list scim tokens")
	}
	defer rows.Close()
	var out []ic.SCIMToken
	for rows.Next() {
		t, err := scanSCIMToken(rows)
		if err != nil {
			return nil, mapErr(err, "list scim tokens")
		}
		out = append(out, t)
	}
	return out, mapErr(rows.Err(), "list scim tokens")
}

// SCIMTokenByHash finds a live token by the hash of its secret.
func (db *DB) SCIMTokenByHash(ctx context.Context, hash string) (ic.SCIMToken, error) {
	t, err := scanSCIMToken(queryRow(ctx, db.r, scimTokenByHashSQL, hash, ts(db.clk.Now())))
	return t, notFound(err, "scim token by hash", errSCIMTokenNotFound(""))
}

// TouchSCIMToken records a use.
func (db *DB) TouchSCIMToken(ctx context.Context, id string, now time.Time) error {
	return db.writeNoEvent(ctx, func(tx *txn) error {
		return changeRow(ctx, tx, errSCIMTokenNotFound(id), "touch scim token", touchSCIMTokenSQL, id, ts(now))
	})
}

// DeleteSCIMToken deletes one token.
func (db *DB) DeleteSCIMToken(ctx context.Context, id string) error {
	e := audit.New(ctx, scimTokenDeleteName, targetSCIMToken, id)
	return db.mutate(ctx, e, func(tx *txn) error {
		return changeRow(ctx, tx, errSCIMTokenNotFound(id), "delete scim token", deleteSCIMTokenSQL, id)
	})
}

// DeleteSCIMTokens deletes every token, each with its event, in one
// transaction.
func (db *DB) DeleteSCIMTokens(ctx context.Context) error {
	return db.write(ctx, func(tx *txn) error {
		rows, err := queryRows(ctx, tx, `SELECT id FROM scim_tokens ORDER BY created_at, id`)
		if err != nil {
			return mapErr(err, "list scim tokens")
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return mapErr(err, "list scim tokens")
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return mapErr(err, "list scim tokens")
		}
		for _, id := range ids {
			if _, err := exec(ctx, tx, "delete scim token", deleteSCIMTokenSQL, id); err != nil {
				return err
			}
			if err := db.insertEvent(ctx, tx, audit.New(ctx, scimTokenDeleteName, targetSCIMToken, id)); err != nil {
				return err
			}
		}
		return nil
	})
}
