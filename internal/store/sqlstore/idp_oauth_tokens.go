package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// A token without a refresh token (or whose refresh token a rotation
// spent) stores NULL in refresh_hash, so the UNIQUE index binds only live
// refresh hashes; one without a person stores NULL in user_id, so the
// foreign key to idp_users binds only real people.
const (
	oauthTokenCols = `access_hash, COALESCE(refresh_hash, ''), family_id, auth_server_id, client_id,
	COALESCE(user_id, ''), session_hash, scopes, refresh_scopes, amr, auth_time, created_at, expires_at,
	refresh_expires_at`
	insertOAuthTokenSQL = `INSERT INTO idp_oauth_tokens (access_hash, refresh_hash, family_id, auth_server_id,
	client_id, user_id, session_hash, scopes, refresh_scopes, amr, auth_time, created_at, expires_at,
	refresh_expires_at)
VALUES ($1, NULLIF($2, ''), $3, $4, $5, NULLIF($6, ''), $7, $8, $9, $10, $11, $12, $13, $14)`
	// A token is found by its access hash while it holds a refresh token
	// or its access token lives.
	oauthTokenByAccessSQL = `SELECT ` + oauthTokenCols + ` FROM idp_oauth_tokens
WHERE access_hash = $1 AND (refresh_hash IS NOT NULL OR expires_at > $2)`
	oauthTokenByRefreshSQL = `SELECT ` + oauthTokenCols + ` FROM idp_oauth_tokens
WHERE refresh_hash = $1 AND (refresh_expires_at = 0 OR refresh_expires_at > $2)`
	spendOAuthRefreshSQL  = `UPDATE idp_oauth_tokens SET refresh_hash = NULL WHERE access_hash = $1`
	insertSpentRefreshSQL = `INSERT INTO idp_oauth_spent_refresh (refresh_hash, family_id, auth_server_id,
	client_id, user_id, expires_at) VALUES ($1, $2, $3, $4, NULLIF($5, ''), $6) ON CONFLICT (refresh_hash) DO NOTHING`
	spentRefreshSQL      = `SELECT family_id, client_id FROM idp_oauth_spent_refresh WHERE refresh_hash = $1`
	tokenFamilyByHashSQL = `SELECT family_id, client_id FROM idp_oauth_tokens
WHERE access_hash = $1 OR refresh_hash = $1`
	userFamiliesSQL  = `SELECT COUNT(DISTINCT family_id) FROM idp_oauth_tokens WHERE user_id = $1`
	targetOAuthToken = "OAuth2Token"
)

// revokeFamilySQLs delete a token family and the refresh tokens it spent.
var revokeFamilySQLs = []string{
	`DELETE FROM idp_oauth_tokens WHERE family_id = $1`,
	`DELETE FROM idp_oauth_spent_refresh WHERE family_id = $1`,
}

// revokeUserSQLs delete every token of a user and what their tokens spent.
var revokeUserSQLs = []string{
	`DELETE FROM idp_oauth_tokens WHERE user_id = $1`,
	`DELETE FROM idp_oauth_spent_refresh WHERE user_id = $1`,
}

func errOAuthTokenNotFound() *errs.Error { return missing(store.ResourceOAuthToken, "") }

// CreateOAuthToken stores an issued token and its grant's event e.
func (s *IdP) CreateOAuthToken(ctx context.Context, t directory.OAuthToken, e audit.Event) error {
	return s.db.write(ctx, func(tx *txn) error {
		if err := grantHolders(ctx, tx, t.ClientID, t.UserID); err != nil {
			return err
		}
		return s.insertOAuthToken(ctx, tx, t, e)
	})
}

// insertOAuthToken stores t, whose client and person exist, and writes e,
// its grant's event.
func (s *IdP) insertOAuthToken(ctx context.Context, tx *txn, t directory.OAuthToken, e audit.Event) error {
	if t.AccessHash == "" || t.FamilyID == "" {
		return required("a token's access hash and family")
	}
	if e.Action == "" {
		return required("a token's grant event")
	}
	_, err := exec(ctx, tx, "create token", insertOAuthTokenSQL, t.AccessHash, t.RefreshHash, t.FamilyID,
		t.AuthServerID, t.ClientID, t.UserID, t.SessionHash, jsonCol{list(t.Scopes)}, jsonCol{list(t.RefreshScopes)},
		jsonCol{list(t.AMR)}, ts(t.AuthTime), ts(t.CreatedAt), ts(t.ExpiresAt), ts(t.RefreshExpiresAt))
	if err != nil {
		return err
	}
	return s.event(ctx, tx, e)
}

func scanOAuthToken(s scanner) (directory.OAuthToken, error) {
	var t directory.OAuthToken
	err := s.Scan(&t.AccessHash, &t.RefreshHash, &t.FamilyID, &t.AuthServerID, &t.ClientID, &t.UserID,
		&t.SessionHash, jsonCol{&t.Scopes}, jsonCol{&t.RefreshScopes}, jsonCol{&t.AMR}, timeCol{&t.AuthTime},
		timeCol{&t.CreatedAt}, timeCol{&t.ExpiresAt}, timeCol{&t.RefreshExpiresAt})
	return t, err
}

// OAuthTokenByAccess returns the token whose access token hashes to
// accessHash: while it holds a refresh token, or its access token lives.
func (s *IdP) OAuthTokenByAccess(ctx context.Context, accessHash string) (directory.OAuthToken, error) {
	t, err := scanOAuthToken(queryRow(ctx, s.db.r, oauthTokenByAccessSQL, accessHash, ts(s.db.clk.Now())))
	return t, notFound(err, "token by access", errOAuthTokenNotFound())
}

