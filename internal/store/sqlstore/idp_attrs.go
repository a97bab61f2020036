package sqlstore

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// The attribute index: every profile value of every user, folded as
// search compares text, so that a search requiring profile.X eq "v" reads
// only the users holding that value.
const (
	deleteUserAttrsSQL    = `DELETE FROM idp_user_attrs WHERE user_id = $1`
	insertUserAttrSQL     = `INSERT INTO idp_user_attrs (name, value, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`
	listIdPUsersByAttrSQL = `SELECT ` + idpUserCols + ` FROM idp_users u
WHERE u.id IN (SELECT a.user_id FROM idp_user_attrs a WHERE a.name = $3 AND a.value IN ($4, $5))
AND u.id > $1 ORDER BY u.id LIMIT CAST($2 AS INTEGER)`
)

// writeUserAttrs replaces u's rows in the attribute index.
func writeUserAttrs(ctx context.Context, tx *txn, u directory.User) error {
	if _, err := exec(ctx, tx, "clear attribute index", deleteUserAttrsSQL, u.ID); err != nil {
		return err
	}
	for name := range u.Profile {
		for _, value := range u.Profile.Texts(name) {
			if _, err := exec(ctx, tx, "index attribute", insertUserAttrSQL, "profile."+name, indexedValue(directory.Fold(value)), u.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// maxIndexedValue bounds, in bytes, the folded value the index keeps: a
// PostgreSQL index entry holds at most 2704 bytes, and a profile value may
// be 4096 characters. A longer value is indexed by its first bytes, which
// still narrows the rows read; Keep decides on the whole value.
const maxIndexedValue = 1024

// indexedValue is the part of a folded value the index keeps: all of it,
// or its first maxIndexedValue bytes cut at a character boundary.
func indexedValue(folded string) string {
	if len(folded) <= maxIndexedValue {
		return folded
	}
	cut := maxIndexedValue
	for cut > 0 && !utf8.RuneStart(folded[cut]) {
		cut--
	}
	return folded[:cut]
}

// indexedCondition picks the first requirement the attribute index can
// answer: equality on a profile attribute.
func indexedCondition(q store.UserQuery) (directory.Condition, bool) {
	for _, c := range q.Require {
		if c.Op == directory.CmpEq && strings.HasPrefix(c.Path, "profile.") {
			return c, true
		}
	}
	return directory.Condition{}, false
}
