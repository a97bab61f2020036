package scimclient

import (
	"context"
	"fmt"

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
	var add, remove []string
	for _, u := range users {
		in, err := p.c.HasMember(ctx, gtid, u.TargetID)
		if err != nil {
			return err
		}
		switch {
		case in && !recorded[u.ObjectID]:
			add = append(add, u.ObjectID)
		case !in && recorded[u.ObjectID]:
			remove = append(remove, u.ObjectID)
		}
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
// displayName), mapping first, then brings it up to date.
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
	var remove []string
	for _, u := range had {
		if _, ok := want[u]; ok {
			delete(want, u)
		} else {
			remove = append(remove, u)
		}
	}
	add := make([]string, 0, len(want))
	for u := range want {
		add = append(add, u)
	}
	byTarget := map[string]string{}
	var gone []string // users no longer at the target
	targets := func(users []string) ([]string, error) {
		out := make([]string, 0, len(users))
		for _, u := range users {
			tid := want[u]
			if tid == "" {
				t, ok, err := p.target(ctx, userKey(p.appID, u))
				if err != nil {
					return nil, err
				}
				if !ok {
					gone = append(gone, u)
					continue
				}
				tid = t
			}
			byTarget[tid] = u
			out = append(out, tid)
		}
		return out, nil
	}
	record := func(added bool) func([]string) error {
		return func(tids []string) error {
			users := make([]string, len(tids))
			for i, t := range tids {
				users[i] = byTarget[t]
			}
			if added {
				return p.e.c.State.RecordMembers(ctx, p.appID, g.ID, users, nil)
			}
			return p.e.c.State.RecordMembers(ctx, p.appID, g.ID, nil, users)
		}
	}
	addT, err := targets(add)
	if err != nil {
		return err
	}
	if err := p.c.AddMembers(ctx, gtid, addT, record(true)); err != nil {
		return err
	}
	removeT, err := targets(remove)
	if err != nil {
		return err
	}
	if len(gone) > 0 { // their memberships left the target with them
		if err := p.e.c.State.RecordMembers(ctx, p.appID, g.ID, nil, gone); err != nil {
			return err
		}
	}
	remaining := len(had) - len(remove) + len(addT)
	return p.c.RemoveMembers(ctx, gtid, removeT, remaining, record(false))
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
