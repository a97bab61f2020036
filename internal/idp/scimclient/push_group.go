package scimclient

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// group pushes the group's current state: a pushed group is created or
// updated (renames included) and its memberships reconciled; a group no
// longer pushed is unlinked (left at the target, as Okta's default); a
// deleted group is deleted.
func (p pusher) group(ctx context.Context, groupID string) error {
	k := groupKey(p.appID, groupID)
	tid, mapped, err := p.target(ctx, k)
	if err != nil {
		return err
	}
	g, err := p.e.c.Directory.Group(ctx, groupID)
	if isNotFound(err) {
		if !mapped {
			return nil
		}
		if err := gone404(p.c.DeleteGroup(ctx, tid)); err != nil {
			return err
		}
		return p.e.c.State.DeleteProvisionTarget(ctx, k)
	}
	if err != nil {
		return err
	}
	pushes, err := p.e.pushed(ctx, p.appID)
	if err != nil {
		return err
	}
	if !pushes[groupID] {
		if mapped {
			return p.e.c.State.DeleteProvisionTarget(ctx, k)
		}
		return nil
	}
	verify, err := p.stale(ctx, groupID)
	if err != nil {
		return err
	}
	created := false
	if tid, created, err = p.upsertGroup(ctx, g, tid, mapped); err != nil {
		return err
	}
	if verify && !created {
		if err := p.readBack(ctx, g.ID, tid); err != nil {
			return err
		}
	}
	if err := p.members(ctx, g, tid); err != nil {
		return err
	}
	if verify {
		return p.mapTo(ctx, k, tid) // Updated now: verified
	}
	return nil
}

// stale reports whether the group's record of pushed members may not be
// the target's: it was mapped before the last resync, or not at all (an
// adopted group has members nobody recorded).
func (p pusher) stale(ctx context.Context, groupID string) (bool, error) {
	t, err := p.e.c.State.ProvisionTarget(ctx, groupKey(p.appID, groupID))
	if isNotFound(err) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	st, err := p.e.c.State.ProvisionState(ctx, p.appID)
	if err != nil {
		return false, err
	}
	return !st.Resync.IsZero() && !t.Updated.After(st.Resync), nil
}

