package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql/driver"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// scanner is a *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}

// Times outside what Unix nanoseconds can hold (years 1678 to 2262) are
// clamped to the nearest end, so a far-future expiry or lockout stays in the
// future instead of wrapping into the past.
var (
	maxTime = time.Unix(0, math.MaxInt64)
	minTime = time.Unix(0, math.MinInt64+1)
)

// ts encodes a time as Unix nanoseconds, the zero time as 0.
func ts(t time.Time) int64 {
	switch {
	case t.IsZero():
		return 0
	case t.After(maxTime):
		return math.MaxInt64
	case t.Before(minTime):
		return math.MinInt64 + 1
	}
	return t.UnixNano()
}

// timeCol scans what ts stored back into a UTC time.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	n, ok := src.(int64)
	if !ok {
		return fmt.Errorf("time column holds %T", src)
	}
	*c.t = time.Time{}
	if n != 0 {
		*c.t = time.Unix(0, n).UTC()
	}
	return nil
}

// jsonCol stores v as JSON text and scans JSON text into v (a pointer).
type jsonCol struct{ v any }

func (j jsonCol) Value() (driver.Value, error) {
	b, err := json.Marshal(j.v)
	return string(b), err
}

func (j jsonCol) Scan(src any) error {
	b, err := columnBytes("json", src)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, j.v)
}

// columnBytes is a text column's value as the drivers hand it over (a
// string or bytes); what names the column in the error for anything else.
func columnBytes(what string, src any) ([]byte, error) {
	switch s := src.(type) {
	case string:
		return []byte(s), nil
	case []byte:
		return s, nil
	}
	return nil, fmt.Errorf("%s column holds %T", what, src)
}

// cursorToken is the opaque NextToken: the sort key of a page's last row,
// tagged with the list it belongs to (listName).
type cursorToken struct {
	List string   `json:"l"`
	Key  []string `json:"k"`
}

// listName names a list in its tokens: name, and a digest of the
// parameters that choose its rows (a group, an owner, a filter), so that a
// token sent back with other parameters is refused (errBadToken) rather
// than starting that other list part-way through.
func listName(name string, params ...string) string {
	h := sha256.New()
	for _, p := range params {
		fmt.Fprintf(h, "%d:%s,", len(p), p)
	}
	return name + ":" + hex.EncodeToString(h.Sum(nil)[:8])
}

func encodeCursor(list string, key []string) string {
	b, _ := json.Marshal(cursorToken{List: list, Key: key}) // strings always marshal
	return base64.RawURLEncoding.EncodeToString(b)
}

func errBadToken() error { return errs.E(errs.Invalid, "invalid NextToken") }

// decodeCursor returns the sort key (width strings) to start after. The
// first page starts after the all-empty key, which sorts before every row.
func decodeCursor(list string, p store.Page, width int) ([]string, error) {
	if p.Limit < 1 {
		return nil, errs.E(errs.Invalid, "page limit must be at least 1")
	}
	if p.Token == "" {
		return make([]string, width), nil
	}
	b, err := base64.RawURLEncoding.DecodeString(p.Token)
	if err != nil {
		return nil, errBadToken()
	}
	var c cursorToken
	if json.Unmarshal(b, &c) != nil || c.List != list || len(c.Key) != width {
		return nil, errBadToken()
	}
	return c.Key, nil
}

// pageQuery describes one keyset-paginated list.
type pageQuery[T any] struct {
	list  string                   // names the list in its tokens
	scan  func(scanner) (T, error) // reads one row
	key   func(T) []string         // the row's sort key
	limit int
}

// run executes query, whose LIMIT must be bound to limit+1, and returns one
// page and the next token.
//
// List queries write "LIMIT CAST($n AS INTEGER)" rather than "LIMIT $n":
// SQLite's planner reads a bare bound LIMIT and then marks the prepared
// statement to be re-prepared whenever that parameter is bound again, which
// made every cached list statement pay a full prepare (4x the query).
func (pq pageQuery[T]) run(ctx context.Context, q querier, query string, args ...any) ([]T, string, error) {
	rows, err := queryRows(ctx, q, query, args...)
	if err != nil {
		return nil, "", mapErr(err, pq.list)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := pq.scan(rows)
		if err != nil {
			return nil, "", mapErr(err, pq.list)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, "", mapErr(err, pq.list)
	}
	if len(out) <= pq.limit {
		return out, "", nil
	}
	out = out[:pq.limit]
	return out, encodeCursor(pq.list, pq.key(out[len(out)-1])), nil
}

// page runs a list sorted by one column (a one-string key): it reads the
// token of p, and query binds the key to start after as $1, p.Limit+1 as
// $2 and args from $3.
func (pq pageQuery[T]) page(ctx context.Context, q querier, p store.Page, query string, args ...any) ([]T, string, error) {
	cur, err := decodeCursor(pq.list, p, 1)
	if err != nil {
		return nil, "", err
	}
	pq.limit = p.Limit
	return pq.run(ctx, q, query, append([]any{cur[0], p.Limit + 1}, args...)...)
}

// collect reads every row of query with scan.
func collect[T any](ctx context.Context, q querier, op string, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := queryRows(ctx, q, query, args...)
	if err != nil {
		return nil, mapErr(err, op)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, mapErr(err, op)
		}
		out = append(out, v)
	}
	return out, mapErr(rows.Err(), op)
}
