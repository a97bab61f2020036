package sqlstore

import (
	"context"
	"slices"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// IdP is store.IdP on the same database as the AWS side: the identity
// provider's directory in its own idp_ tables. Its method names are the
// AWS side's (CreateUser, Group, ...) on other types, so it is a type of
// its own rather than more methods on DB.
type IdP struct {
	store.Common // rate limits, the system log, housekeeping: the DB's
	db           *DB
}

var _ store.IdP = (*IdP)(nil)

// IdP returns the identity provider's store on db. Closing either closes
// the database.
func (db *DB) IdP() store.IdP { return &IdP{Common: db, db: db} }

// Okta's system-log target types.
const (
	targetUser     = "User"
	targetGroup    = "UserGroup"
	targetAPIToken = "ApiToken"
	targetFactor   = "Factor"
	targetRole     = "Role"
	targetSchema   = "UserSchema"
	targetApp      = "AppInstance"
)

const (
	nextChangeSQL   = `UPDATE idp_change_seq SET seq = seq + 1 WHERE singleton = 1 RETURNING seq`
	insertChangeSQL = `INSERT INTO idp_changes (seq, time, kind, user_id, group_id, app_id) VALUES ($1, $2, $3, $4, $5, $6)`
)

// change appends a directory change to the change feed in tx.
func (s *IdP) change(ctx context.Context, tx *txn, kind directory.ChangeKind, userID, groupID string) error {
	return s.appendChange(ctx, tx, directory.Change{Kind: kind, UserID: userID, GroupID: groupID})
}

// appendChange appends c (its Seq and Time set here) to the change feed in
// tx. Its seq comes from the counter row, whose lock orders the feed by
// commit (see migration 00010).
func (s *IdP) appendChange(ctx context.Context, tx *txn, c directory.Change) error {
	var seq int64
	if err := queryRow(ctx, tx, nextChangeSQL).Scan(&seq); err != nil {
		return mapErr(err, "next change")
	}
	_, err := exec(ctx, tx, "append change", insertChangeSQL, seq, ts(s.db.clk.Now()), string(c.Kind),
		c.UserID, c.GroupID, c.AppID)
	return err
}

// event writes e in tx.
func (s *IdP) event(ctx context.Context, tx *txn, e audit.Event) error {
	return s.db.insertEvent(ctx, tx, e)
}

// userEvent is action on u, naming u by login (the log's alternateId).
func userEvent(ctx context.Context, action string, u directory.User) audit.Event {
	e := audit.New(ctx, action, targetUser, u.ID)
	e.TargetName = u.Login()
	return e
}

// groupEvent is action on g, naming g.
func groupEvent(ctx context.Context, action string, g directory.Group) audit.Event {
	e := audit.New(ctx, action, targetGroup, g.ID)
	e.TargetName = g.Name
	return e
}

// keepPage pages a list in id order keeping only rows keep accepts (all
// when keep is nil). fetch returns up to n rows with ids after after. It
// reads batches until the page is full or the rows run out; the next
// token is the id of the page's last row when more rows may follow.
func keepPage[T any](list string, p store.Page, keep func(T) bool, id func(T) string,
	fetch func(after string, n int) ([]T, error)) ([]T, string, error) {
	cur, err := decodeCursor(list, p, 1)
	if err != nil {
		return nil, "", err
	}
	batch := p.Limit + 1 // unfiltered, one row past the page tells whether more follow
	if keep != nil {
		batch = max(2*p.Limit, 100)
	}
	var out []T
	for after := cur[0]; ; {
		rows, err := fetch(after, batch)
		if err != nil {
			return nil, "", err
		}
		for i, r := range rows {
			if keep != nil && !keep(r) {
				continue
			}
			out = append(out, r)
			if len(out) == p.Limit {
				if i < len(rows)-1 || len(rows) == batch {
					return out, encodeCursor(list, []string{id(r)}), nil
				}
				return out, "", nil
			}
		}
		if len(rows) < batch {
			return out, "", nil
		}
		after = id(rows[len(rows)-1])
	}
}

// checkProfile refuses profile text the database would not keep as given:
// JSON encoding would silently replace invalid UTF-8, and a NUL is refused
// everywhere else.
func checkProfile(p directory.Profile) error {
	for k, v := range p {
		if err := checkText([]any{k}); err != nil {
			return err
		}
		if err := checkValue(v); err != nil {
			return err
		}
	}
	return nil
}

func checkValue(v any) error {
	switch v := v.(type) {
	case string:
		return checkText([]any{v})
	case []any:
		for _, item := range v {
			if err := checkValue(item); err != nil {
				return err
			}
		}
	case []string:
		return checkText(anys(v))
	}
	return nil
}

// anys converts a list of strings for checkText.
func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// unique returns ids without repeats, in first-seen order.
func unique(ids []string) []string {
	var out []string
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// required is the errs.Invalid for a value the store cannot key on.
func required(what string) error {
	return errs.E(errs.Invalid, "%s is required", what)
}