// OAuthTokenByRefresh returns the token holding a live refreshHash.
func (s *IdP) OAuthTokenByRefresh(ctx context.Context, refreshHash string) (directory.OAuthToken, error) {
	t, err := scanOAuthToken(queryRow(ctx, s.db.r, oauthTokenByRefreshSQL, refreshHash, ts(s.db.clk.Now())))
	return t, notFound(err, "token by refresh", errOAuthTokenNotFound())
}

// RotateOAuthToken replaces the token holding refreshHash with the token
// fn returns and writes the event fn returns. A refresh hash spent before
// revokes its family: that is committed although the call returns
// errs.NotFound.
func (s *IdP) RotateOAuthToken(ctx context.Context, refreshHash string,
	fn func(old directory.OAuthToken) (directory.OAuthToken, audit.Event, error)) (directory.OAuthToken, error) {
	return writeReplayed(ctx, s.db, errOAuthTokenNotFound(), func(tx *txn) (directory.OAuthToken, bool, error) {
		return s.rotate(ctx, tx, refreshHash, fn)
	})
}

// rotate does RotateOAuthToken's work in tx, reporting a replay (whose
// revocation must commit) with replayed true.
func (s *IdP) rotate(ctx context.Context, tx *txn, refreshHash string,
	fn func(directory.OAuthToken) (directory.OAuthToken, audit.Event, error)) (next directory.OAuthToken, replayed bool, err error) {
	if refreshHash == "" {
		return next, false, errOAuthTokenNotFound()
	}
	old, err := scanOAuthToken(queryRow(ctx, tx, oauthTokenByRefreshSQL, refreshHash, ts(s.db.clk.Now())))
	if errors.Is(err, sql.ErrNoRows) {
		replayed, err = s.revokeSpent(ctx, tx, refreshHash)
		return next, replayed, err
	}
	if err != nil {
		return next, false, mapErr(err, "rotate token")
	}
	next, e, err := fn(old)
	if err != nil {
		return next, false, err
	}
	next.FamilyID = old.FamilyID
	if _, err := exec(ctx, tx, "spend refresh token", spendOAuthRefreshSQL, old.AccessHash); err != nil {
		return next, false, err
	}
	if _, err := exec(ctx, tx, "remember spent refresh token", insertSpentRefreshSQL, old.RefreshHash,
		old.FamilyID, old.AuthServerID, old.ClientID, old.UserID, ts(old.RefreshExpiresAt)); err != nil {
		return next, false, err
	}
	if next.ClientID != old.ClientID || next.UserID != old.UserID { // else the old token's row proves they exist
		if err := grantHolders(ctx, tx, next.ClientID, next.UserID); err != nil {
			return next, false, err
		}
	}
	return next, false, s.insertOAuthToken(ctx, tx, next, e)
}

// revokeSpent revokes the family of a refresh hash a rotation spent. An
// unknown hash is errs.NotFound with nothing to commit.
func (s *IdP) revokeSpent(ctx context.Context, tx *txn, refreshHash string) (bool, error) {
	var family, client string
	err := queryRow(ctx, tx, spentRefreshSQL, refreshHash).Scan(&family, &client)
	if err != nil {
		return false, notFound(err, "spent refresh token", errOAuthTokenNotFound())
	}
	return true, s.revokeReplayed(ctx, tx, family, client, "refresh token reused: token family revoked")
}

// revokeReplayed revokes a family whose code or refresh token was used
// twice, logging the denial.
func (s *IdP) revokeReplayed(ctx context.Context, tx *txn, family, client, why string) error {
	if err := execEach(ctx, tx, "revoke token family", revokeFamilySQLs, family); err != nil {
		return err
	}
	e := familyEvent(ctx, "oauth2.token.revoke", family, client)
	e.Outcome, e.Message = audit.Deny, why+"; client "+client
	return s.event(ctx, tx, e)
}

// familyEvent is action on a token family of client.
func familyEvent(ctx context.Context, action, family, client string) audit.Event {
	e := audit.New(ctx, action, targetOAuthToken, family)
	e.Message = "client " + client
	return e
}

// execEach runs every statement of qs with arg.
func execEach(ctx context.Context, tx *txn, op string, qs []string, arg string) error {
	for _, q := range qs {
		if _, err := exec(ctx, tx, op, q, arg); err != nil {
			return err
		}
	}
	return nil
}

// RevokeOAuthFamily deletes the family of the token whose access or
// refresh token hashes to hash.
func (s *IdP) RevokeOAuthFamily(ctx context.Context, hash string) (bool, error) {
	var found bool
	err := s.db.write(ctx, func(tx *txn) error {
		var family, client string
		err := queryRow(ctx, tx, tokenFamilyByHashSQL, hash).Scan(&family, &client)
		if found = err == nil; errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return mapErr(err, "revoke token")
		}
		if err := execEach(ctx, tx, "revoke token family", revokeFamilySQLs, family); err != nil {
			return err
		}
		return s.event(ctx, tx, familyEvent(ctx, "oauth2.token.revoke", family, client))
	})
	return found, err
}

// RevokeUserOAuthTokens deletes every token of the user and reports how
// many families went.
func (s *IdP) RevokeUserOAuthTokens(ctx context.Context, userID string) (int, error) {
	var n int
	err := s.db.write(ctx, func(tx *txn) error {
		if err := queryRow(ctx, tx, userFamiliesSQL, userID).Scan(&n); err != nil || n == 0 {
			return mapErr(err, "count user token families")
		}
		if err := execEach(ctx, tx, "revoke user tokens", revokeUserSQLs, userID); err != nil {
			return err
		}
		return s.event(ctx, tx, audit.New(ctx, "oauth2.token.revoke_all", targetUser, userID))
	})
	return n, err
}