// readBack rewrites the record of the group's pushed members from the
// target, asking with `members eq` about each user provisioning knows
// (GET /Groups lists no members).
func (p pusher) readBack(ctx context.Context, groupID, gtid string) error {
	users, err := p.e.c.State.ListProvisionTargets(ctx, p.appID, store.ProvisionUser)
	if err != nil {
		return err
	}
	had, err := p.e.c.State.PushedMembers(ctx, p.appID, groupID)
	if err != nil {
		return err
	}
	recorded := map[string]bool{}
	for _, u := range had {
		recorded[u] = true
	}
	var (
		mu          sync.Mutex
		add, remove []string
	)
	err = parallelEach(p.e.c.Workers, users, func(u store.ProvisionTarget) error {
		in, err := p.c.HasMember(ctx, gtid, u.TargetID)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		switch {
		case in && !recorded[u.ObjectID]:
			add = append(add, u.ObjectID)
		case !in && recorded[u.ObjectID]:
			remove = append(remove, u.ObjectID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return p.e.c.State.RecordMembers(ctx, p.appID, groupID, add, remove)
}

// upsertGroup updates the mapped group or creates it, adopting the
// target's group on 409; it returns the target id and whether it created
// the group (which then has no members at the target).
func (p pusher) upsertGroup(ctx context.Context, g directory.Group, tid string, mapped bool) (string, bool, error) {
	want := MapGroup(g)
	if mapped {
		err := p.c.UpdateGroup(ctx, tid, want)
		switch StatusOf(err) {
		case 0, 200, 204:
			return tid, false, err
		case 404:
			if err := p.e.c.State.DeleteProvisionTarget(ctx, groupKey(p.appID, g.ID)); err != nil {
				return "", false, err
			}
		case 409:
			return "", false, permanentError{fmt.Errorf("renaming group %s to %q: %w", g.ID, want.DisplayName, err)}
		default:
			return "", false, err
		}
	}
	created, err := p.c.CreateGroup(ctx, want)
	if err == nil {
		return created.ID, true, p.mapTo(ctx, groupKey(p.appID, g.ID), created.ID)
	}
	if StatusOf(err) != 409 {
		return "", false, err
	}
	id, err := p.adoptGroup(ctx, g, want, err)
	return id, false, err
}

// adoptGroup maps the target's existing group (by externalId, else
// displayName), mapping first, then brings it up to date. A group found by
// displayName that another pushed group is mapped to is not adopted (see
// linkedToAnother).
func (p pusher) adoptGroup(ctx context.Context, g directory.Group, want Group, err error) (string, error) {
	found, ok, ferr := p.c.findGroup(ctx, "externalId", g.ID)
	if ferr == nil && !ok {
		found, ok, ferr = p.c.findGroup(ctx, "displayName", want.DisplayName)
	}
	if ferr != nil {
		return "", ferr
	}
	if !ok {
		return "", fmt.Errorf("creating group %s: %w, and no group with that externalId or displayName was found", g.ID, err)
	}
	if lerr := p.linkedToAnother(ctx, store.ProvisionGroup, g.ID, found.ExternalID, found.ID); lerr != nil {
		return "", fmt.Errorf("creating group %s: %w, and the group %q holding that displayName %w", g.ID, err, want.DisplayName, lerr)
	}
	if err := p.mapTo(ctx, groupKey(p.appID, g.ID), found.ID); err != nil {
		return "", err
	}
	return found.ID, p.c.UpdateGroup(ctx, found.ID, want)
}

// members reconciles the group's members at the target with its members
// assigned to the app, against the record of what was pushed (never the
// target's GET, which lists no members): adds first, then removals, each
// at most 100 per PATCH and recorded as each PATCH is accepted.
func (p pusher) members(ctx context.Context, g directory.Group, gtid string) error {
	want, err := p.wantMembers(ctx, g.ID)
	if err != nil {
		return err
	}
	had, err := p.e.c.State.PushedMembers(ctx, p.appID, g.ID)
	if err != nil {
		return err
	}
	pl, err := p.plan(ctx, want, had)
	if err != nil {
		return err
	}
	if len(pl.gone) > 0 { // their memberships left the target with them
		if err := p.e.c.State.RecordMembers(ctx, p.appID, g.ID, nil, pl.gone); err != nil {
			return err
		}
	}
	if err := p.addMembers(ctx, g.ID, gtid, pl); err != nil {
		return err
	}
	return p.c.RemoveMembers(ctx, gtid, pl.remove, pl.kept+len(pl.add), pl.record(ctx, p, g.ID, false))
}

// addMembers adds the plan's members, at most MaxMemberChanges per PATCH.
// A member deleted at the target since it was mapped makes the target
// refuse its whole PATCH (keyward's AWS side: 400 ValidationException
// `member "..." is not a user`; 404 is taken alike). The members of a
// refused PATCH that the target no longer has (GET answers 404) are then
// created again, or left out when no longer pushable, and queued, so
// that their own push puts them back in their other groups; the PATCH is
// tried once more. A refusal naming no such member is returned as is.
func (p pusher) addMembers(ctx context.Context, groupID, gtid string, pl memberPlan) error {
	for chunk := range chunks(pl.add, MaxMemberChanges) {
		err := p.c.AddMembers(ctx, gtid, chunk, pl.record(ctx, p, groupID, true))
		if s := StatusOf(err); s != 400 && s != 404 {
			if err != nil {
				return err
			}
			continue
		}
		again, stale, serr := p.replaceStale(ctx, chunk, pl)
		if serr != nil {
			return serr
		}
		if len(stale) == 0 {
			return err
		}
		if err := p.e.c.State.Enqueue(ctx, stale); err != nil {
			return err
		}
		if err := p.c.AddMembers(ctx, gtid, again, pl.record(ctx, p, groupID, true)); err != nil {
			return err
		}
	}
	return nil
}

// replaceStale returns chunk with each member the target no longer has
// replaced by its new target id (or left out), and those members' keys.
func (p pusher) replaceStale(ctx context.Context, chunk []string, pl memberPlan) ([]string, []store.ProvisionKey, error) {
	var (
		again []string
		stale []store.ProvisionKey
	)
	for _, tid := range chunk {
		_, err := p.c.GetUser(ctx, tid)
		if StatusOf(err) != 404 {
			if err != nil {
				return nil, nil, err
			}
			again = append(again, tid)
			continue
		}
		uid := pl.user[tid]
		k := userKey(p.appID, uid)
		stale = append(stale, k)
		now, mapped, err := p.target(ctx, k)
		if err != nil {
			return nil, nil, err
		}
		if mapped && now == tid { // not already replaced by a push running beside this one
			if err := p.e.c.State.DeleteProvisionTarget(ctx, k); err != nil {
				return nil, nil, err
			}
		}
		u, err := p.e.c.Directory.User(ctx, uid)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if tid, err = p.memberTarget(ctx, u); err != nil {
			return nil, nil, err
		}
		if tid != "" {
			pl.user[tid] = uid
			again = append(again, tid)
		}
	}
	return again, stale, nil
}

// memberPlan is a group's membership changes at the target, in target
// ids (sorted), with the identity provider's id of each.
type memberPlan struct {
	add, remove []string
	user        map[string]string // target id → IdP user id
	gone        []string          // recorded members no longer at the target
	kept        int               // recorded members that stay
}

// plan compares want (IdP id → target id) with had (recorded IdP ids).
func (p pusher) plan(ctx context.Context, want map[string]string, had []string) (memberPlan, error) {
	pl := memberPlan{user: map[string]string{}}
	recorded := map[string]bool{}
	for _, u := range had {
		recorded[u] = true
		if _, ok := want[u]; ok {
			pl.kept++
			continue
		}
		tid, ok, err := p.target(ctx, userKey(p.appID, u))
		if err != nil {
			return pl, err
		}
		if !ok {
			pl.gone = append(pl.gone, u)
			continue
		}
		pl.user[tid] = u
		pl.remove = append(pl.remove, tid)
	}
	for u, tid := range want {
		if !recorded[u] {
			pl.user[tid] = u
			pl.add = append(pl.add, tid)
		}
	}
	slices.Sort(pl.add)
	slices.Sort(pl.remove)
	return pl, nil
}

// record returns the callback that records an accepted PATCH's members.
func (pl memberPlan) record(ctx context.Context, p pusher, groupID string, added bool) func([]string) error {
	return func(tids []string) error {
		users := make([]string, len(tids))
		for i, t := range tids {
			users[i] = pl.user[t]
		}
		if added {
			return p.e.c.State.RecordMembers(ctx, p.appID, groupID, users, nil)
		}
		return p.e.c.State.RecordMembers(ctx, p.appID, groupID, nil, users)
	}
}

// wantMembers maps the group's members assigned to the app to their
// target ids, pushing first any not at the target yet.
func (p pusher) wantMembers(ctx context.Context, groupID string) (map[string]string, error) {
	want := map[string]string{}
	err := pages(func(pg store.Page) ([]directory.User, string, error) {
		return p.e.c.Directory.ListMembers(ctx, groupID, store.UserQuery{}, pg)
	}, func(us []directory.User) error {
		for _, u := range us {
			tid, err := p.memberTarget(ctx, u)
			if err != nil {
				return err
			}
			if tid != "" {
				want[u.ID] = tid
			}
		}
		return nil
	})
	return want, err
}

// memberTarget is the target id of an assigned member, created if need
// be; "" when the member is not assigned or not pushable.
func (p pusher) memberTarget(ctx context.Context, u directory.User) (string, error) {
	ok, err := p.assigned(ctx, u.ID)
	if err != nil || !ok {
		return "", err
	}
	tid, mapped, err := p.target(ctx, userKey(p.appID, u.ID))
	if err != nil || mapped {
		return tid, err
	}
	if !Pushable(u.Status) {
		return "", nil
	}
	return p.upsertUser(ctx, u, "", false)
}
