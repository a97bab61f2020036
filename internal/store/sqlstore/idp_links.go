package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// A one-time link is live while the clock is before its expires_at;
// spending it deletes it.
const (
	insertLinkSQL = `INSERT INTO idp_user_tokens (hash, user_id, purpose, created, expires_at)
VALUES ($1, $2, $3, $4, $5)`
	replaceLinkSQL = `DELETE FROM idp_user_tokens WHERE user_id = $1 AND purpose = $2`
	selectLinkSQL  = `SELECT hash, user_id, purpose, created, expires_at FROM idp_user_tokens
WHERE hash = $1 AND purpose = $2 AND expires_at > $3`
	spendLinkSQL = `DELETE FROM idp_user_tokens WHERE hash = $1 AND purpose = $2 AND expires_at > $3
RETURNING user_id`
)

func errLinkNotFound() *errs.Error { return missing(store.ResourceLink, "") }

// CreateUserToken stores t in place of the user's token of the same purpose.
func (s *IdP) CreateUserToken(ctx context.Context, t directory.UserToken) error {
	if t.Hash == "" {
		return required("a link's hash")
	}
	t.Created = s.db.clk.Now()
	return s.db.write(ctx, func(tx *txn) error {
		if err := mustExist(ctx, tx, idpUserExistsSQL, t.UserID, errIdPUserNotFound(t.UserID)); err != nil {
			return err
		}
		if _, err := exec(ctx, tx, "replace link", replaceLinkSQL, t.UserID, string(t.Purpose)); err != nil {
			return err
		}
		_, err := exec(ctx, tx, "create link", insertLinkSQL, t.Hash, t.UserID, string(t.Purpose),
			ts(t.Created), ts(t.ExpiresAt))
		return err
	})
}

// UserToken finds a live token without spending it.
func (s *IdP) UserToken(ctx context.Context, hash string, purpose directory.UserTokenPurpose) (directory.UserToken, error) {
	var t directory.UserToken
	err := queryRow(ctx, s.db.r, selectLinkSQL, hash, string(purpose), ts(s.db.clk.Now())).Scan(
		&t.Hash, &t.UserID, &t.Purpose, timeCol{&t.Created}, timeCol{&t.ExpiresAt})
	return t, notFound(err, "link", errLinkNotFound())
}

// SpendUserToken deletes a live token and applies fn to its user, in one
// transaction: if fn refuses, the token stays unspent.
func (s *IdP) SpendUserToken(ctx context.Context, hash string, purpose directory.UserTokenPurpose, eventType string,
	fn func(directory.User) (directory.User, error)) (directory.User, error) {
	read := func(tx *txn) (directory.User, error) {
		var userID string
		err := queryRow(ctx, tx, spendLinkSQL, hash, string(purpose), ts(s.db.clk.Now())).Scan(&userID)
		if err != nil {
			return directory.User{}, notFound(err, "spend link", errLinkNotFound())
		}
		return idpUser(ctx, tx, userID)
	}
	return swap(ctx, s.db, read, fn, s.writeUserChange(ctx, eventType))
}
