package sqlstore

import (
	"context"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// An API token is live while the clock is before its expires_at, which
// each use moves forward (never back).
const (
	apiTokenCols      = `id, name, user_id, client_name, created, last_used, expires_at`
	insertAPITokenSQL = `INSERT INTO idp_api_tokens (id, hash, name, user_id, client_name, created, last_used,
	expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	apiTokenByHashSQL = `SELECT ` + apiTokenCols + ` FROM idp_api_tokens WHERE hash = $1 AND expires_at > $2`
	selectAPITokenSQL = `SELECT ` + apiTokenCols + ` FROM idp_api_tokens WHERE id = $1`
	listAPITokensSQL  = `SELECT ` + apiTokenCols + ` FROM idp_api_tokens WHERE id > $1 ORDER BY id
LIMIT CAST($2 AS INTEGER)`
	touchAPITokenSQL = `UPDATE idp_api_tokens
SET last_used = CASE WHEN last_used > $2 THEN last_used ELSE $2 END,
	expires_at = CASE WHEN expires_at > $3 THEN expires_at ELSE $3 END
WHERE id = $1 AND expires_at > $4`
	deleteAPITokenSQL = `DELETE FROM idp_api_tokens WHERE id = $1`
)

func errAPITokenNotFound(id string) *errs.Error { return missing(store.ResourceAPIToken, id) }

func scanAPIToken(s scanner) (directory.APIToken, error) {
	var t directory.APIToken
	err := s.Scan(&t.ID, &t.Name, &t.UserID, &t.ClientName, timeCol{&t.Created}, timeCol{&t.LastUsed},
		timeCol{&t.ExpiresAt})
	return t, err
}

// newAPIToken fills in what the store decides: a fresh id, the creation
// time and, unless set, an expiry one idle window away.
func (s *IdP) newAPIToken(t directory.APIToken) directory.APIToken {
	if t.ID == "" {
		t.ID = directory.NewTokenID(clock.Random)
	}
	t.Created = s.db.clk.Now()
	if t.ExpiresAt.IsZero() {
		t.ExpiresAt = t.Created.Add(directory.TokenWindow)
	}
	return t
}

// CreateAPIToken stores t by the hash of its secret.
func (s *IdP) CreateAPIToken(ctx context.Context, t directory.APIToken, hash string) error {
	t = s.newAPIToken(t)
	return s.db.write(ctx, func(tx *txn) error { return s.insertAPIToken(ctx, tx, t, hash) })
}

func (s *IdP) insertAPIToken(ctx context.Context, tx *txn, t directory.APIToken, hash string) error {
	if hash == "" {
		return required("a token's hash")
	}
	if err := mustExist(ctx, tx, idpUserExistsSQL, t.UserID, errIdPUserNotFound(t.UserID)); err != nil {
		return err
	}
	if _, err := exec(ctx, tx, "create api token", insertAPITokenSQL, t.ID, hash, t.Name, t.UserID,
		t.ClientName, ts(t.Created), ts(t.LastUsed), ts(t.ExpiresAt)); err != nil {
		return err
	}
	e := audit.New(ctx, "system.api_token.create", targetAPIToken, t.ID)
	e.Message = "user " + t.UserID
	return s.event(ctx, tx, e)
}

// APITokenByHash finds a live token by the hash of its secret.
func (s *IdP) APITokenByHash(ctx context.Context, hash string) (directory.APIToken, error) {
	t, err := scanAPIToken(queryRow(ctx, s.db.r, apiTokenByHashSQL, hash, ts(s.db.clk.Now())))
	return t, notFound(err, "api token by hash", errAPITokenNotFound(""))
}

// APIToken returns a token by id, expired or not.
func (s *IdP) APIToken(ctx context.Context, id string) (directory.APIToken, error) {
	t, err := scanAPIToken(queryRow(ctx, s.db.r, selectAPITokenSQL, id))
	return t, notFound(err, "api token", errAPITokenNotFound(id))
}

// ListAPITokens pages tokens in id order.
func (s *IdP) ListAPITokens(ctx context.Context, p store.Page) ([]directory.APIToken, string, error) {
	pq := pageQuery[directory.APIToken]{list: "idp-api-tokens", scan: scanAPIToken,
		key: func(t directory.APIToken) []string { return []string{t.ID} }}
	return pq.page(ctx, s.db.r, p, listAPITokensSQL)
}

// TouchAPIToken records a use of a live token at now, moving its idle
// expiry to now plus the token window.
func (s *IdP) TouchAPIToken(ctx context.Context, id string, now time.Time) error {
	return s.db.writeNoEvent(ctx, func(tx *txn) error {
		return changeRow(ctx, tx, errAPITokenNotFound(id), "touch api token", touchAPITokenSQL, id, ts(now),
			ts(now.Add(directory.TokenWindow)), ts(s.db.clk.Now()))
	})
}

// RevokeAPIToken deletes a token.
func (s *IdP) RevokeAPIToken(ctx context.Context, id string) error {
	e := audit.New(ctx, "system.api_token.revoke", targetAPIToken, id)
	return s.db.mutate(ctx, e, func(tx *txn) error {
		return changeRow(ctx, tx, errAPITokenNotFound(id), "revoke api token", deleteAPITokenSQL, id)
	})
}
