package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	ic "github.com/keyward/keyward/internal/identitycenter"
)

// The lookup tables index values that live inside JSON columns (emails,
// external ids) so they can be found by index. They are rewritten whenever
// their owner is written.

const (
	deleteUserEmailsSQL = `DELETE FROM user_emails WHERE user_id = $1`
	insertUserEmailSQL  = `INSERT INTO user_emails (email_norm, user_id) VALUES ($1, $2)
ON CONFLICT (email_norm, user_id) DO NOTHING`
)

// externalIDTable is the SQL of one owner kind's external-id lookup table.
type externalIDTable struct {
	deleteAll, insert string
}

var (
	userExternalIDs = externalIDTable{
		deleteAll: `DELETE FROM user_external_ids WHERE user_id = $1`,
		insert:    `INSERT INTO user_external_ids (issuer, external_id, user_id) VALUES ($1, $2, $3)`,
	}
	groupExternalIDs = externalIDTable{
		deleteAll: `DELETE FROM group_external_ids WHERE group_id = $1`,
		insert:    `INSERT INTO group_external_ids (issuer, external_id, group_id) VALUES ($1, $2, $3)`,
	}
)

// key is the form of folded text s its unique index holds: s itself,
// or, when s is longer than the dialect's MaxKey, its first bytes (cut at
// a character boundary) and the SHA-256 of the whole. Such a key is longer
// than MaxKey, so it never equals a shorter text kept whole, and two keys
// are equal only for equal texts. Every write and lookup of the column
// goes through key. Text that is not valid UTF-8 stays whole, for
// checkText to refuse.
func (d *Dialect) key(s string) string {
	if d.MaxKey == 0 || len(s) <= d.MaxKey || !utf8.ValidString(s) {
		return s
	}
	cut := d.MaxKey
	for !utf8.RuneStart(s[cut]) {
		cut--
	}
	sum := sha256.Sum256([]byte(s))
	return s[:cut] + " sha256:" + hex.EncodeToString(sum[:])
}

// normalizeEmail folds an address for case-insensitive lookup.
func normalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func writeUserEmails(ctx context.Context, tx *txn, u ic.User) error {
	if _, err := exec(ctx, tx, "delete user emails", deleteUserEmailsSQL, u.ID); err != nil {
		return err
	}
	for _, e := range u.Profile.Emails {
		if v := normalizeEmail(e.Value); v != "" {
			if _, err := exec(ctx, tx, "insert user email", insertUserEmailSQL, tx.d.key(v), u.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeExternalIDs replaces owner's rows in t; an external id another owner
// holds is errs.Conflict.
func writeExternalIDs(ctx context.Context, tx *txn, t externalIDTable, owner string, xs []ic.ExternalID) error {
	if _, err := exec(ctx, tx, "delete external ids", t.deleteAll, owner); err != nil {
		return err
	}
	for _, x := range xs {
		if _, err := exec(ctx, tx, "insert external id", t.insert, x.Issuer, x.ID, owner); err != nil {
			return err
		}
	}
	return nil
}
