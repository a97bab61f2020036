package systemlog

import (
	"context"
	"encoding/base64"
	"fmt"
	"maps"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// Limits and defaults of GET /api/v1/logs.
const (
	DefaultLimit     = 100
	MaxLimit         = 1000
	DefaultWindow    = 7 * 24 * time.Hour // since defaults to this long before until
	MaxKeywords      = 10                 // in q
	MaxKeywordLength = 40                 // bytes, per keyword
	// MaxExamined bounds the events one request reads from the store. A
	// q or filter that matches few of them answers with what it found,
	// possibly nothing, and a next link that goes on after the last event
	// it examined, as Okta's System Log does.
	MaxExamined = 5 * MaxLimit
)

// Store is what Query needs of the system log.
type Store interface {
	QueryEvents(ctx context.Context, q store.EventQuery) ([]audit.Event, string, error)
}

// params are the parsed query parameters.
type params struct {
	since, until time.Time
	untilGiven   bool // a client polling for new events gives no until
	limit        int
	ascending    bool
	after        int64 // Seq to continue after; 0 for the first page
	keywords     []string
	filter       directory.Expr
	filtered     bool // q or filter narrow the events
}

// Query answers GET /api/v1/logs with the query parameters q at time now:
// since and until (RFC 3339; since inclusive, until exclusive; without
// until every event written so far is read, and since defaults to
// DefaultWindow before until or now), limit (1 to
// MaxLimit, default DefaultLimit), sortOrder (ASCENDING, the default, or
// DESCENDING), after (the cursor of a next link), q (space-separated
// keywords that must each occur, ignoring case, in the event type, display
// message, actor or target ids and names, or client address) and filter
// (an Okta expression over LogEvent attribute paths, see LogEvent.Value).
//
// It returns up to limit events and, when more may follow, next: the query
// parameters of the next page (q's, with after and since set). A client
// polling without until always gets next, to ask again later for what has
// been written since. A bad parameter is errs.Invalid naming it, and then
// nothing is read.
func Query(ctx context.Context, s Store, q url.Values, now time.Time) ([]LogEvent, url.Values, error) {
	p, err := parseParams(q, now)
	if err != nil {
		return nil, nil, err
	}
	events, pos, more, err := p.read(ctx, s)
	if err != nil {
		return nil, nil, err
	}
	if !more && (p.untilGiven || !p.ascending) {
		return events, nil, nil
	}
	next := maps.Clone(q)
	if next == nil {
		next = url.Values{}
	}
	next.Set("since", publishedTime(p.since))
	next.Del("after")
	if pos > 0 {
		next.Set("after", encodeAfter(pos))
	}
	return events, next, nil
}

// read collects up to limit matching events from the store, a page at a
// time, examining at most MaxExamined, and returns the Seq of the last
// event it consumed (returned, or passed over as not matching) and whether
// more events may match.
func (p params) read(ctx context.Context, s Store) (out []LogEvent, pos int64, more bool, err error) {
	batch := p.limit + 1
	if p.filtered {
		batch = min(MaxLimit+1, max(batch, 200))
	}
	pos = p.after
	sq := store.EventQuery{Since: p.since, Ascending: p.ascending, Page: store.Page{Limit: batch}}
	if p.untilGiven {
		// Without until there is no upper bound: Seq orders the log, and
		// an event another replica stamped a moment past our now must not
		// be passed over by the after of a poller's next link.
		sq.Until = p.until
	}
	for examined := 0; ; {
		sq.AfterSeq = pos
		sq.Page.Limit = min(batch, MaxExamined-examined)
		page, next, err := s.QueryEvents(ctx, sq)
		if err != nil {
			return nil, 0, false, err
		}
		for i, e := range page {
			examined++
			le := Render(e)
			pos = e.Seq
			if p.match(le) {
				out = append(out, le)
			}
			if len(out) == p.limit || examined == MaxExamined { // more may match if any event is left
				return out, pos, i < len(page)-1 || next != "", nil
			}
		}
		if next == "" || len(page) == 0 {
			return out, pos, false, nil
		}
	}
}

// match reports whether le has every keyword and passes the filter.
func (p params) match(le LogEvent) bool {
	if len(p.keywords) > 0 {
		text := le.keywordText()
		for _, k := range p.keywords {
			if !strings.Contains(text, k) {
				return false
			}
		}
	}
	return p.filter.Match(le)
}

// parseParams validates every parameter before anything is read.
func parseParams(q url.Values, now time.Time) (params, error) {
	for name, vs := range q {
		if len(vs) > 1 {
			return params{}, invalid(name, "it is given %d times; give it once", len(vs))
		}
	}
	p := params{until: now, limit: DefaultLimit, ascending: true}
	var err error
	if v := q.Get("until"); v != "" {
		if p.until, err = parseTime("until", v); err != nil {
			return params{}, err
		}
		p.untilGiven = true
	}
	p.since = p.until.Add(-DefaultWindow)
	if v := q.Get("since"); v != "" {
		if p.since, err = parseTime("since", v); err != nil {
			return params{}, err
		}
	}
	if p.since.After(p.until) {
		return params{}, invalid("since", "it is after until")
	}
	if v, ok := q["limit"]; ok {
		if p.limit, err = strconv.Atoi(v[0]); err != nil || p.limit < 1 || p.limit > MaxLimit {
			return params{}, invalid("limit", "%q is not a whole number from 1 to %d", v[0], MaxLimit)
		}
	}
	switch v := q.Get("sortOrder"); v {
	case "", "ASCENDING":
	case "DESCENDING":
		p.ascending = false
	default:
		return params{}, invalid("sortOrder", "%q is neither ASCENDING nor DESCENDING", v)
	}
	if v := q.Get("after"); v != "" {
		if p.after, err = decodeAfter(v); err != nil {
			return params{}, err
		}
	}
	if p.keywords, err = parseKeywords(q.Get("q")); err != nil {
		return params{}, err
	}
	if v := q.Get("filter"); v != "" {
		if p.filter, err = directory.Parse(v, directory.LogFilter()); err != nil {
			msg := err.Error()
			if e, ok := errs.As(err); ok {
				msg = e.Message
			}
			return params{}, invalid("filter", "%s", msg)
		}
	}
	p.filtered = len(p.keywords) > 0 || q.Get("filter") != ""
	return p, nil
}

// invalid is the errs.Invalid for a bad parameter, naming it.
func invalid(param, format string, args ...any) error {
	return errs.E(errs.Invalid, "Invalid value for parameter %s: %s", param, strings.TrimSpace(
		strings.ReplaceAll(fmt.Sprintf(format, args...), "\n", " ")))
}

func parseTime(param, v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, invalid(param, "%q is not an ISO 8601 time such as 2026-12-02T10:00:00.000Z", v)
	}
	return t, nil
}

func parseKeywords(q string) ([]string, error) {
	words := strings.Fields(q)
	if len(words) > MaxKeywords {
		return nil, invalid("q", "it has %d keywords; at most %d are allowed", len(words), MaxKeywords)
	}
	for i, w := range words {
		if len(w) > MaxKeywordLength {
			return nil, invalid("q", "a keyword is %d bytes long; at most %d are allowed", len(w), MaxKeywordLength)
		}
		words[i] = strings.ToLower(w)
	}
	return words, nil
}

// The after cursor is opaque to clients: the Seq of the last event a page
// consumed.
const afterPrefix = "s1."

func encodeAfter(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(afterPrefix + strconv.FormatInt(seq, 10)))
}

func decodeAfter(v string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err == nil {
		if digits, ok := strings.CutPrefix(string(b), afterPrefix); ok {
			if seq, err := strconv.ParseInt(digits, 10, 64); err == nil && seq > 0 {
				return seq, nil
			}
		}
	}
	return 0, invalid("after", "it is not a cursor from a next link")
}
