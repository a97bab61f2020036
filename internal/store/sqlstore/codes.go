package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// A redeemed code keeps its row, marked, until it expires and is purged, so
// that a second redemption can revoke the tokens the first one gave.
const (
	codeCols = `code_hash, family_id, client_id, user_id, session_hash, redirect_uri, scopes, code_challenge,
	created_at, expires_at`
	insertCodeSQL = `INSERT INTO oidc_codes (` + codeCols + `, redeemed)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0)`
	selectCodeSQL        = `SELECT ` + codeCols + `, redeemed FROM oidc_codes WHERE code_hash = $1`
	redeemCodeSQL        = `UPDATE oidc_codes SET redeemed = 1 WHERE code_hash = $1`
	deleteSessionCodeSQL = `DELETE FROM oidc_codes WHERE session_hash = $1`
	deleteUserCodesSQL   = `DELETE FROM oidc_codes WHERE user_id = $1`
	endAllCodesSQL       = `DELETE FROM oidc_codes`
)

func errCodeNotFound() *errs.Error { return missing(store.ResourceCode, "") }

// CreateAuthorizationCode stores a code the person allowed.
func (db *DB) CreateAuthorizationCode(ctx context.Context, c ic.AuthorizationCode) error {
	if c.CodeHash == "" || c.FamilyID == "" {
		return required("an authorization code's hash and family")
	}
	e := codeEvent(ctx, "ssooidc.code.issue", c)
	return db.mutate(ctx, e, func(tx *txn) error {
		_, err := exec(ctx, tx, "insert authorization code", insertCodeSQL, c.CodeHash, c.FamilyID, c.ClientID,
			c.UserID, c.SessionHash, c.RedirectURI, jsonCol{list(c.Scopes)}, c.CodeChallenge,
			ts(c.CreatedAt), ts(c.ExpiresAt))
		return err
	})
}

// codeEvent is action on a code's token family, naming its client.
func codeEvent(ctx context.Context, action string, c ic.AuthorizationCode) audit.Event {
	e := audit.New(ctx, action, "TOKEN_FAMILY", c.FamilyID)
	e.Message = "client " + c.ClientID
	return e
}

func scanCode(s scanner) (c ic.AuthorizationCode, redeemed bool, err error) {
	var r int64
	err = s.Scan(&c.CodeHash, &c.FamilyID, &c.ClientID, &c.UserID, &c.SessionHash, &c.RedirectURI,
		jsonCol{&c.Scopes}, &c.CodeChallenge, timeCol{&c.CreatedAt}, timeCol{&c.ExpiresAt}, &r)
	return c, r != 0, err
}

// RedeemAuthorizationCode spends a live code and stores the token fn makes
// of it. A refusal by fn still spends the code; a second redemption revokes
// the code's family. Both commit and return an error. An internal error
// from fn (a read that failed) rolls back, leaving the code unspent.
func (db *DB) RedeemAuthorizationCode(ctx context.Context, codeHash string, fn func(ic.AuthorizationCode) (ic.Token, error)) (ic.Token, error) {
	var refused error
	t, err := writeReplayed(ctx, db, errCodeNotFound(), func(tx *txn) (ic.Token, bool, error) {
		refused = nil
		c, redeemed, err := scanCode(queryRow(ctx, tx, selectCodeSQL, codeHash))
		switch {
		case err != nil:
			return ic.Token{}, false, notFound(err, "redeem authorization code", errCodeNotFound())
		case redeemed:
			return ic.Token{}, true, db.revokeCodeFamily(ctx, tx, c)
		case !c.ExpiresAt.After(db.clk.Now()):
			return ic.Token{}, false, errCodeNotFound()
		}
		if _, err := exec(ctx, tx, "redeem authorization code", redeemCodeSQL, codeHash); err != nil {
			return ic.Token{}, false, err
		}
		t, err := fn(c)
		if errs.Is(err, errs.Internal) {
			return ic.Token{}, false, err // our failure: the code stays unspent
		}
		if err != nil {
			refused = err
			e := codeEvent(ctx, "ssooidc.code.refuse", c)
			e.Outcome, e.Message = audit.Failure, e.Message+": "+refusal(err)
			return ic.Token{}, false, db.insertEvent(ctx, tx, e)
		}
		t.FamilyID = c.FamilyID
		if err := insertToken(ctx, tx, t); err != nil {
			return ic.Token{}, false, err
		}
		return t, false, db.insertEvent(ctx, tx, codeEvent(ctx, "ssooidc.token.create", c))
	})
	if err == nil && refused != nil {
		return ic.Token{}, refused
	}
	return t, err
}

// revokeCodeFamily ends the tokens a replayed code gave.
func (db *DB) revokeCodeFamily(ctx context.Context, tx *txn, c ic.AuthorizationCode) error {
	if _, err := exec(ctx, tx, "revoke family", revokeFamilySQL, c.FamilyID); err != nil {
		return err
	}
	e := codeEvent(ctx, "ssooidc.code.replay", c)
	e.Outcome, e.Message = audit.Deny, "authorization code reused: token family revoked; "+e.Message
	return db.insertEvent(ctx, tx, e)
}

// refusal is the message of fn's refusal, for the log.
func refusal(err error) string {
	if e, ok := errs.As(err); ok {
		return e.Message
	}
	return err.Error()
}
