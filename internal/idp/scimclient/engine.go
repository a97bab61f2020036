package scimclient

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// Config is what an Engine needs.
type Config struct {
	Apps      Apps
	Directory Directory
	State     State
	// Token opens an app's sealed SCIM bearer token.
	Token  func(directory.App) (string, error)
	Client Options // how targets are called (HTTP client, sleeper, ...)
	Clock  clock.Clock
	Random io.Reader
	Log    *slog.Logger
	// Owner names this replica in outbox leases, stable across restarts
	// so that a restarted replica takes back its own leases at once; the
	// host name when empty. Replicas sharing a database need distinct
	// owners.
	Owner string
	// Workers push items in parallel (16 by default); Tick is the fallback
	// wake-up when no poke comes (1 s); Lease is how long a claimed item
	// is this replica's (2 min).
	Workers int
	Tick    time.Duration
	Lease   time.Duration
}

// Engine provisions every app whose provisioning is enabled: it follows
// the change feed into the outbox and drains the outbox to the targets.
// Several replicas may run one each: leases keep them off each other's
// items.
type Engine struct {
	c    Config
	poke chan struct{}
	step sync.Mutex // one Step at a time: leases are per owner, not per call

	downMu sync.Mutex
	down   map[string]error // apps whose target failed a push of this Drain, with the failure

	groupSetsMu sync.Mutex
	groupSets   map[string]map[string]bool // each app's pushed and assigned groups, read once per Sync or Drain (see roundGroups)
}

