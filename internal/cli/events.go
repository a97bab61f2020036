package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/store"
)

// eventFilter is what `admin events` keeps.
type eventFilter struct {
	since, until time.Time
	actor        string // actor id or name
	action       string // exact, or a prefix ending in "*"
	outcome      string
}

func (f eventFilter) keep(e audit.Event) bool {
	switch {
	case !f.until.IsZero() && e.Time.After(f.until):
		return false
	case f.actor != "" && e.Actor.ID != f.actor && e.Actor.Name != f.actor:
		return false
	case f.outcome != "" && !strings.EqualFold(e.Outcome, f.outcome):
		return false
	case strings.HasSuffix(f.action, "*"):
		return strings.HasPrefix(e.Action, strings.TrimSuffix(f.action, "*"))
	}
	return f.action == "" || e.Action == f.action
}

func eventsCmd(stdio IO) *cobra.Command {
	var since, until, format string
	var f eventFilter
	var limit int
	var verify bool
	cmd := &cobra.Command{
		Use:   "events",
		Short: "Print the system log",
		Long: `Print the system log: every change, sign-in, token, credential and denial, oldest
first. --since and --until take an RFC 3339 time (2026-12-01T09:00:00Z) or a
duration meaning that long ago (90m, 24h). --action takes an action name
(identitystore.user.create) or a prefix ending in * (ssooidc.*). --format json
prints one JSON object per line.

--verify instead checks the log's hash chain, oldest event first: every event
holds the hash of the one before it, so an event edited, deleted or reordered
in the database breaks the chain there. It prints "verified N events; the chain
is unbroken" and the newest event's hash (keep it elsewhere to detect a log
cut short or rewritten whole), or where the chain breaks, and then exits 1.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if verify {
				db, err := openStore(cmd, stdio)
				if err != nil {
					return err
				}
				defer db.Close()
				return verifyLog(cmd.Context(), db, stdio.Out)
			}
			now := time.Now()
			var err error
			if f.since, err = parseWhen(since, now); err != nil {
				return fmt.Errorf("--since: %w", err)
			}
			if f.until, err = parseWhen(until, now); err != nil {
				return fmt.Errorf("--until: %w", err)
			}
			if format != "text" && format != "json" {
				return fmt.Errorf("--format %q: want text or json", format)
			}
			if f.outcome != "" && !slices.ContainsFunc([]string{audit.Success, audit.Failure, audit.Deny},
				func(o string) bool { return strings.EqualFold(o, f.outcome) }) {
				return fmt.Errorf("--outcome %q: want %s, %s or %s", f.outcome, audit.Success, audit.Failure, audit.Deny)
			}
			if limit < 1 {
				return fmt.Errorf("--limit %d: want at least 1", limit)
			}
			db, err := openStore(cmd, stdio)
			if err != nil {
				return err
			}
			defer db.Close()
			events, err := newestEvents(cmd.Context(), db, f, limit)
			if err != nil {
				return err
			}
			slices.Reverse(events)
			return printEvents(stdio.Out, events, format)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&since, "since", "", "only events at or after this time (RFC 3339, or a duration ago)")
	fl.StringVar(&until, "until", "", "only events at or before this time (RFC 3339, or a duration ago)")
	fl.StringVar(&f.actor, "actor", "", "only events by this actor (id or name)")
	fl.StringVar(&f.action, "action", "", "only this action, or actions starting with a prefix ending in *")
	fl.StringVar(&f.outcome, "outcome", "", "only this outcome: SUCCESS, FAILURE or DENY")
	fl.StringVar(&format, "format", "text", "text or json (one object per line)")
	fl.IntVar(&limit, "limit", 1000, "print at most this many of the newest matching events")
	fl.BoolVar(&verify, "verify", false, "check the log's hash chain instead of printing events")
	for _, other := range []string{"since", "until", "actor", "action", "outcome", "format", "limit"} {
		cmd.MarkFlagsMutuallyExclusive("verify", other)
	}
	return cmd
}

// verifyBatch is how many events --verify reads at a time.
const verifyBatch = 1000

// errChainBroken is --verify's error once it has printed where the chain
// breaks.
var errChainBroken = errors.New("the system log failed verification")

// verifyLog walks the whole log oldest first and reports whether its hash
// chain is unbroken.
func verifyLog(ctx context.Context, s store.Events, w io.Writer) error {
	var v audit.Verifier
	for after := int64(math.MinInt64); ; { // an event below seq 1 is shown by the log too: the verifier must see it
		batch, err := s.EventsAfter(ctx, after, verifyBatch)
		if err != nil {
			return err
		}
		for _, e := range batch {
			if brk := v.Add(e); brk != nil {
				fmt.Fprintln(w, brk.Error())
				return errChainBroken
			}
		}
		if len(batch) < verifyBatch {
			break
		}
		after = batch[len(batch)-1].Seq
	}
	fmt.Fprintf(w, "verified %d events; the chain is unbroken\n", v.Verified)
	if v.Legacy > 0 {
		fmt.Fprintf(w, "the %d events before them predate the chain and are not covered\n", v.Legacy)
	}
	if v.Verified > 0 {
		fmt.Fprintf(w, "newest event: seq %d, hash %s\n", v.Last.Seq, v.Last.Hash)
	}
	return nil
}

// parseWhen reads an RFC 3339 time or a duration before now; "" is no bound.
func parseWhen(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%q is neither an RFC 3339 time nor a duration like 24h", s)
}

// newestEvents walks the log from the newest event back to f.since and
// returns at most limit matching events, newest first.
func newestEvents(ctx context.Context, s store.Events, f eventFilter, limit int) ([]audit.Event, error) {
	var out []audit.Event
	p := store.Page{Limit: 500}
	for {
		page, next, err := s.ListEvents(ctx, p)
		if err != nil {
			return nil, err
		}
		for _, e := range page {
			if !f.since.IsZero() && e.Time.Before(f.since) {
				return out, nil
			}
			if f.keep(e) {
				if out = append(out, e); len(out) == limit {
					return out, nil
				}
			}
		}
		if next == "" {
			return out, nil
		}
		p.Token = next
	}
}

// eventJSON is an event as `admin events --format json` prints it.
type eventJSON struct {
	ID      string    `json:"id"`
	Time    time.Time `json:"time"`
	Action  string    `json:"action"`
	Outcome string    `json:"outcome"`
	Actor   struct {
		Type string `json:"type"`
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"actor"`
	Client struct {
		IP        string `json:"ip,omitempty"`
		UserAgent string `json:"userAgent,omitempty"`
	} `json:"client"`
	Target struct {
		Type string `json:"type,omitempty"`
		ID   string `json:"id,omitempty"`
	} `json:"target"`
	Message string `json:"message,omitempty"`
}

func printEvents(w io.Writer, events []audit.Event, format string) error {
	enc := json.NewEncoder(w)
	for _, e := range events {
		if format == "json" {
			var j eventJSON
			j.ID, j.Time, j.Action, j.Outcome, j.Message = e.ID, e.Time.UTC(), e.Action, e.Outcome, e.Message
			j.Actor.Type, j.Actor.ID, j.Actor.Name = e.Actor.Type, e.Actor.ID, e.Actor.Name
			j.Client.IP, j.Client.UserAgent = e.Client.IP, e.Client.UserAgent
			j.Target.Type, j.Target.ID = e.TargetType, e.TargetID
			if err := enc.Encode(j); err != nil {
				return err
			}
			continue
		}
		if _, err := fmt.Fprintln(w, eventLine(e)); err != nil {
			return err
		}
	}
	return nil
}

// eventLine is one event as text. Values that came from clients (names,
// user agents, messages) are quoted, so they cannot forge a line.
func eventLine(e audit.Event) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %-7s %s actor=%s:%q", e.Time.UTC().Format(time.RFC3339), e.Outcome, e.Action,
		e.Actor.Type, firstNonEmpty(e.Actor.Name, e.Actor.ID))
	if e.TargetType != "" || e.TargetID != "" {
		fmt.Fprintf(&b, " target=%s:%q", e.TargetType, e.TargetID)
	}
	if e.Client.IP != "" {
		fmt.Fprintf(&b, " ip=%s", e.Client.IP)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, " message=%q", e.Message)
	}
	return b.String()
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
