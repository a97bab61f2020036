package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// A redeemed code keeps its row, marked, until it expires and is purged,
// so that a second redemption can revoke the tokens the first one gave.
const (
	oauthCodeCols = `code_hash, family_id, auth_server_id, client_id, user_id, session_hash, redirect_uri, scopes,
	nonce, code_challenge, challenge_method, amr, auth_time, created_at, expires_at`
	insertOAuthCodeSQL = `INSERT INTO idp_oauth_codes (` + oauthCodeCols + `, redeemed)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 0)`
	selectOAuthCodeSQL = `SELECT ` + oauthCodeCols + `, redeemed FROM idp_oauth_codes WHERE code_hash = $1`
	redeemOAuthCodeSQL = `UPDATE idp_oauth_codes SET redeemed = 1 WHERE code_hash = $1`
)

func errOAuthCodeNotFound() *errs.Error { return missing(store.ResourceOAuthCode, "") }

// CreateOAuthCode stores an authorization code. Its client app and user
// must exist. It writes no event: the OpenID Connect provider logs the
// grant.
func (s *IdP) CreateOAuthCode(ctx context.Context, c directory.OAuthCode) error {
	if c.CodeHash == "" || c.FamilyID == "" {
		return required("an authorization code's hash and family")
	}
	return s.db.writeNoEvent(ctx, func(tx *txn) error {
		if err := grantHolders(ctx, tx, c.ClientID, c.UserID); err != nil {
			return err
		}
		_, err := exec(ctx, tx, "create authorization code", insertOAuthCodeSQL, c.CodeHash, c.FamilyID,
			c.AuthServerID, c.ClientID, c.UserID, c.SessionHash, c.RedirectURI, jsonCol{list(c.Scopes)},
			c.Nonce, c.CodeChallenge, c.ChallengeMethod, jsonCol{list(c.AMR)}, ts(c.AuthTime),
			ts(c.CreatedAt), ts(c.ExpiresAt))
		return err
	})
}

// grantHolders checks that the client app and, when set, the user of a
// code, device authorization or token exist, so a missing one is
// errs.NotFound rather than a foreign-key failure.
func grantHolders(ctx context.Context, tx *txn, clientID, userID string) error {
	if err := mustExist(ctx, tx, idpAppExistsSQL, clientID, errAppNotFound(clientID)); err != nil {
		return err
	}
	if userID == "" {
		return nil
	}
	return mustExist(ctx, tx, idpUserExistsSQL, userID, errIdPUserNotFound(userID))
}

func scanOAuthCode(s scanner) (c directory.OAuthCode, redeemed bool, err error) {
	var r int64
	err = s.Scan(&c.CodeHash, &c.FamilyID, &c.AuthServerID, &c.ClientID, &c.UserID, &c.SessionHash,
		&c.RedirectURI, jsonCol{&c.Scopes}, &c.Nonce, &c.CodeChallenge, &c.ChallengeMethod, jsonCol{&c.AMR},
		timeCol{&c.AuthTime}, timeCol{&c.CreatedAt}, timeCol{&c.ExpiresAt}, &r)
	return c, r != 0, err
}

// RedeemOAuthCode spends a live code and returns it. A second redemption
// revokes the code's token family, commits that and returns
// errs.NotFound.
func (s *IdP) RedeemOAuthCode(ctx context.Context, codeHash string) (directory.OAuthCode, error) {
	return writeReplayed(ctx, s.db, errOAuthCodeNotFound(), func(tx *txn) (directory.OAuthCode, bool, error) {
		c, redeemed, err := scanOAuthCode(queryRow(ctx, tx, selectOAuthCodeSQL, codeHash))
		switch {
		case err != nil:
			return c, false, notFound(err, "redeem authorization code", errOAuthCodeNotFound())
		case redeemed:
			return c, true, s.revokeReplayed(ctx, tx, c.FamilyID, c.ClientID, "authorization code reused: token family revoked")
		case !c.ExpiresAt.After(s.db.clk.Now()):
			return c, false, errOAuthCodeNotFound()
		}
		_, err = exec(ctx, tx, "redeem authorization code", redeemOAuthCodeSQL, codeHash)
		return c, false, err
	})
}
