package userimport

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// BatchSize is how many new users one transaction creates: large enough
// that a commit's cost is shared, small enough that a batch is quick.
const BatchSize = 500

// Writer is what applying a plan writes through: new users (with their
// memberships) in batches of up to BatchSize a transaction, other changes
// one user a transaction, each with its events and change-feed rows.
type Writer interface {
	Reader
	CreateGroup(ctx context.Context, g directory.Group) (directory.Group, error)
	CreateUsers(ctx context.Context, users []store.NewUser) ([]directory.User, error)
	UpdateUser(ctx context.Context, id, eventType string, fn func(directory.User) (directory.User, error)) (directory.User, error)
	AddMember(ctx context.Context, groupID, userID string) (bool, error)
}

// Hasher hashes a new password (argon2id).
type Hasher interface {
	Hash(ctx context.Context, password string) (string, error)
}

// Options are how a plan is applied.
type Options struct {
	Hasher Hasher
	Now    func() time.Time
	// Progress, if set, is called after each row with how many are done.
	Progress func(done int)
}

// UpdateEvent is the event a profile update writes.
const UpdateEvent = "user.account.update_profile"

// errUnchanged aborts an update that, by the time it runs, changes nothing.
var errUnchanged = errors.New("unchanged")

// Apply writes the plan: groups first, then each row in input order.
// Passwords are hashed ahead by runtime.NumCPU() workers. It stops at the
// first failure; what was written before it stays written.
func (p *Plan) Apply(ctx context.Context, s Writer, o Options) (Counts, error) {
	var c Counts
	if err := p.createGroups(ctx, s, &c); err != nil {
		return c, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	hashes := p.hashAhead(ctx, o.Hasher, runtime.NumCPU())
	defer hashes.stop()
	b := &batch{plan: p, s: s, o: o, c: &c}
	for i, step := range p.Steps {
		if step.Create() {
			if err := b.add(ctx, i, hashes.wait(ctx, i)); err != nil {
				return c, err
			}
			continue
		}
		if err := b.flush(ctx); err != nil {
			return c, err
		}
		if err := p.apply(ctx, s, i, &c); err != nil {
			return c, fmt.Errorf("%s: %w", step.Row.Where, err)
		}
		b.progress(i + 1)
	}
	return c, b.flush(ctx)
}

// batch gathers new users until BatchSize, then creates them at once.
type batch struct {
	plan    *Plan
	s       Writer
	o       Options
	c       *Counts
	users   []store.NewUser
	first   int // index of the batch's first step
	pending int // index after its last step
}

// add builds step i's user and creates the batch when it is full.
func (b *batch) add(ctx context.Context, i int, h hashed) error {
	n, err := b.plan.newUser(b.plan.Steps[i], b.o, h)
	if err != nil {
		return fmt.Errorf("%s: %w", b.plan.Steps[i].Row.Where, err)
	}
	if len(b.users) == 0 {
		b.first = i
	}
	b.users, b.pending = append(b.users, n), i+1
	if len(b.users) < BatchSize {
		return nil
	}
	return b.flush(ctx)
}

// flush creates the gathered users in one transaction.
func (b *batch) flush(ctx context.Context) error {
	if len(b.users) == 0 {
		return nil
	}
	if _, err := b.s.CreateUsers(ctx, b.users); err != nil {
		first, last := b.plan.Steps[b.first].Row.Where, b.plan.Steps[b.pending-1].Row.Where
		return fmt.Errorf("creating the users of %s to %s (none of them was created): %w", first, last, err)
	}
	for _, n := range b.users {
		b.c.Created++
		b.c.Memberships += len(n.GroupIDs)
	}
	b.users = b.users[:0]
	b.progress(b.pending)
	return nil
}

func (b *batch) progress(done int) {
	if b.o.Progress != nil {
		b.o.Progress(done)
	}
}

func (p *Plan) createGroups(ctx context.Context, s Writer, c *Counts) error {
	for _, name := range p.NewGroups {
		g, err := s.CreateGroup(ctx, directory.Group{Type: directory.OktaGroup, Name: name})
		if err != nil {
			return fmt.Errorf("create group %s: %w", name, err)
		}
		p.groupIDs[directory.NormalizeGroupName(name)] = g.ID
		c.Groups++
	}
	return nil
}

// apply writes step i, which updates an existing user.
func (p *Plan) apply(ctx context.Context, s Writer, i int, c *Counts) error {
	step := p.Steps[i]
	if len(step.Changed) > 0 {
		if err := p.update(ctx, s, step, c); err != nil {
			return err
		}
	}
	added := 0
	for _, g := range step.AddGroups {
		ok, err := s.AddMember(ctx, p.groupIDs[directory.NormalizeGroupName(g)], step.UserID)
		if err != nil {
			return fmt.Errorf("add to %s: %w", g, err)
		}
		if ok {
			added++
		}
	}
	c.Memberships += added
	if len(step.Changed) == 0 && added == 0 {
		c.Unchanged++
	}
	return nil
}

// newUser is the user a creating step makes, with its groups.
func (p *Plan) newUser(step Step, o Options, h hashed) (store.NewUser, error) {
	if h.err != nil {
		return store.NewUser{}, fmt.Errorf("password: %w", h.err)
	}
	now := o.Now()
	var pw directory.Password
	if h.hash != "" {
		pw = directory.Password{Hash: h.hash, Changed: now}
	}
	u, err := directory.NewUser(step.Row.Profile, pw, step.Row.Activate, now)
	if err != nil {
		return store.NewUser{}, err
	}
	ids := make([]string, len(step.AddGroups))
	for i, g := range step.AddGroups {
		ids[i] = p.groupIDs[directory.NormalizeGroupName(g)]
	}
	return store.NewUser{User: u, GroupIDs: ids}, nil
}

// update applies the row's attributes to the user as they are when the
// write runs, writing nothing if that changes nothing.
func (p *Plan) update(ctx context.Context, s Writer, step Step, c *Counts) error {
	d := delta(&step.Row)
	_, err := s.UpdateUser(ctx, step.UserID, UpdateEvent, func(u directory.User) (directory.User, error) {
		next := u.Profile.Merge(d)
		if len(changed(u.Profile, &step.Row)) == 0 {
			return u, errUnchanged
		}
		if err := p.schema.Validate(next); err != nil {
			return u, err
		}
		u.Profile = next
		return u, nil
	})
	switch {
	case errors.Is(err, errUnchanged):
		return nil
	case err != nil:
		return err
	}
	c.Updated++
	return nil
}

// hashed is one password's hash, ready once done is closed.
type hashed struct {
	done chan struct{}
	hash string
	err  error
}

// hasher hashes the passwords of the users to create ahead of the writes,
// at most a window of them at a time, so the writer (in input order) rarely
// waits and memory stays bounded.
type hasher struct {
	results []hashed
	window  chan struct{}
	wg      sync.WaitGroup
	cancel  context.CancelFunc
}

func (p *Plan) hashAhead(ctx context.Context, h Hasher, workers int) *hasher {
	ctx, cancel := context.WithCancel(ctx)
	hs := &hasher{results: make([]hashed, len(p.Steps)), window: make(chan struct{}, 4*workers), cancel: cancel}
	for i, s := range p.Steps {
		if s.Create() && s.Row.HasPassword {
			hs.results[i].done = make(chan struct{})
		}
	}
	jobs := make(chan int)
	hs.wg.Add(workers + 1)
	go func() {
		defer hs.wg.Done()
		defer close(jobs)
		for i := range p.Steps {
			if hs.results[i].done == nil {
				continue
			}
			select {
			case hs.window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range workers {
		go func() {
			defer hs.wg.Done()
			for i := range jobs {
				r := &hs.results[i]
				r.hash, r.err = h.Hash(ctx, p.Steps[i].Row.Password)
				close(r.done)
			}
		}()
	}
	return hs
}

// wait returns step i's hash ("" when it sets no password).
func (hs *hasher) wait(ctx context.Context, i int) hashed {
	r := &hs.results[i]
	if r.done == nil {
		return hashed{}
	}
	select {
	case <-r.done:
	case <-ctx.Done():
		return hashed{err: ctx.Err()}
	}
	<-hs.window
	return *r
}

func (hs *hasher) stop() {
	hs.cancel()
	hs.wg.Wait()
}