// NewEngine returns an engine; Run starts it.
func NewEngine(c Config) *Engine {
	if c.Clock == nil {
		c.Clock = clock.Real{}
	}
	if c.Random == nil {
		c.Random = clock.Random
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if c.Owner == "" {
		c.Owner = hostname(c.Random)
	}
	if c.Workers < 1 {
		c.Workers = 16
	}
	if c.Tick <= 0 {
		c.Tick = time.Second
	}
	if c.Lease <= 0 {
		c.Lease = 2 * time.Minute
	}
	if c.Client.Clock == nil {
		c.Client.Clock = c.Clock
	}
	if c.Client.Random == nil {
		c.Client.Random = c.Random
	}
	return &Engine{c: c, poke: make(chan struct{}, 1)}
}

// Poke wakes the engine: something was enqueued or the directory changed.
// It never blocks.
func (e *Engine) Poke() {
	select {
	case e.poke <- struct{}{}:
	default:
	}
}

// Run follows the feed and drains the outbox until ctx ends, waking on
// Poke or every Tick.
func (e *Engine) Run(ctx context.Context) error {
	t := time.NewTicker(e.c.Tick)
	defer t.Stop()
	for {
		if err := e.Step(ctx); err != nil && ctx.Err() == nil {
			e.c.Log.Warn("provisioning step failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-e.poke:
		case <-t.C:
		}
	}
}

// Step is one round: follow the feed for every app, then push everything
// due. Tests call it directly.
func (e *Engine) Step(ctx context.Context) error {
	e.step.Lock()
	defer e.step.Unlock()
	return errors.Join(e.Sync(ctx), e.Drain(ctx))
}

// Sync starts, stops and advances each app's provisioning.
func (e *Engine) Sync(ctx context.Context) error {
	defer e.readGroupSetsOnce()()
	var errList []error
	err := pages(func(p store.Page) ([]directory.App, string, error) { return e.c.Apps.ListApps(ctx, p) },
		func(apps []directory.App) error {
			for _, a := range apps {
				if err := e.syncApp(ctx, a); err != nil {
					errList = append(errList, err)
				}
			}
			return nil
		})
	return errors.Join(append(errList, err)...)
}

func (e *Engine) syncApp(ctx context.Context, a directory.App) error {
	st, err := e.c.State.ProvisionState(ctx, a.ID)
	started := err == nil
	if err != nil && !isNotFound(err) {
		return err
	}
	switch {
	case !provisioned(a) && started:
		return e.c.State.StopProvisioning(ctx, a.ID)
	case !provisioned(a):
		return nil
	case !started:
		return e.start(ctx, a.ID)
	}
	return e.follow(ctx, a.ID, st.Cursor)
}

// start queues the initial full push from the feed's head, read first so
// that a change made while listing is followed again rather than lost.
// What is still mapped from an earlier run is queued too: the feed was
// not followed while provisioning was off, so a person unassigned or
// deleted meanwhile would otherwise stay active at the target.
func (e *Engine) start(ctx context.Context, appID string) error {
	head, err := e.c.State.ChangeHead(ctx)
	if err != nil {
		return err
	}
	keys, err := e.everything(ctx, appID, true)
	if err != nil {
		return err
	}
	if err := e.c.State.StartProvisioning(ctx, appID, head, keys); err != nil {
		return err
	}
	e.Poke()
	return nil
}

// Resync queues every assigned user and pushed group of the app again,
// with everything it ever pushed (so that what should go is removed).
// Each pushed group then reads its memberships back from the target
// before reconciling them, so a resync repairs what Drift reports.
func (e *Engine) Resync(ctx context.Context, appID string) error {
	keys, err := e.everything(ctx, appID, true)
	if err != nil {
		return err
	}
	if err := e.c.State.ResyncProvisioning(ctx, appID, keys); err != nil {
		return err
	}
	e.Poke()
	return nil
}

// everything lists the app's assigned users and pushed groups, and with
// mapped what is mapped too.
func (e *Engine) everything(ctx context.Context, appID string, mapped bool) ([]store.ProvisionKey, error) {
	seen := map[store.ProvisionKey]bool{}
	var keys []store.ProvisionKey
	add := func(k store.ProvisionKey) {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	err := pages(func(p store.Page) ([]directory.AppUser, string, error) { return e.c.Apps.ListAppUsers(ctx, appID, p) },
		func(us []directory.AppUser) error {
			for _, u := range us {
				add(userKey(appID, u.UserID))
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	pushes, err := e.c.Apps.ListGroupPushes(ctx, appID)
	if err != nil {
		return nil, err
	}
	for _, g := range pushes {
		add(groupKey(appID, g.GroupID))
	}
	if mapped {
		for _, kind := range []string{store.ProvisionUser, store.ProvisionGroup} {
			ts, err := e.c.State.ListProvisionTargets(ctx, appID, kind)
			if err != nil {
				return nil, err
			}
			for _, t := range ts {
				add(t.ProvisionKey)
			}
		}
	}
	return keys, nil
}

// hostname names the replica, or a random name when the host has none.
func hostname(r io.Reader) string {
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "replica-" + clock.Hex(r, 8)
}

// Drain pushes due outbox items until none is left. Call it through Step
// (or from one goroutine): items this owner leased are its to claim again.
func (e *Engine) Drain(ctx context.Context) error {
	defer e.readGroupSetsOnce()()
	e.downMu.Lock()
	e.down = map[string]error{}
	e.downMu.Unlock()
	for ctx.Err() == nil {
		now := e.c.Clock.Now()
		items, err := e.c.State.ClaimOutbox(ctx, e.c.Owner, now, now.Add(e.c.Lease), e.c.Workers*4)
		if err != nil || len(items) == 0 {
			return err
		}
		e.processAll(ctx, items)
	}
	return nil
}

// processAll pushes the users, then the groups, on Workers goroutines:
// a group's members are then at the target when it is reconciled.
func (e *Engine) processAll(ctx context.Context, items []store.OutboxItem) {
	i := 0
	for i < len(items) && items[i].Kind == store.ProvisionUser {
		i++
	}
	e.parallel(ctx, items[:i])
	e.parallel(ctx, items[i:])
}

// parallel pushes items on Workers goroutines, then finishes the pushed
// ones in one transaction.
func (e *Engine) parallel(ctx context.Context, items []store.OutboxItem) {
	work := make(chan store.OutboxItem)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		done []store.OutboxItem
	)
	for range min(e.c.Workers, len(items)) {
		wg.Go(func() {
			for it := range work {
				if e.process(ctx, it) {
					mu.Lock()
					done = append(done, it)
					mu.Unlock()
				}
			}
		})
	}
	for _, it := range items {
		work <- it
	}
	close(work)
	wg.Wait()
	if len(done) == 0 || ctx.Err() != nil {
		return
	}
	if err := e.c.State.FinishOutbox(ctx, done, e.c.Clock.Now()); err != nil {
		e.c.Log.Warn("provisioning: finishing pushed items failed", "error", err)
	}
}
