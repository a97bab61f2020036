package scimclient

import (
	"context"
	"fmt"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// user pushes the user's current state: assigned and pushable is created
// or updated as active; anything else that is at the target is
// deactivated; a deleted user is deleted. Then it reconciles the user's
// memberships of the app's pushed groups.
func (p pusher) user(ctx context.Context, userID string) error {
	k := userKey(p.appID, userID)
	tid, mapped, err := p.target(ctx, k)
	if err != nil {
		return err
	}
	u, err := p.e.c.Directory.User(ctx, userID)
	if isNotFound(err) {
		if !mapped {
			return nil
		}
		if err := gone404(p.c.DeleteUser(ctx, tid)); err != nil {
			return err
		}
		return p.e.c.State.DeleteProvisionTarget(ctx, k)
	}
	if err != nil {
		return err
	}
	assigned, err := p.assigned(ctx, userID)
	if err != nil {
		return err
	}
	switch {
	case assigned && Pushable(u.Status):
		if tid, err = p.upsertUser(ctx, u, tid, mapped); err != nil {
			return err
		}
	case mapped:
		if err := p.deactivate(ctx, u, tid); err != nil {
			return err
		}
	default:
		return nil // never pushed and not to be: nothing at the target
	}
	return p.userGroups(ctx, u, tid, assigned)
}

func (p pusher) assigned(ctx context.Context, userID string) (bool, error) {
	_, err := p.e.c.Apps.AppUser(ctx, p.appID, userID)
	if isNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// upsertUser replaces the mapped user (renames included), or creates it,
// adopting the target's user on 409; it returns the target id.
func (p pusher) upsertUser(ctx context.Context, u directory.User, tid string, mapped bool) (string, error) {
	want := MapUser(u, true)
	if mapped {
		_, err := p.c.ReplaceUser(ctx, tid, want)
		switch StatusOf(err) {
		case 0, 200:
			return tid, err
		case 404: // deleted at the target, with its memberships: create it again
			if err := p.e.c.State.DeleteProvisionTarget(ctx, userKey(p.appID, u.ID)); err != nil {
				return "", err
			}
		case 409:
			return "", permanentError{fmt.Errorf("renaming user %s to %q: %w", u.ID, want.UserName, err)}
		default:
			return "", err
		}
	}
	created, err := p.c.CreateUser(ctx, want)
	if err == nil {
		return created.ID, p.mapTo(ctx, userKey(p.appID, u.ID), created.ID)
	}
	if StatusOf(err) != 409 {
		return "", err
	}
	return p.adoptUser(ctx, u, want, err)
}

// adoptUser maps the target's existing user (by externalId, else
// userName) and brings it up to date. The mapping is written first: a
// crash then leads to an update, never to a second user. A user found by
// userName that is another person's (that person renamed, their push not
// yet accepted) is not adopted: the create is retried once the name is
// free.
func (p pusher) adoptUser(ctx context.Context, u directory.User, want User, conflict error) (string, error) {
	found, ok, err := p.c.findUser(ctx, "externalId", u.ID)
	if err == nil && !ok {
		found, ok, err = p.c.findUser(ctx, "userName", want.UserName)
	}
	if err != nil {
		return "", err
	}
	if !ok {
		return "", fmt.Errorf("creating user %s: %w, and no user with that externalId or userName was found", u.ID, conflict)
	}
	if err := p.linkedToAnother(ctx, store.ProvisionUser, u.ID, found.ExternalID, found.ID); err != nil {
		return "", fmt.Errorf("creating user %s: %w, and the user %q holding that userName %w", u.ID, conflict, want.UserName, err)
	}
	if err := p.mapTo(ctx, userKey(p.appID, u.ID), found.ID); err != nil {
		return "", err
	}
	_, err = p.c.ReplaceUser(ctx, found.ID, want)
	return found.ID, err
}

// deactivate replaces the target's user with its current attributes and
// active false (so that drift stays empty for inactive users too), or
// forgets a user the target no longer has.
func (p pusher) deactivate(ctx context.Context, u directory.User, tid string) error {
	want := MapUser(u, false)
	_, err := p.c.ReplaceUser(ctx, tid, want)
	switch StatusOf(err) {
	case 404:
		return p.e.c.State.DeleteProvisionTarget(ctx, userKey(p.appID, u.ID))
	case 409:
		return permanentError{fmt.Errorf("renaming user %s to %q: %w", u.ID, want.UserName, err)}
	}
	return err
}

// userGroups makes the user's memberships of the app's pushed groups at
// the target what the directory says (for an assigned user), by
// single-member PATCHes against the record of what was pushed.
func (p pusher) userGroups(ctx context.Context, u directory.User, tid string, assigned bool) error {
	want := map[string]bool{}
	if assigned {
		pushes, err := p.e.pushed(ctx, p.appID)
		if err != nil {
			return err
		}
		groups, err := p.e.c.Directory.UserGroups(ctx, u.ID)
		if err != nil {
			return err
		}
		for _, g := range groups {
			if pushes[g.ID] {
				want[g.ID] = true
			}
		}
	}
	had, err := p.e.c.State.PushedGroups(ctx, p.appID, u.ID)
	if err != nil {
		return err
	}
	for _, g := range had {
		if want[g] {
			delete(want, g)
			continue
		}
		if err := p.memberChange(ctx, g, u.ID, tid, false); err != nil {
			return err
		}
	}
	for g := range want {
		if err := p.memberChange(ctx, g, u.ID, tid, true); err != nil {
			return err
		}
	}
	return nil
}

// memberChange adds or removes one member of a group at the target.
func (p pusher) memberChange(ctx context.Context, groupID, userID, tid string, add bool) error {
	gtid, ok, err := p.target(ctx, groupKey(p.appID, groupID))
	if err != nil {
		return err
	}
	record := func([]string) error {
		if add {
			return p.e.c.State.RecordMembers(ctx, p.appID, groupID, []string{userID}, nil)
		}
		return p.e.c.State.RecordMembers(ctx, p.appID, groupID, nil, []string{userID})
	}
	if !ok {
		// Not at the target yet: the group's own push, queued with it,
		// adds its members.
		if add {
			return nil
		}
		return record(nil)
	}
	if add {
		err = p.c.AddMembers(ctx, gtid, []string{tid}, record)
	} else {
		err = p.c.RemoveMembers(ctx, gtid, []string{tid}, 1, record)
	}
	if StatusOf(err) == 404 { // the group went at the target: its push recreates it
		return p.e.c.State.Enqueue(ctx, []store.ProvisionKey{groupKey(p.appID, groupID)})
	}
	return err
}
