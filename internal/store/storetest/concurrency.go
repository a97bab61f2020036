package storetest

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// racers is how many goroutines race in each concurrency case.
const racers = 8

// race runs create(i) in racers goroutines at once and checks that exactly
// one succeeded and every other got errs.Conflict.
func race(t *testing.T, create func(i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	results := make([]error, racers)
	start := make(chan struct{})
	for i := range racers {
		wg.Go(func() {
			<-start
			results[i] = create(i)
		})
	}
	close(start)
	wg.Wait()
	won := 0
	for i, err := range results {
		switch {
		case err == nil:
			won++
		case errs.KindOf(err) != errs.Conflict:
			t.Errorf("racer %d: error %v, want errs.Conflict", i, err)
		}
	}
	if won != 1 {
		t.Errorf("%d racers succeeded, want exactly 1", won)
	}
}

// caseVariant spells name differently for each racer.
func caseVariant(name string, i int) string {
	b := []byte(name)
	for j := range b {
		if i>>(j%3)&1 == 1 {
			b[j] = strings.ToUpper(string(b[j]))[0]
		}
	}
	return string(b)
}

var concurrencyTests = []test{
	{"concurrent creates of one user name: one succeeds, the rest conflict", func(t *testing.T, h *harness) {
		race(t, func(i int) error { return h.s.CreateUser(h.ctx, h.newUser(caseVariant("racing.user", i))) })
	}},
	{"concurrent creates of one group name: one succeeds, the rest conflict", func(t *testing.T, h *harness) {
		race(t, func(i int) error { return h.s.CreateGroup(h.ctx, h.newGroup(caseVariant("racing group", i))) })
	}},
	{"concurrent creates of one permission set name: one succeeds, the rest conflict", func(t *testing.T, h *harness) {
		race(t, func(int) error { return h.s.CreatePermissionSet(h.ctx, h.newPermissionSet("RacingSet")) })
	}},
	{"concurrent attempts against one rate-limit key are each counted once", func(t *testing.T, h *harness) {
		// A password-spraying burst reaching every replica at once: no
		// attempt may fail (a refused sign-in is the caller's to decide)
		// nor be lost.
		const burst = 4 * racers
		counts := make([]int, burst)
		var wg sync.WaitGroup
		for i := range burst {
			wg.Go(func() {
				n, _, err := h.s.Hit(h.ctx, "signin-ip:203.0.113.9", time.Hour)
				if err != nil {
					t.Errorf("attempt %d: %v", i, err)
				}
				counts[i] = n
			})
		}
		wg.Wait()
		slices.Sort(counts)
		for i, n := range counts {
			if n != i+1 {
				t.Fatalf("counts returned = %v, want each of 1..%d once", counts, burst)
			}
		}
	}},
	{"concurrent compare-and-swap updates all apply", func(t *testing.T, h *harness) {
		ps := h.createPermissionSet(t)
		var wg sync.WaitGroup
		for i := range racers {
			wg.Go(func() {
				_, err := h.s.UpdatePermissionSet(h.ctx, ps.ID, func(p ic.PermissionSet) (ic.PermissionSet, error) {
					p.Version++
					p.Description += fmt.Sprintf("%d;", i)
					return p, nil
				})
				if err != nil {
					t.Errorf("update %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		got, err := h.s.PermissionSet(h.ctx, ps.ID)
		ok(t, err)
		equal(t, "version", ps.Version+racers, got.Version)
	}},
}
