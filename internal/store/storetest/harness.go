package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// harness is one case's store, clock and fixture builders.
type harness struct {
	s   store.AWS
	clk *clock.Fake
	ctx context.Context
	seq atomic.Int64 // makes fixture names unique

	// fixture is what seedLists created.
	fixture struct {
		user    ic.User
		group   ic.Group
		ps      ic.PermissionSet
		account string
	}
}

const (
	identityStoreID = "d-0123456789"
	instanceID      = "ssoins-0123456789abcdef"
)

// next returns a number unique within the case.
func (h *harness) next() int64 { return h.seq.Add(1) }

// equal fails t with a diff when got differs from want. Nil and empty
// slices are equal: a backend may return either.
func equal[T any](t *testing.T, what string, want, got T) {
	t.Helper()
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, diff)
	}
}

// ok fails t at once if err is not nil.
func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// isKind fails t unless err is an *errs.Error of kind.
func isKind(t *testing.T, err error, kind errs.Kind) *errs.Error {
	t.Helper()
	e, found := errs.As(err)
	if !found || e.Kind != kind {
		t.Fatalf("error = %v (kind %s), want kind %s", err, errs.KindOf(err), kind)
	}
	if e.Message == "" {
		t.Errorf("%s error has no message for the client", kind)
	}
	return e
}

// notFound fails t unless err is errs.NotFound naming resourceType (when
// not empty).
func notFound(t *testing.T, err error, resourceType string) {
	t.Helper()
	e := isKind(t, err, errs.NotFound)
	if resourceType != "" && e.ResourceType != resourceType {
		t.Errorf("ResourceType = %q, want %q", e.ResourceType, resourceType)
	}
}

// conflict fails t unless err is errs.Conflict.
func conflict(t *testing.T, err error) { t.Helper(); isKind(t, err, errs.Conflict) }

// taken fails t unless err is errs.Conflict naming resource and field.
func taken(t *testing.T, err error, resource, field string) {
	t.Helper()
	e := isKind(t, err, errs.Conflict)
	if e.ResourceType != resource || e.Field != field {
		t.Errorf("conflict names %s %s, want %s %s", e.ResourceType, e.Field, resource, field)
	}
}

// errFn is the error a compare-and-swap fn returns to abort.
var errFn = errors.New("storetest: fn refused")

// fnFailed fails t unless err is exactly the error fn returned.
func fnFailed(t *testing.T, err error) {
	t.Helper()
	if err != errFn { //nolint:errorlint // the contract returns fn's error unchanged
		t.Fatalf("error = %v, want fn's own error returned unchanged", err)
	}
}

// walk reads every page of a list with limit and checks the pages: full
// until the last, and a token exactly when more follows.
func walk[T any](t *testing.T, limit int, list func(store.Page) ([]T, string, error)) ([]T, int) {
	t.Helper()
	var all []T
	p := store.Page{Limit: limit}
	for pages := 1; ; pages++ {
		got, next, err := list(p)
		ok(t, err)
		all = append(all, got...)
		if len(got) > limit {
			t.Fatalf("page %d has %d items, more than the limit %d", pages, len(got), limit)
		}
		if next == "" {
			return all, pages
		}
		if len(got) < limit {
			t.Fatalf("page %d has %d items and a NextToken; want a full page of %d", pages, len(got), limit)
		}
		if pages > 10000 {
			t.Fatal("pagination does not end")
		}
		p.Token = next
	}
}

// name returns a unique, mixed-case name with prefix.
func (h *harness) name(prefix string) string {
	return fmt.Sprintf("%s-%03d-Name", prefix, h.next())
}

// flipCase is s in another case: the same name to a
// case-insensitive index.
func flipCase(s string) string {
	if strings.ToLower(s) == s {
		return strings.ToUpper(s)
	}
	return strings.ToLower(s)
}

// events returns the whole log, newest first.
func (h *harness) events(t *testing.T) []audit.Event {
	t.Helper()
	all, _ := walk(t, 100, func(p store.Page) ([]audit.Event, string, error) { return h.s.ListEvents(h.ctx, p) })
	return all
}

// lastEvent returns the newest event.
func (h *harness) lastEvent(t *testing.T) audit.Event {
	t.Helper()
	got, _, err := h.s.ListEvents(h.ctx, store.Page{Limit: 1})
	ok(t, err)
	if len(got) == 0 {
		t.Fatal("the system log is empty")
	}
	return got[0]
}

// actions returns the actions in the log, oldest first.
func (h *harness) actions(t *testing.T) []string {
	t.Helper()
	evs := h.events(t)
	out := make([]string, len(evs))
	for i, e := range evs {
		out[len(evs)-1-i] = e.Action
	}
	return out
}

// unchangedLog fails t if the log grew while do ran.
func (h *harness) unchangedLog(t *testing.T, do func()) {
	t.Helper()
	before := len(h.events(t))
	do()
	if after := len(h.events(t)); after != before {
		t.Errorf("a failed call wrote %d event(s)", after-before)
	}
}

// sortBy sorts s by key, ascending.
func sortBy[T any](s []T, key func(T) string) {
	slices.SortFunc(s, func(a, b T) int { return strings.Compare(key(a), key(b)) })
}
