package scimclient

import (
	"context"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// feedBatch is how many changes one advance reads.
const feedBatch = 500

func isNotFound(err error) bool { return errs.Is(err, errs.NotFound) }

// follow reads the feed after cursor and queues what each change affects
// in the app, moving the cursor in the same transaction.
func (e *Engine) follow(ctx context.Context, appID string, cursor int64) error {
	for {
		changes, err := e.c.Directory.Changes(ctx, cursor, feedBatch)
		if err != nil || len(changes) == 0 {
			return err
		}
		keys, err := e.route(ctx, appID, changes)
		if err != nil {
			return err
		}
		to := changes[len(changes)-1].Seq
		if err := e.c.State.AdvanceProvisioning(ctx, appID, cursor, to, keys); err != nil {
			if errs.Is(err, errs.Conflict) {
				return nil // another replica moved it
			}
			return err
		}
		if len(keys) > 0 {
			e.Poke()
		}
		cursor = to
	}
}

// route lists the outbox keys changes affect in the app, each once.
func (e *Engine) route(ctx context.Context, appID string, changes []directory.Change) ([]store.ProvisionKey, error) {
	pushes, err := e.pushed(ctx, appID)
	if err != nil {
		return nil, err
	}
	assigning, err := e.assigning(ctx, appID)
	if err != nil {
		return nil, err
	}
	r := router{e: e, appID: appID, pushed: pushes, assigning: assigning, seen: map[store.ProvisionKey]bool{}}
	for _, c := range changes {
		if err := r.add(ctx, c); err != nil {
			return nil, err
		}
	}
	return r.keys, nil
}

// pushed is the set of the app's pushed group ids, read once per Sync or
// Drain and shared read-only: every user's push consults it, and reading
// it per person made a push cost people × groups. A push changed
// meanwhile is in the feed, so the next round routes and reads it.
func (e *Engine) pushed(ctx context.Context, appID string) (map[string]bool, error) {
	return e.roundGroups(ctx, "push "+appID, func() (map[string]bool, error) {
		gs, err := e.c.Apps.ListGroupPushes(ctx, appID)
		if err != nil {
			return nil, err
		}
		out := make(map[string]bool, len(gs))
		for _, g := range gs {
			out[g.GroupID] = true
		}
		return out, nil
	})
}

// assigning is the set of the groups assigned to the app, read like
// pushed: joining or leaving one may assign or unassign the person.
func (e *Engine) assigning(ctx context.Context, appID string) (map[string]bool, error) {
	return e.roundGroups(ctx, "assign "+appID, func() (map[string]bool, error) {
		out := map[string]bool{}
		err := pages(func(p store.Page) ([]directory.AppGroup, string, error) { return e.c.Apps.ListAppGroups(ctx, appID, p) },
			func(gs []directory.AppGroup) error {
				for _, g := range gs {
					out[g.GroupID] = true
				}
				return nil
			})
		return out, err
	})
}

// roundGroups reads a set of group ids once per round (key names it).
func (e *Engine) roundGroups(ctx context.Context, key string, read func() (map[string]bool, error)) (map[string]bool, error) {
	e.groupSetsMu.Lock()
	defer e.groupSetsMu.Unlock()
	if out, ok := e.groupSets[key]; ok {
		return out, nil
	}
	if e.groupSets == nil { // outside a round: no caching
		return read()
	}
	out, err := read()
	if err == nil {
		e.groupSets[key] = out
	}
	return out, err
}

// readGroupSetsOnce starts a round in which each app's pushed and assigned
// groups are read once; calling what it returns ends the round.
func (e *Engine) readGroupSetsOnce() func() {
	e.groupSetsMu.Lock()
	e.groupSets = map[string]map[string]bool{}
	e.groupSetsMu.Unlock()
	return func() {
		e.groupSetsMu.Lock()
		e.groupSets = nil
		e.groupSetsMu.Unlock()
	}
}

type router struct {
	e         *Engine
	appID     string
	pushed    map[string]bool
	assigning map[string]bool
	seen      map[store.ProvisionKey]bool
	keys      []store.ProvisionKey
}

func (r *router) queue(k store.ProvisionKey) {
	if !r.seen[k] {
		r.seen[k] = true
		r.keys = append(r.keys, k)
	}
}

// add queues what c affects. A membership change is the user's item: the
// user's push reconciles their memberships of pushed groups, and joining
// or leaving a group assigned to the app assigns or unassigns them (the
// feed has no assignment change for that).
func (r *router) add(ctx context.Context, c directory.Change) error {
	switch c.Kind {
	case directory.UserChanged, directory.UserDeleted:
		return r.userIfConcerned(ctx, c.UserID)
	case directory.MembershipAdded, directory.MembershipRemoved:
		if r.pushed[c.GroupID] || r.assigning[c.GroupID] {
			return r.userIfConcerned(ctx, c.UserID)
		}
		if c.Kind == directory.MembershipRemoved {
			// The group may have stopped assigning the app since (or be
			// gone): a person at the target no longer assigned goes.
			return r.userIfUnassigned(ctx, c.UserID)
		}
		return nil
	case directory.GroupChanged, directory.GroupDeleted:
		return r.groupIfConcerned(ctx, c.GroupID)
	}
	if c.AppID != r.appID {
		return nil
	}
	switch c.Kind {
	case directory.AppUserAssigned, directory.AppUserUnassigned:
		r.queue(userKey(r.appID, c.UserID))
	case directory.AppGroupAssigned, directory.AppGroupRemoved:
		return r.members(ctx, c.GroupID)
	case directory.AppGroupPushed, directory.AppGroupUnpushed:
		r.queue(groupKey(r.appID, c.GroupID))
	case directory.AppChanged:
		// Its target or token may have changed: what failed for good may
		// now succeed.
		return r.e.c.State.RetryFailedOutbox(ctx, r.appID)
	}
	return nil
}

// userIfConcerned queues the user when assigned to the app or already at
// its target.
func (r *router) userIfConcerned(ctx context.Context, userID string) error {
	k := userKey(r.appID, userID)
	if r.seen[k] {
		return nil
	}
	_, err := r.e.c.Apps.AppUser(ctx, r.appID, userID)
	if err == nil {
		r.queue(k)
		return nil
	}
	if !isNotFound(err) {
		return err
	}
	return r.ifMapped(ctx, k)
}

// userIfUnassigned queues the user when at the target and not assigned.
func (r *router) userIfUnassigned(ctx context.Context, userID string) error {
	k := userKey(r.appID, userID)
	if r.seen[k] {
		return nil
	}
	_, err := r.e.c.Apps.AppUser(ctx, r.appID, userID)
	if err == nil || !isNotFound(err) {
		return err
	}
	return r.ifMapped(ctx, k)
}

func (r *router) groupIfConcerned(ctx context.Context, groupID string) error {
	k := groupKey(r.appID, groupID)
	if r.pushed[groupID] {
		r.queue(k)
		return nil
	}
	return r.ifMapped(ctx, k)
}

func (r *router) ifMapped(ctx context.Context, k store.ProvisionKey) error {
	_, err := r.e.c.State.ProvisionTarget(ctx, k)
	if err == nil {
		r.queue(k)
		return nil
	}
	if isNotFound(err) {
		return nil
	}
	return err
}

// members queues every member of a group whose assignment to the app
// changed (their effective assignment may have changed with it).
func (r *router) members(ctx context.Context, groupID string) error {
	err := pages(func(p store.Page) ([]directory.User, string, error) {
		return r.e.c.Directory.ListMembers(ctx, groupID, store.UserQuery{}, p)
	}, func(us []directory.User) error {
		for _, u := range us {
			r.queue(userKey(r.appID, u.ID))
		}
		return nil
	})
	if isNotFound(err) {
		return nil
	}
	return err
}
